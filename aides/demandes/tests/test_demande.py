"""Applications: database invariants, deposit rules, instruction cycle, de minimis ceiling."""

import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from aides.catalogue.referentiels import RegimeAide
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import AjoutSeulError, DeclarationDeMinimis, Demande, Statut, Transition
from aides.demandes.selectors import de_minimis_situation
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import (
    DemandeFactory,
    RepresentantFactory,
    demande_au_plafond_de_minimis,
    demande_deposee,
    demande_en_instruction,
    piece_pour,
)
from conftest import en_parallele
from portal.models import Notification
from portal.roles import Role

pytestmark = pytest.mark.django_db


# --- Invariants -----------------------------------------------------------------------------------


def test_the_database_refuses_a_granted_amount_above_the_requested_amount():
    demande = DemandeFactory(montant_demande=Decimal("1000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Demande.objects.filter(pk=demande.pk).update(montant_accorde=Decimal("1000.01"))


def test_the_database_refuses_a_negative_amount():
    demande = DemandeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Demande.objects.filter(pk=demande.pk).update(montant_demande=Decimal("-1"))


def test_history_cannot_be_changed_by_the_model_nor_by_sql(instructeur):
    demande = demande_deposee()
    transition = demande.transitions.get()
    transition.motif = "réécrit"
    with pytest.raises(AjoutSeulError):
        transition.save()
    with pytest.raises(AjoutSeulError):
        transition.delete()
    with pytest.raises(Exception, match="ajout seul"), transaction.atomic():
        Transition.objects.filter(pk=transition.pk).update(motif="réécrit")
    with pytest.raises(Exception, match="ajout seul"), transaction.atomic(), connection.cursor() as curseur:
        curseur.execute("DELETE FROM aides_transition WHERE id = %s", [transition.pk])
    assert Transition.objects.get(pk=transition.pk).motif == "Demande déposée en ligne."


# --- Deposit --------------------------------------------------------------------------------------


def test_deposit_gives_a_number_of_the_year_and_notifies_company_and_instructeurs(creer_agent):
    instructeur_daen = creer_agent(Role.INSTRUCTEUR)
    demande = demande_deposee()
    assert re.fullmatch(rf"{timezone.localdate().year}-\d{{6}}", demande.numero_depot)
    assert demande.statut == Statut.DEPOSEE and demande.depose_le is not None
    gabarits = set(Notification.objects.values_list("gabarit", "destinataire"))
    assert ("demande_deposee", demande.demandeur.email) in gabarits
    assert ("demande_nouvelle", instructeur_daen.email) in gabarits


def test_two_deposits_get_different_numbers():
    assert demande_deposee().numero_depot != demande_deposee().numero_depot


def test_depositing_twice_deposits_once():
    demande = DemandeFactory()
    premiere, deposee_1 = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    seconde, deposee_2 = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    assert (deposee_1, deposee_2) == (True, False)
    assert premiere.numero_depot == seconde.numero_depot
    assert demande.transitions.count() == 1
    assert Notification.objects.filter(gabarit="demande_deposee").count() == 1


def test_a_project_started_before_the_deposit_date_is_refused_with_the_dates(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: date(2026, 11, 27))
    demande = DemandeFactory(date_debut_projet=date(2026, 11, 26))
    with pytest.raises(ValidationError) as erreur:
        services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    assert (
        "Le projet a commencé le 26/11/2026, avant le dépôt de la demande (le 27/11/2026) : une aide doit avoir "
        "un effet incitatif, le projet ne peut pas avoir commencé avant le dépôt." in erreur.value.messages
    )
    demande.refresh_from_db()
    assert demande.statut == Statut.BROUILLON and demande.numero_depot is None


def test_a_project_starting_on_the_deposit_day_is_accepted(monkeypatch):
    aujourdhui = timezone.localdate()
    demande = DemandeFactory(date_debut_projet=aujourdhui)
    assert services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)[1] is True


def test_deposit_lists_every_missing_piece_of_the_file():
    dispositif = DispositifFactory(documents_requis=["Devis", "Kbis de moins de 3 mois"], regime=RegimeAide.DE_MINIMIS)
    demande = DemandeFactory(
        dispositif=dispositif, intitule="", date_debut_projet=None, montant_demande=None, lignes=[]
    )
    piece_pour(demande, type_piece="Devis")
    with pytest.raises(ValidationError) as erreur:
        services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    messages = erreur.value.messages
    assert "Donnez un intitulé à votre projet." in messages
    assert "Indiquez la date de début du projet." in messages
    assert "Ajoutez au moins une ligne au tableau des dépenses." in messages
    assert "Indiquez le montant demandé." in messages
    assert "Pièce manquante : Kbis de moins de 3 mois." in messages
    assert "Pièce manquante : Devis." not in messages
    assert any("régime de minimis" in m for m in messages)


def test_a_closed_dispositif_refuses_the_deposit_with_its_closing_date():
    hier = timezone.localdate() - timedelta(days=1)
    dispositif = DispositifFactory(date_ouverture=hier - timedelta(days=30), date_cloture=hier)
    demande = DemandeFactory(dispositif=dispositif)
    with pytest.raises(ValidationError) as erreur:
        services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    assert f"est clos depuis le {hier:%d/%m/%Y}" in erreur.value.messages[0]


def test_requested_amount_above_the_expenses_is_refused_with_the_figures():
    demande = DemandeFactory(montant_demande=Decimal("60000"), lignes=[("Machine", "50000")])
    with pytest.raises(ValidationError) as erreur:
        services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    assert "Le montant demandé (60\u00a0000,00\u00a0€) dépasse le total des dépenses (50\u00a0000,00\u00a0€)." in (
        erreur.value.messages
    )


def test_a_deposited_file_can_no_longer_be_edited_by_the_company():
    demande = demande_deposee()
    with pytest.raises(ValidationError, match="ne peut plus être modifiée"):
        services.demande_enregistrer(demande=demande, champs={"intitule": "Autre"})


# --- Instruction ----------------------------------------------------------------------------------


def test_the_complete_cycle_records_every_step_with_who_and_why(instructeur):
    demande = demande_en_instruction(instructeur)
    services.complement_demander(demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis.")
    services.complement_repondre(demande_id=demande.pk, par=demande.demandeur, texte="Le voici.", fichiers=[])
    demande.refresh_from_db()
    services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Projet conforme.",
        montant_accorde=Decimal("15000"),
        date_commission=date(2026, 12, 4),
        numero_deliberation="2026.01234",
    )
    demande.refresh_from_db()
    assert demande.statut == Statut.ACCORDEE and demande.montant_accorde == Decimal("15000")
    etapes = list(demande.transitions.values_list("de", "vers", "par"))
    assert etapes == [
        (Statut.BROUILLON, Statut.DEPOSEE, demande.demandeur.pk),
        (Statut.DEPOSEE, Statut.EN_INSTRUCTION, instructeur.pk),
        (Statut.EN_INSTRUCTION, Statut.COMPLEMENT_DEMANDE, instructeur.pk),
        (Statut.COMPLEMENT_DEMANDE, Statut.EN_INSTRUCTION, demande.demandeur.pk),
        (Statut.EN_INSTRUCTION, Statut.ACCORDEE, instructeur.pk),
    ]
    assert demande.transitions.last().motif == "Projet conforme."
    gabarits = list(Notification.objects.values_list("gabarit", flat=True))
    assert {"demande_complement", "demande_reponse", "demande_decision"} <= set(gabarits)


def test_a_decision_cannot_grant_more_than_requested(instructeur):
    demande = demande_en_instruction(instructeur, montant_demande=Decimal("20000"))
    with pytest.raises(ValidationError) as erreur:
        services.demande_decider(
            demande_id=demande.pk,
            version=demande.version,
            par=instructeur,
            decision=Statut.ACCORDEE,
            motif="Oui.",
            montant_accorde=Decimal("20000.01"),
            date_commission=date(2026, 12, 4),
            numero_deliberation="2026.1",
        )
    assert (
        "ne peut pas dépasser le montant demandé (20\u00a0000,00\u00a0€)"
        in erreur.value.message_dict["montant_accorde"][0]
    )


def test_a_decision_made_on_a_stale_version_is_refused_and_writes_nothing(instructeur):
    demande = demande_en_instruction(instructeur)
    version_lue = demande.version
    services.complement_demander(demande_id=demande.pk, version=version_lue, par=instructeur, texte="Le bilan.")
    with pytest.raises(services.ConflitDeVersion, match="a été modifiée par"):
        services.demande_decider(
            demande_id=demande.pk, version=version_lue, par=instructeur, decision=Statut.REFUSEE, motif="Non."
        )
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLEMENT_DEMANDE and demande.motif_decision == ""


# --- De minimis -----------------------------------------------------------------------------------


def test_de_minimis_counts_three_rolling_years_of_grants_and_declarations(instructeur):
    representant = RepresentantFactory()
    entreprise = representant.entreprise
    de_minimis = DispositifFactory(regime=RegimeAide.DE_MINIMIS)
    ancienne = demande_en_instruction(
        instructeur,
        representant=representant,
        dispositif=de_minimis,
        montant_demande=Decimal("100000"),
        lignes=[("Machine", "200000")],
        declaration_de_minimis_faite=True,
    )
    services.demande_decider(
        demande_id=ancienne.pk,
        version=ancienne.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Oui.",
        montant_accorde=Decimal("100000"),
        date_commission=date(2025, 3, 14),
        numero_deliberation="2025.1",
    )
    DeclarationDeMinimis.objects.create(
        entreprise=entreprise, organisme="État", date_octroi=date(2024, 6, 1), montant=Decimal("150000")
    )
    # Outside the three years ending on 04/12/2026 (they start on 05/12/2023): not counted.
    DeclarationDeMinimis.objects.create(
        entreprise=entreprise, organisme="Bpifrance", date_octroi=date(2023, 12, 4), montant=Decimal("90000")
    )
    situation = de_minimis_situation(siren=entreprise.siren, le=date(2026, 12, 4))
    assert situation.debut == date(2023, 12, 5)
    assert (situation.accorde_ici, situation.declare, situation.total, situation.reste) == (
        Decimal("100000"),
        Decimal("150000"),
        Decimal("250000"),
        Decimal("50000"),
    )


def test_granting_above_the_de_minimis_ceiling_is_refused_with_the_figures(instructeur):
    demande = demande_au_plafond_de_minimis(instructeur)
    with pytest.raises(ValidationError) as erreur:
        services.demande_decider(
            demande_id=demande.pk,
            version=demande.version,
            par=instructeur,
            decision=Statut.ACCORDEE,
            motif="Oui.",
            montant_accorde=Decimal("30000"),
            date_commission=date(2026, 12, 4),
            numero_deliberation="2026.77",
        )
    siren = demande.etablissement.entreprise.siren
    assert erreur.value.message_dict["montant_accorde"] == [
        f"Plafond de minimis dépassé : l'entreprise (SIREN {siren}) a déjà reçu 280\u00a0000,00\u00a0€ d'aides "
        "de minimis du 05/12/2023 au 04/12/2026 ; avec 30\u00a0000,00\u00a0€ de plus, le total serait de "
        "310\u00a0000,00\u00a0€, au-delà du plafond de 300\u00a0000,00\u00a0€. Montant maximal possible : "
        "20\u00a0000,00\u00a0€."
    ]
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION
    services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=instructeur,
        decision=Statut.ACCORDEE,
        motif="Oui, dans la limite du plafond.",
        montant_accorde=Decimal("20000"),
        date_commission=date(2026, 12, 4),
        numero_deliberation="2026.77",
    )
    demande.refresh_from_db()
    assert demande.statut == Statut.ACCORDEE


def test_an_aid_declared_again_with_a_second_application_is_counted_once():
    representant = RepresentantFactory()
    de_minimis = DispositifFactory(regime=RegimeAide.DE_MINIMIS)
    for organisme in ("Bpifrance", " bpifrance "):  # the same aid, typed again with the next application
        demande = DemandeFactory(representant=representant, dispositif=de_minimis)
        services.demande_enregistrer(
            demande=demande,
            champs={"declaration_de_minimis_faite": True},
            declarations=[services.DeclarationSaisie(organisme, date(2025, 6, 1), Decimal("100000"))],
        )
    services.demande_enregistrer(
        demande=demande,
        champs={},
        declarations=[
            services.DeclarationSaisie(" bpifrance ", date(2025, 6, 1), Decimal("100000")),
            services.DeclarationSaisie("Département de la Somme", date(2025, 6, 1), Decimal("100000")),
        ],
    )
    situation = de_minimis_situation(siren=representant.entreprise.siren, le=date(2026, 12, 4))
    assert (situation.declare, situation.reste) == (Decimal("200000"), Decimal("100000"))


# --- Concurrency, with real transactions ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_agents_deciding_at_once_one_wins_and_the_other_is_told(creer_agent):
    from territoires.tests.factories import CommuneFactory

    instructeur_a, instructeur_b = creer_agent(Role.INSTRUCTEUR), creer_agent(Role.INSTRUCTEUR)
    from crm.tests.factories import EtablissementFactory

    representant = RepresentantFactory(etablissement=EtablissementFactory(commune=CommuneFactory()))
    demande = demande_en_instruction(instructeur_a, representant=representant)
    version = demande.version

    def decider(agent, decision, motif, montant):
        return services.demande_decider(
            demande_id=demande.pk,
            version=version,
            par=agent,
            decision=decision,
            motif=motif,
            montant_accorde=montant,
            date_commission=date(2026, 12, 4),
            numero_deliberation="2026.5",
        )

    resultats = en_parallele(
        lambda: decider(instructeur_a, Statut.ACCORDEE, "Accord de A.", Decimal("10000")),
        lambda: decider(instructeur_b, Statut.REFUSEE, "Refus de B.", None),
    )
    gagnants = [r for r in resultats if isinstance(r, Demande)]
    perdants = [r for r in resultats if isinstance(r, services.ConflitDeVersion)]
    assert len(gagnants) == 1 and len(perdants) == 1, resultats
    demande.refresh_from_db()
    assert demande.statut == gagnants[0].statut
    assert demande.transitions.filter(vers__in=[Statut.ACCORDEE, Statut.REFUSEE]).count() == 1
    assert "pendant que vous la consultiez" in perdants[0].message


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_deposits_of_one_draft_deposit_it_once():
    from crm.tests.factories import EtablissementFactory
    from territoires.tests.factories import CommuneFactory

    demande = DemandeFactory(
        representant=RepresentantFactory(etablissement=EtablissementFactory(commune=CommuneFactory()))
    )
    resultats = en_parallele(
        lambda: services.demande_deposer(demande_id=demande.pk, par=demande.demandeur),
        lambda: services.demande_deposer(demande_id=demande.pk, par=demande.demandeur),
    )
    assert sorted(r[1] for r in resultats) == [False, True], resultats
    assert Transition.objects.filter(demande=demande).count() == 1
    assert Notification.objects.filter(gabarit="demande_deposee").count() == 1


def test_without_instructeur_in_the_direction_the_shared_mailbox_is_told():
    from portal.models import Direction

    dipi = Direction.objects.get(code="DIPI")
    dipi.email_partage = "dipi@hautsdefrance.fr"
    dipi.save()
    demande_deposee(dispositif=DispositifFactory(direction=dipi))
    assert Notification.objects.filter(gabarit="demande_nouvelle", destinataire="dipi@hautsdefrance.fr").exists()


@pytest.mark.django_db(transaction=True)
def test_two_de_minimis_grants_to_one_company_at_once_cannot_both_pass_the_ceiling(creer_agent):
    from crm.tests.factories import EtablissementFactory
    from territoires.tests.factories import CommuneFactory

    instructeur_a, instructeur_b = creer_agent(Role.INSTRUCTEUR), creer_agent(Role.INSTRUCTEUR)
    representant = RepresentantFactory(etablissement=EtablissementFactory(commune=CommuneFactory()))
    de_minimis = DispositifFactory(regime=RegimeAide.DE_MINIMIS)
    demandes = [
        demande_en_instruction(
            instructeur_a,
            representant=representant,
            dispositif=de_minimis,
            montant_demande=Decimal("200000"),
            lignes=[("Bâtiment", "400000")],
            declaration_de_minimis_faite=True,
        )
        for _ in range(2)
    ]

    def accorder(agent, demande):
        return services.demande_decider(
            demande_id=demande.pk,
            version=demande.version,
            par=agent,
            decision=Statut.ACCORDEE,
            motif="Accord.",
            montant_accorde=Decimal("200000"),
            date_commission=date(2026, 12, 4),
            numero_deliberation="2026.9",
        )

    resultats = en_parallele(lambda: accorder(instructeur_a, demandes[0]), lambda: accorder(instructeur_b, demandes[1]))
    refus = [r for r in resultats if isinstance(r, ValidationError)]
    assert len(refus) == 1 and sum(isinstance(r, Demande) for r in resultats) == 1, resultats
    assert "le total serait de 400\u00a0000,00\u00a0€" in refus[0].message_dict["montant_accorde"][0]
    assert Demande.objects.filter(statut=Statut.ACCORDEE).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_new_form_give_one_draft():
    from crm.tests.factories import EtablissementFactory
    from territoires.tests.factories import CommuneFactory

    representant = RepresentantFactory(etablissement=EtablissementFactory(commune=CommuneFactory()))
    dispositif = DispositifFactory()
    jeton = uuid.uuid4()
    resultats = en_parallele(
        lambda: services.demande_creer(dispositif=dispositif, membre=representant, jeton=jeton),
        lambda: services.demande_creer(dispositif=dispositif, membre=representant, jeton=jeton),
    )
    assert all(isinstance(r, Demande) for r in resultats), resultats
    assert resultats[0].pk == resultats[1].pk
    assert list(Demande.objects.values_list("jeton_creation", flat=True)) == [jeton]


def test_two_creations_without_token_give_two_drafts():
    representant, dispositif = RepresentantFactory(), DispositifFactory()
    premiere = services.demande_creer(dispositif=dispositif, membre=representant)
    seconde = services.demande_creer(dispositif=dispositif, membre=representant)
    assert premiere.pk != seconde.pk and premiere.jeton_creation is None is seconde.jeton_creation


def test_a_second_creation_with_the_same_token_returns_the_first_application_even_deposited():
    representant, jeton = RepresentantFactory(), uuid.uuid4()
    premiere = DemandeFactory(representant=representant, jeton_creation=jeton)
    dispositif = premiere.dispositif
    services.demande_deposer(demande_id=premiere.pk, par=representant.utilisateur)
    seconde = services.demande_creer(dispositif=dispositif, membre=representant, jeton=jeton)
    assert seconde.pk == premiere.pk and seconde.statut == Statut.DEPOSEE and Demande.objects.count() == 1

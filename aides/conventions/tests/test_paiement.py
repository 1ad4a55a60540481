"""Payment requests by the company, SAF's decision, the final report (issue 17)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aides.conventions.models.paiement import DemandeVersement
from aides.conventions.models.versement import Versement
from aides.conventions.services import convention as sc
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories_paiement import (
    acompte_depose,
    avance_deposee,
    convention_a_payer,
    jour_de_facture,
    ligne,
    pdf,
    rapport_depose,
)
from aides.demandes.models.espace import Membre
from aides.demandes.tests.factories import membre_de
from portal.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_the_plan_reads_the_convention_and_the_next_step_is_the_advance():
    convention, _ = convention_a_payer()
    situation = sp.situation(convention)
    assert [(t.type, t.plafond, t.plafond_cumule) for t in situation.tranches] == [
        ("avance", Decimal("6000.00"), Decimal("6000.00")),
        ("acompte", Decimal("8000.00"), Decimal("14000.00")),
        ("solde", Decimal("6000.00"), Decimal("20000")),
    ]
    assert situation.reste == Decimal("20000")
    assert situation.prochaine_action.startswith("Demander le versement : avance")


def test_advance_then_instalment_with_a_rejected_line_pays_the_rest_to_the_cent():
    convention, membre = convention_a_payer()
    saf = convention.gestionnaire
    avance = avance_deposee(convention, membre)
    assert avance.montant_demande == Decimal("6000.00")  # 30 % of 20,000, computed
    avance = sp.demande_versement_accepter(demande_versement_id=avance.pk, par=saf)
    assert avance.versement.montant == Decimal("6000.00")
    assert avance.versement.etat == Versement.Etat.CONTROLE

    acompte = acompte_depose(convention, membre, montants=("5000", "5000", "3333.33"))
    # 13,333.33 HT × 50 % = 6,666.665 → 6,666.67 (under the cap 14,000 − 6,000)
    assert acompte.montant_demande == Decimal("6666.67")
    rejetee = acompte.lignes.get(numero_facture="F-002")
    acompte = sp.demande_versement_accepter(
        demande_versement_id=acompte.pk, par=saf, rejets={rejetee.pk: "Facture non acquittée."}
    )
    assert acompte.montant_retenu == Decimal("4166.67")  # 8,333.33 × 50 %
    assert acompte.depenses_retenues == Decimal("8333.33")
    rejetee.refresh_from_db()
    assert not rejetee.retenue and rejetee.motif_rejet == "Facture non acquittée."
    convention.refresh_from_db()
    assert convention.total_versements == Decimal("10166.67")
    for _ in range(2):
        sc.versement_avancer(versement_id=acompte.versement_id, par=saf)
    situation = sp.situation(convention)
    assert situation.paye == Decimal("4166.67")
    assert situation.reste == Decimal("15833.33")
    courriels = Notification.objects.filter(gabarit="paiement_demande_etape", destinataire=membre.utilisateur.email)
    assert courriels.count() == 5  # two deposits, two acceptances, one payment
    assert "Facture non acquittée" in courriels.get(sujet__contains="demande d'acompte acceptée").corps_texte


def test_the_plan_caps_an_instalment_whatever_the_invoices():
    convention, membre = convention_a_payer()
    acompte = acompte_depose(convention, membre, montants=("10000", "10000", "9000"))
    assert acompte.montant_demande == Decimal("14000.00")  # cumulated cap 70 %, nothing paid before


def test_a_draft_keeps_incomplete_lines_and_the_deposit_lists_what_is_wrong():
    convention, membre = convention_a_payer()
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=1, par=membre.utilisateur, membre=membre)
    debut, fin = sp.periode_convention(convention)
    sp.demande_versement_enregistrer(
        demande_versement_id=demande.pk,
        par=membre.utilisateur,
        membre=membre,
        lignes=[
            {"fournisseur": "Atelier Durand", "montant_ht": Decimal("100")},
            ligne(convention, 2, "500", date_facture=fin.replace(year=fin.year + 1)),
            ligne(convention, 3, "500", montant_ttc=Decimal("400")),
        ],
        pieces=[pdf()],
    )
    assert demande.lignes.count() == 3
    assert demande.lignes.first().fournisseur == "Atelier Durand"
    with pytest.raises(ValidationError) as erreur:
        sp.demande_versement_deposer(
            demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=True
        )
    texte = " ".join(erreur.value.messages)
    assert "Ligne 1 : indiquez n° de facture, date, montant TTC, dépense prévue." in texte
    assert "Ligne 2" in texte and "hors de la période de la convention" in texte
    assert "Ligne 3 : le montant HT doit être positif et le TTC au moins égal au HT." in texte
    demande.refresh_from_db()
    assert demande.etat == DemandeVersement.Etat.BROUILLON and demande.lignes.count() == 3


def test_deposit_requires_the_certification_and_the_invoices():
    convention, membre = convention_a_payer()
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=1, par=membre.utilisateur, membre=membre)
    sp.demande_versement_enregistrer(
        demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, lignes=[ligne(convention, 1, "100")]
    )
    with pytest.raises(ValidationError, match="Certifiez"):
        sp.demande_versement_deposer(
            demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=False
        )
    with pytest.raises(ValidationError, match="Joignez les factures"):
        sp.demande_versement_deposer(
            demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=True
        )


def test_an_invoice_is_presented_once():
    convention, membre = convention_a_payer()
    acompte_depose(convention, membre, montants=("1000",))
    with pytest.raises(ValidationError, match="déjà présentée"):
        acompte_depose(convention, membre, montants=("1000",), tranche=2)


def test_the_balance_requires_the_final_report_filed_then_validated():
    convention, membre = convention_a_payer()
    saf = convention.gestionnaire
    with pytest.raises(ValidationError, match="rapport final"):
        acompte_depose(convention, membre, montants=("1000",), tranche=2)
    DemandeVersement.objects.filter(convention=convention).delete()
    rapport = rapport_depose(convention, membre)
    assert rapport.etat == "depose" and rapport.indicateurs.count() == 2
    solde = acompte_depose(convention, membre, montants=("1000",), tranche=2)
    with pytest.raises(ValidationError, match="Validez d'abord le rapport final"):
        sp.demande_versement_accepter(demande_versement_id=solde.pk, par=saf)
    with pytest.raises(ValidationError, match="ce qu'il faut corriger"):
        sp.rapport_decider(convention_id=convention.pk, par=saf, valide=False, motif="")
    sp.rapport_decider(convention_id=convention.pk, par=saf, valide=True)
    solde = sp.demande_versement_accepter(demande_versement_id=solde.pk, par=saf)
    assert solde.montant_retenu == Decimal("500.00")
    assert Notification.objects.filter(gabarit="rapport_final_decision").exists()


def test_a_report_without_publicity_proof_is_not_filed():
    convention, membre = convention_a_payer()
    sp.rapport_enregistrer(
        convention_id=convention.pk,
        par=membre.utilisateur,
        membre=membre,
        bilan="Fait.",
        indicateurs=[("Emplois créés", Decimal("1"), "ETP")],
    )
    with pytest.raises(ValidationError, match="preuve de publicité"):
        sp.rapport_deposer(convention_id=convention.pk, par=membre.utilisateur, membre=membre)


@pytest.mark.parametrize("role", [Membre.Role.LECTEUR])
def test_a_reader_cannot_request_a_payment(role):
    convention, membre = convention_a_payer()
    lecteur = membre_de(membre, role=role)
    with pytest.raises(ValidationError, match="pas lecteur"):
        sp.demande_versement_creer(convention_id=convention.pk, tranche=0, par=lecteur.utilisateur, membre=lecteur)
    assert not DemandeVersement.objects.exists()


def test_complement_then_answer_then_refusal():
    convention, membre = convention_a_payer()
    saf = convention.gestionnaire
    demande = acompte_depose(convention, membre, montants=("1000",))
    sp.demande_versement_complement(
        demande_versement_id=demande.pk, par=saf, texte="Facture lisible SVP.", pieces=[pdf()]
    )
    with pytest.raises(ValidationError, match="complément"):
        sp.demande_versement_accepter(demande_versement_id=demande.pk, par=saf)
    sp.demande_versement_repondre(
        demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, texte="Voici.", pieces=[pdf("f.pdf")]
    )
    sp.demande_versement_deposer(demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=True)
    demande = sp.demande_versement_refuser(demande_versement_id=demande.pk, par=saf, motif="Dépense hors projet.")
    assert demande.etat == DemandeVersement.Etat.REFUSEE
    assert demande.echanges.count() == 2 and demande.pieces.count() == 3
    # A refused instalment may be requested again.
    nouvelle = sp.demande_versement_creer(convention_id=convention.pk, tranche=1, par=membre.utilisateur, membre=membre)
    assert nouvelle.pk != demande.pk
    sujets = list(Notification.objects.filter(gabarit="paiement_demande_etape").values_list("sujet", flat=True))
    assert any("complément demandé" in s for s in sujets) and any("refusée" in s for s in sujets)


def test_dates_of_invoices_before_the_project_start_are_refused():
    convention, membre = convention_a_payer()
    debut, _fin = sp.periode_convention(convention)
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=1, par=membre.utilisateur, membre=membre)
    sp.demande_versement_enregistrer(
        demande_versement_id=demande.pk,
        par=membre.utilisateur,
        membre=membre,
        lignes=[
            ligne(convention, 1, "100", date_facture=debut.replace(day=1) if debut.day > 1 else jour_de_facture(-400))
        ],
        pieces=[pdf()],
    )
    with pytest.raises(ValidationError, match="hors de la période"):
        sp.demande_versement_deposer(
            demande_versement_id=demande.pk, par=membre.utilisateur, membre=membre, certifie=True
        )


def test_a_deposited_request_reserves_its_amount():
    convention, membre = convention_a_payer()
    acompte_depose(convention, membre, montants=("10000", "10000", "8000"))
    assert sp.montant_en_attente(convention) == Decimal("14000.00")


def test_feder_claim_from_an_accepted_request_and_a_control(client):
    from datetime import date

    from django.urls import reverse

    from aides.conventions.models.feder import AppelDeFonds, ObjectifSpecifique, OperationFeder

    convention, membre = convention_a_payer()
    saf = convention.gestionnaire
    operation = OperationFeder.objects.create(
        convention=convention,
        code_operation="HF00042",
        objectif_specifique=ObjectifSpecifique.OS_1_3,
        taux_ue=Decimal("40"),
        cout_total_eligible=Decimal("40000"),
        montant_ue=Decimal("8000"),
    )
    acompte = acompte_depose(convention, membre, montants=("1000", "2000", "3000"))
    rejetee = acompte.lignes.get(numero_facture="F-003")
    sp.demande_versement_accepter(demande_versement_id=acompte.pk, par=saf, rejets={rejetee.pk: "Hors projet."})
    client.force_login(saf)
    page = client.get(reverse("aides_saf:feder-operation", args=[operation.pk])).content.decode()
    assert "Créer l'appel de fonds" in page
    client.post(reverse("aides_saf:feder-appel-creer", args=[operation.pk]), {"demande_versement": acompte.pk})
    appel = AppelDeFonds.objects.get(operation=operation)
    assert appel.depenses_declarees == Decimal("3000.00") and appel.montant_ue == Decimal("1200.00")
    assert appel.lignes.count() == 2
    reponse = client.post(
        reverse("aides_saf:feder-appel-creer", args=[operation.pk]), {"demande_versement": acompte.pk}
    )
    assert reponse.status_code == 400 and "déjà son appel de fonds" in reponse.content.decode()
    for _ in range(3):
        client.post(reverse("aides_saf:feder-appel-avancer", args=[operation.pk, appel.pk]))
    appel.refresh_from_db()
    assert appel.etat == AppelDeFonds.Etat.PAYE and appel.paye_le
    client.post(
        reverse("aides_saf:feder-controle", args=[operation.pk]),
        {"type": "sur_place", "le": "2026-12-01", "resultat": "conforme", "observations": "Machine vue."},
    )
    assert operation.controles.get().le == date(2026, 12, 1)
    from portal.roles import Role
    from portal.tests.factories import AgentFactory

    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR]))
    assert client.get(reverse("aides_saf:feder-operation", args=[operation.pk])).status_code == 200
    assert client.post(reverse("aides_saf:feder-controle", args=[operation.pk]), {}).status_code == 403

from datetime import date, timedelta
from html import unescape

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal.roles import Role
from territoires import services
from territoires.models import ConventionTerritoriale, EtatConvention, TypeConvention
from territoires.tests.factories import ConventionFactory, EPCIFactory

Statut = ConventionTerritoriale.Statut
pytestmark = pytest.mark.django_db


def _etat_annote(convention, le=None):
    return ConventionTerritoriale.objects.avec_etat(le).get(pk=convention.pk).etat_calcule


# --- State by dates -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "jour, attendu",
    [
        (date(2026, 12, 31), EtatConvention.SIGNEE),  # signed, not started yet
        (date(2027, 1, 1), EtatConvention.EN_VIGUEUR),  # first day
        (date(2029, 12, 31), EtatConvention.EN_VIGUEUR),  # last day included
        (date(2030, 1, 1), EtatConvention.EXPIREE),
    ],
)
def test_a_signed_convention_is_in_force_then_expired_by_its_dates_alone(jour, attendu):
    convention = ConventionFactory(date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))
    with time_machine.travel(jour, tick=False):
        assert convention.etat == attendu
        assert _etat_annote(convention) == attendu
        assert ConventionTerritoriale.objects.en_vigueur().filter(pk=convention.pk).exists() == (
            attendu == EtatConvention.EN_VIGUEUR
        )


@pytest.mark.parametrize("statut", [Statut.PROJET, Statut.EN_NEGOCIATION, Statut.RESILIEE])
def test_unsigned_or_terminated_conventions_keep_their_manual_state_whatever_the_dates(statut):
    convention = ConventionFactory(statut=statut)
    assert convention.etat == statut
    assert _etat_annote(convention) == statut
    assert not ConventionTerritoriale.objects.en_vigueur().filter(pk=convention.pk).exists()


# --- Overlap constraint ---------------------------------------------------------------------------


def test_two_signed_conventions_of_one_type_cannot_overlap_for_one_epci_in_the_database():
    premiere = ConventionFactory(date_debut=date(2025, 1, 1), date_fin=date(2027, 12, 31))
    with pytest.raises(IntegrityError, match="convention_sans_chevauchement"), transaction.atomic():
        ConventionTerritoriale.objects.create(
            epci=premiere.epci,
            type=premiere.type,
            statut=Statut.SIGNEE,
            signee_le=date(2027, 6, 1),
            date_debut=date(2027, 12, 31),  # one shared day is an overlap: bounds are inclusive
            date_fin=date(2030, 12, 31),
        )


def test_the_next_convention_may_start_the_day_after_the_previous_ends():
    premiere = ConventionFactory(date_debut=date(2025, 1, 1), date_fin=date(2027, 12, 31))
    suivante = ConventionFactory(epci=premiere.epci, date_debut=date(2028, 1, 1), date_fin=date(2030, 12, 31))
    # The exclusion constraint would have raised IntegrityError: both are stored and signed.
    assert set(ConventionTerritoriale.objects.filter(statut=Statut.SIGNEE).values_list("pk", flat=True)) == {
        premiere.pk,
        suivante.pk,
    }


def test_another_type_or_another_epci_may_overlap():
    premiere = ConventionFactory()
    ConventionFactory(epci=premiere.epci, type=TypeConvention.AUTORISATION)
    ConventionFactory(epci=EPCIFactory(), type=premiere.type)
    assert ConventionTerritoriale.objects.filter(statut=Statut.SIGNEE).count() == 3


@pytest.mark.parametrize("statut", [Statut.PROJET, Statut.EN_NEGOCIATION, Statut.RESILIEE])
def test_a_projet_a_negotiation_or_a_terminated_convention_does_not_block_a_signed_one(statut):
    autre = ConventionFactory(statut=statut)
    signee = ConventionFactory(epci=autre.epci, type=autre.type)
    assert signee.etat == EtatConvention.EN_VIGUEUR


def test_signing_an_overlapping_renewal_is_refused_in_french_and_saved_once_the_old_one_is_terminated(pilotage):
    ancienne = ConventionFactory()
    renouvellement = ConventionFactory(epci=ancienne.epci, statut=Statut.EN_NEGOCIATION)
    with pytest.raises(ValidationError, match="Une convention signée du même type couvre déjà"):
        services.convention_changer_statut(convention=renouvellement, statut=Statut.SIGNEE, par=pilotage)
    renouvellement.refresh_from_db()
    assert renouvellement.statut == Statut.EN_NEGOCIATION

    services.convention_changer_statut(convention=ancienne, statut=Statut.RESILIEE, par=pilotage, motif="Remplacée")
    services.convention_changer_statut(convention=renouvellement, statut=Statut.SIGNEE, par=pilotage)
    assert renouvellement.etat == EtatConvention.EN_VIGUEUR


def test_a_race_past_the_form_check_still_gets_the_french_error_from_the_database(pilotage, monkeypatch):
    ancienne = ConventionFactory()
    nouvelle = ConventionFactory(epci=ancienne.epci, statut=Statut.EN_NEGOCIATION)
    # As if the other convention had been signed between the check and the save.
    monkeypatch.setattr(ConventionTerritoriale, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="Une convention signée du même type couvre déjà"):
        services.convention_changer_statut(convention=nouvelle, statut=Statut.SIGNEE, par=pilotage)


def test_the_edit_form_shows_the_overlap_error_in_french_instead_of_a_500(client, pilotage):
    ancienne = ConventionFactory(date_debut=date(2025, 1, 1), date_fin=date(2026, 12, 31))
    suivante = ConventionFactory(epci=ancienne.epci, date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))
    client.force_login(pilotage)
    reponse = client.post(
        f"/agents/territoires/conventions/{suivante.pk}/modifier/",
        {
            "type": suivante.type,
            "intitule": "Avancée d'un mois",
            "date_debut": "01/12/2026",
            "date_fin": "31/12/2029",
        },
    )
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Une convention signée du même type couvre déjà" in contenu
    assert 'value="Avancée d\'un mois"' in unescape(contenu)  # nothing typed is lost
    suivante.refresh_from_db()
    assert suivante.date_debut == date(2027, 1, 1)


def test_dates_in_the_wrong_order_are_explained(client, pilotage, amiens):
    client.force_login(pilotage)
    reponse = client.post(
        "/agents/territoires/conventions/nouvelle/",
        {"epci": amiens.siren, "type": "aides", "date_debut": "2027-01-01", "date_fin": "2026-01-01"},
    )
    contenu = reponse.content.decode()
    assert "La fin de validité doit être postérieure au début." in contenu
    assert not ConventionTerritoriale.objects.exists()


# --- Yearly commitments ---------------------------------------------------------------------------


def test_yearly_amounts_are_set_per_year_replaced_and_totalled(client, pilotage):
    convention = ConventionFactory(date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))
    client.force_login(pilotage)
    url = f"/agents/territoires/conventions/{convention.pk}/engagements/"
    assert (
        client.post(url, {"annee": "2027", "montant_region": "120 000,00", "montant_epci": "60000"}).status_code == 302
    )
    assert client.post(url, {"annee": "2028", "montant_region": "100000", "montant_epci": "0"}).status_code == 302
    assert client.post(url, {"annee": "2027", "montant_region": "110000", "montant_epci": "55000"}).status_code == 302
    assert list(convention.engagements.values_list("annee", "montant_region", "montant_epci")) == [
        (2027, 110000, 55000),
        (2028, 100000, 0),
    ]
    contenu = unescape(client.get(f"/agents/territoires/conventions/{convention.pk}/").content.decode())
    assert "210\u00a0000,00\u00a0€" in contenu and "55\u00a0000,00\u00a0€" in contenu  # totals
    assert (
        "Engagement 2027 modifié" in contenu
        and "Engagé par la Région (€) : 120\u00a0000,00\u00a0€ → 110\u00a0000,00\u00a0€" in contenu
    )

    assert client.post(f"{url}2028/retirer/").status_code == 302
    assert list(convention.engagements.values_list("annee", flat=True)) == [2027]
    assert "Engagement 2028 retiré" in client.get(f"/agents/territoires/conventions/{convention.pk}/").content.decode()


def test_a_year_outside_the_convention_or_a_bad_amount_is_explained(client, pilotage):
    convention = ConventionFactory(date_debut=date(2027, 1, 1), date_fin=date(2029, 12, 31))
    client.force_login(pilotage)
    url = f"/agents/territoires/conventions/{convention.pk}/engagements/"
    reponse = client.post(url, {"annee": "2031", "montant_region": "-5", "montant_epci": "douze"})
    assert reponse.status_code == 400
    contenu = unescape(reponse.content.decode())
    assert "Choisissez une année de la convention." in contenu
    assert "Un montant ne peut pas être négatif." in contenu
    assert "Saisissez un montant en euros" in contenu
    assert not convention.engagements.exists()
    with pytest.raises(ValidationError, match="hors de la validité"):
        services.engagement_enregistrer(convention=convention, annee=2026, montant_region=1, montant_epci=1, par=None)


# --- Life cycle -----------------------------------------------------------------------------------


def test_a_convention_is_created_as_projet_then_negotiated_signed_and_terminated(client, pilotage, amiens):
    client.force_login(pilotage)
    reponse = client.post(
        "/agents/territoires/conventions/nouvelle/",
        {
            "epci": amiens.siren,
            "type": "cadre",
            "intitule": "Convention cadre 2027-2029",
            "date_debut": "01/01/2027",
            "date_fin": "31/12/2029",
            "signataire_region": "Le Président",
            "signataire_epci": "La Présidente",
            "notes": "Point d'étape en mars.",
        },
    )
    convention = ConventionTerritoriale.objects.get()
    assert reponse.status_code == 302
    assert reponse.url == f"/agents/territoires/conventions/{convention.pk}/"
    assert convention.statut == Statut.PROJET and convention.type == TypeConvention.CADRE
    url = f"/agents/territoires/conventions/{convention.pk}/statut/"
    assert client.post(url, {"statut": "signee"}).status_code == 400  # projet → signée skips the negotiation
    assert client.post(url, {"statut": "en_negociation"}).status_code == 302
    assert client.post(url, {"statut": "signee", "le": "15/12/2026"}).status_code == 302
    convention.refresh_from_db()
    assert convention.signee_le == date(2026, 12, 15)
    reponse = client.post(url, {"statut": "resiliee"})
    assert "Indiquez le motif de la résiliation." in reponse.content.decode()
    assert client.post(url, {"statut": "resiliee", "motif": "Fusion d'EPCI"}).status_code == 302
    convention.refresh_from_db()
    assert convention.statut == Statut.RESILIEE and convention.motif_resiliation == "Fusion d'EPCI"


def test_signing_needs_both_signatories(pilotage):
    convention = ConventionFactory(statut=Statut.EN_NEGOCIATION, signataire_epci="")
    with pytest.raises(ValidationError, match="Indiquez les signataires"):
        services.convention_changer_statut(convention=convention, statut=Statut.SIGNEE, par=pilotage)


def test_the_convention_page_shows_who_changed_what_and_when(client, pilotage, amiens):
    convention = services.convention_creer(
        epci=amiens,
        par=pilotage,
        type=TypeConvention.AIDES,
        date_debut=date(2027, 1, 1),
        date_fin=date(2029, 12, 31),
    )
    services.convention_modifier(convention=convention, par=pilotage, date_fin=date(2030, 6, 30), notes="Prolongée")
    client.force_login(pilotage)
    contenu = client.get(f"/agents/territoires/conventions/{convention.pk}/").content.decode()
    assert "Historique des modifications" in contenu
    assert "Fin de validité : 31/12/2029 → 30/06/2030" in contenu
    assert "Notes internes : — → Prolongée" in contenu
    assert str(pilotage) in contenu
    assert convention.history.count() == 2


# --- Permissions ----------------------------------------------------------------------------------


def _donnees(convention, **autres):
    return {
        "type": convention.type,
        "date_debut": convention.date_debut.isoformat(),
        "date_fin": convention.date_fin.isoformat(),
        "intitule": "Modifiée",
        **autres,
    }


@pytest.mark.parametrize("qui", ["pilotage", "charge_affecte"])
def test_pilotage_and_the_assigned_charge_de_mission_edit_a_convention(client, request, qui, amiens):
    convention = ConventionFactory(epci=amiens)
    client.force_login(request.getfixturevalue(qui))
    assert client.get(f"/agents/territoires/conventions/{convention.pk}/modifier/").status_code == 200
    reponse = client.post(f"/agents/territoires/conventions/{convention.pk}/modifier/", _donnees(convention))
    assert reponse.status_code == 302
    convention.refresh_from_db()
    assert convention.intitule == "Modifiée"


@pytest.mark.parametrize("role", [Role.INSTRUCTEUR, Role.GESTIONNAIRE_SAF, Role.SERVICE_FEDER])
def test_other_agents_read_a_convention_but_get_a_french_403_when_editing(client, creer_agent, role, amiens):
    convention = ConventionFactory(epci=amiens, notes="Note interne")
    client.force_login(creer_agent(role))
    page = client.get(f"/agents/territoires/conventions/{convention.pk}/")
    assert page.status_code == 200 and "Modifier la convention" not in page.content.decode()
    for url in ("modifier/", "statut/", "documents/", "engagements/"):
        reponse = client.post(f"/agents/territoires/conventions/{convention.pk}/{url}", _donnees(convention))
        assert reponse.status_code == 403
        assert "Seuls le pilotage et les chargés de mission affectés" in reponse.content.decode()
    convention.refresh_from_db()
    assert convention.intitule != "Modifiée"


def test_a_charge_de_mission_of_another_territory_cannot_edit_nor_create_here(client, charge_ailleurs, amiens):
    convention = ConventionFactory(epci=amiens)
    client.force_login(charge_ailleurs)
    assert (
        client.post(f"/agents/territoires/conventions/{convention.pk}/modifier/", _donnees(convention)).status_code
        == 403
    )
    assert client.get(f"/agents/territoires/conventions/nouvelle/?epci={amiens.siren}").status_code == 403
    reponse = client.post("/agents/territoires/conventions/nouvelle/", {**_donnees(convention), "epci": amiens.siren})
    assert "Choisissez un EPCI de la liste." in reponse.content.decode()  # only its own EPCI are offered
    assert ConventionTerritoriale.objects.count() == 1


def test_a_company_user_gets_403_and_an_anonymous_visitor_the_login_page(client, entreprise_client):
    convention = ConventionFactory()
    assert entreprise_client.get(f"/agents/territoires/conventions/{convention.pk}/").status_code == 403
    client.logout()
    reponse = client.get(f"/agents/territoires/conventions/{convention.pk}/")
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


def test_an_unknown_convention_is_a_404(agent_client):
    assert agent_client.get("/agents/territoires/conventions/999999/").status_code == 404
    assert agent_client.get("/agents/territoires/conventions/nouvelle/?epci=000000000").status_code in (403, 404)


def test_the_convention_page_runs_a_bounded_number_of_queries(client, pilotage, django_assert_max_num_queries):
    convention = ConventionFactory()
    for jour in range(5):
        services.convention_modifier(
            convention=convention, par=pilotage, date_fin=timezone.localdate() + timedelta(days=800 + jour)
        )
    client.force_login(pilotage)
    with django_assert_max_num_queries(14):
        assert client.get(f"/agents/territoires/conventions/{convention.pk}/").status_code == 200

"""The Django admin cannot go around the rules: status fields are read-only there, the admin actions
call the same services (and refuse what they refuse), and the database backs the invariants."""

import pytest
from django.contrib.postgres.forms import SimpleArrayField
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Statut
from aides.demandes.tests.factories import demande_deposee
from portal.models import Direction
from portal.roles import Role
from territoires.models import ConventionTerritoriale
from territoires.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, creer_agent):
    client.force_login(creer_agent(Role.ADMINISTRATEUR, is_superuser=True))
    return client


def donnees_du_formulaire(client, url: str) -> dict:
    """What the browser would post back: the change form as it is shown, inlines left empty."""
    reponse = client.get(url)
    assert reponse.status_code == 200
    form = reponse.context["adminform"].form
    donnees = {}
    for nom, champ in form.fields.items():
        valeur = form[nom].value()
        if valeur is None or valeur is False:
            continue
        if isinstance(champ, SimpleArrayField):
            donnees[nom] = champ.prepare_value(valeur)
        elif isinstance(valeur, (list, tuple)):
            donnees[nom] = [getattr(v, "pk", v) for v in valeur]
        else:
            donnees[nom] = valeur
    for formset in reponse.context["inline_admin_formsets"]:
        prefixe = formset.formset.prefix
        donnees.update({f"{prefixe}-TOTAL_FORMS": 0, f"{prefixe}-INITIAL_FORMS": 0})
    return donnees


def brouillon_incomplet() -> Dispositif:
    return DispositifFactory(statut=Dispositif.Statut.BROUILLON, thematiques=[], couvre_region=False)


# --- Dispositifs ---------------------------------------------------------------------------------


def test_posting_the_change_form_cannot_publish_a_draft(admin_client):
    dispositif = brouillon_incomplet()
    url = f"/admin/aides/dispositif/{dispositif.pk}/change/"
    donnees = donnees_du_formulaire(admin_client, url)
    assert "statut" not in donnees  # not even offered

    reponse = admin_client.post(url, {**donnees, "statut": "publie", "publie_le_0": "01/01/2026"})

    assert reponse.status_code == 302
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.BROUILLON and dispositif.publie_le is None


def test_adding_from_the_admin_makes_a_draft_whatever_is_posted(admin_client):
    donnees = donnees_du_formulaire(admin_client, "/admin/aides/dispositif/add/")
    donnees.update(
        {
            "nom": "Aide ajoutée",
            "resume": "Résumé.",
            "nature": "subvention",
            "thematiques": "tpe-proximite",
            "direction": Direction.objects.get(code="DAEN").pk,
            "statut": "publie",
        }
    )

    reponse = admin_client.post("/admin/aides/dispositif/add/", donnees)

    assert reponse.status_code == 302, reponse.context["adminform"].form.errors
    assert Dispositif.objects.get(nom="Aide ajoutée").statut == Dispositif.Statut.BROUILLON


def test_a_published_dispositif_stays_complete_when_edited_in_the_admin(admin_client):
    dispositif = DispositifFactory()
    url = f"/admin/aides/dispositif/{dispositif.pk}/change/"
    donnees = donnees_du_formulaire(admin_client, url)

    reponse = admin_client.post(url, {**donnees, "thematiques": ""})

    assert reponse.status_code == 200
    assert "il doit rester complet. Il manque au moins une thématique" in reponse.content.decode()
    dispositif.refresh_from_db()
    assert dispositif.thematiques


def test_an_archived_dispositif_is_frozen_in_the_admin(admin_client):
    dispositif = DispositifFactory(statut=Dispositif.Statut.ARCHIVE)
    url = f"/admin/aides/dispositif/{dispositif.pk}/change/"

    reponse = admin_client.post(url, {**donnees_du_formulaire(admin_client, url), "nom": "Renommé"})

    assert reponse.status_code == 200
    assert "Un dispositif archivé ne peut plus être modifié" in reponse.content.decode()
    dispositif.refresh_from_db()
    assert dispositif.nom != "Renommé"


def test_the_publish_action_calls_the_service_and_refuses_an_incomplete_draft(admin_client):
    incomplet = brouillon_incomplet()
    complet = DispositifFactory(statut=Dispositif.Statut.BROUILLON)

    reponse = admin_client.post(
        "/admin/aides/dispositif/",
        {"action": "publier", "_selected_action": [incomplet.pk, complet.pk]},
        follow=True,
    )

    page = reponse.content.decode()
    assert "ne peut pas être publié : il manque au moins une thématique et la couverture territoriale" in page
    assert "1 dispositif(s) publié(s)." in page
    incomplet.refresh_from_db()
    complet.refresh_from_db()
    assert incomplet.statut == Dispositif.Statut.BROUILLON
    assert complet.statut == Dispositif.Statut.PUBLIE and complet.publie_le is not None
    assert complet.historique.first().history_change_reason == "Publication"


def test_the_archive_and_draft_actions_call_the_services(admin_client):
    dispositif = DispositifFactory()

    admin_client.post("/admin/aides/dispositif/", {"action": "archiver", "_selected_action": [dispositif.pk]})
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.ARCHIVE

    reponse = admin_client.post(
        "/admin/aides/dispositif/", {"action": "archiver", "_selected_action": [dispositif.pk]}, follow=True
    )
    assert "Ce dispositif est déjà archivé." in reponse.content.decode()

    admin_client.post(
        "/admin/aides/dispositif/", {"action": "remettre_en_brouillon", "_selected_action": [dispositif.pk]}
    )
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.BROUILLON


def test_the_database_refuses_a_published_dispositif_without_date_or_theme():
    dispositif = DispositifFactory(statut=Dispositif.Statut.BROUILLON, thematiques=[])

    for champs in ({"statut": "publie", "publie_le": None, "thematiques": ["tpe-proximite"]}, {"statut": "publie"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Dispositif.objects.filter(pk=dispositif.pk).update(**champs)

    dispositif.statut = Dispositif.Statut.PUBLIE
    with pytest.raises(ValidationError) as erreur:
        dispositif.full_clean()
    messages = " ".join(erreur.value.messages)
    assert "Un dispositif publié doit avoir une date de publication." in messages
    assert "Un dispositif publié doit avoir au moins une thématique." in messages


# --- Applications ------------------------------------------------------------------------------


def test_an_application_cannot_change_state_from_the_admin(admin_client):
    demande = demande_deposee()
    url = f"/admin/aides/demande/{demande.pk}/change/"

    reponse = admin_client.post(url, {"statut": Statut.ACCORDEE, "montant_accorde": "1000"})

    assert reponse.status_code == 403
    demande.refresh_from_db()
    assert demande.statut == Statut.DEPOSEE
    assert admin_client.get(url).status_code == 200  # read-only view
    assert admin_client.get("/admin/aides/demande/add/").status_code == 403


# --- EPCI conventions -------------------------------------------------------------------------


def test_an_epci_convention_status_cannot_be_posted_in_the_admin(admin_client):
    convention = ConventionFactory(statut=ConventionTerritoriale.Statut.PROJET)
    url = f"/admin/territoires/conventionterritoriale/{convention.pk}/change/"
    donnees = donnees_du_formulaire(admin_client, url)
    assert "statut" not in donnees

    reponse = admin_client.post(url, {**donnees, "statut": "signee", "signee_le": "2026-01-01"})

    assert reponse.status_code == 302
    convention.refresh_from_db()
    assert convention.statut == ConventionTerritoriale.Statut.PROJET and convention.signee_le is None


def test_the_epci_convention_actions_call_the_service_and_refuse_what_it_refuses(admin_client):
    convention = ConventionFactory(statut=ConventionTerritoriale.Statut.PROJET, signataire_epci="")
    liste = "/admin/territoires/conventionterritoriale/"

    reponse = admin_client.post(liste, {"action": "declarer_signee", "_selected_action": [convention.pk]}, follow=True)
    assert "ne peut pas passer à « Signée »" in reponse.content.decode()

    admin_client.post(liste, {"action": "passer_en_negociation", "_selected_action": [convention.pk]})
    reponse = admin_client.post(liste, {"action": "declarer_signee", "_selected_action": [convention.pk]}, follow=True)
    assert "Indiquez les signataires" in reponse.content.decode()
    convention.refresh_from_db()
    assert convention.statut == ConventionTerritoriale.Statut.EN_NEGOCIATION

    ConventionTerritoriale.objects.filter(pk=convention.pk).update(signataire_epci="La Présidente")
    admin_client.post(liste, {"action": "declarer_signee", "_selected_action": [convention.pk]})
    convention.refresh_from_db()
    assert convention.statut == ConventionTerritoriale.Statut.SIGNEE and convention.signee_le is not None


def test_the_database_refuses_a_signed_or_terminated_epci_convention_without_its_dates():
    convention = ConventionFactory(statut=ConventionTerritoriale.Statut.PROJET)

    for champs in ({"statut": "signee"}, {"statut": "resiliee", "signee_le": convention.date_debut}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ConventionTerritoriale.objects.filter(pk=convention.pk).update(**champs)


# --- Requests for contact (CRM) ------------------------------------------------------------------


def test_a_request_for_contact_follow_up_is_read_only_in_the_admin(admin_client):
    from crm.models import Sollicitation
    from crm.referentiels import Besoin
    from crm.services import sollicitation_creer
    from territoires.models import Commune

    sollicitation = sollicitation_creer(
        commune=Commune.objects.first(),
        besoin=Besoin.choices[0][0],
        nom="Camille Test",
        email="camille@exemple.fr",
        consentement=True,
    )
    url = f"/admin/crm/sollicitation/{sollicitation.pk}/change/"
    donnees = donnees_du_formulaire(admin_client, url)
    assert "statut" not in donnees and "reponse" not in donnees

    admin_client.post(url, {**donnees, "statut": "close", "reponse": "Réglé."})

    sollicitation.refresh_from_db()
    assert sollicitation.statut == Sollicitation.Statut.NOUVELLE and sollicitation.reponse == ""

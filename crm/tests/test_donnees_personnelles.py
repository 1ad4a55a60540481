import json
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from crm import services
from crm.models import Contact, Sollicitation
from territoires.models import Commune

from .factories import ContactFactory, EtablissementFactory


def donner_le_role_dpd(agent) -> None:
    from django.contrib.auth.models import Group

    from portal.roles import Role

    agent.groups.add(Group.objects.get(name=Role.DPD.value))


def test_only_the_data_protection_officer_exports_personal_data(client, creer_agent):
    from portal.roles import ROLES_AGENTS, Role

    contact = ContactFactory(email="paul@pme.fr")
    for role in ROLES_AGENTS:
        client.force_login(creer_agent(role))
        attendu = 200 if role == Role.DPD else 403
        assert client.get(reverse("crm_agents:personne-export"), {"email": "paul@pme.fr"}).status_code == attendu
        assert client.get(reverse("crm_agents:contact-export", args=[contact.pk]), follow=True).status_code == attendu


pytestmark = pytest.mark.django_db


def test_a_new_contact_is_kept_three_years_by_default_and_the_duration_is_configurable():
    entreprise = EtablissementFactory().entreprise
    contact = services.contact_creer(entreprise=entreprise, nom="Vasseur")
    assert contact.conserver_jusquau == services.date_fin_conservation(timezone.localdate())
    assert contact.conserver_jusquau.year == timezone.localdate().year + 3
    assert contact.base_legale == "interet_legitime"
    with override_settings(CRM_CONSERVATION_CONTACT_ANNEES=5):
        assert services.date_fin_conservation(date(2026, 1, 15)) == date(2031, 1, 15)


def test_an_interaction_pushes_back_the_retention_date(agent):
    contact = ContactFactory(conserver_jusquau=date(2027, 1, 1))
    services.interaction_enregistrer(
        auteur=agent, entreprise=contact.entreprise, agents=[agent], contacts=[contact],
        type="appel", date=date(2026, 10, 1), objet="Appel",
    )  # fmt: skip
    contact.refresh_from_db()
    assert contact.conserver_jusquau == date(2029, 10, 1)


def test_the_job_anonymises_expired_contacts_only(agent):
    expire = ContactFactory(nom="Ancien", email="ancien@pme.fr", telephone="0600000000",
                            conserver_jusquau=timezone.localdate() - timedelta(days=1))  # fmt: skip
    valide = ContactFactory(nom="Actuel", conserver_jusquau=timezone.localdate() + timedelta(days=1))

    assert services.contacts_anonymiser() == 1
    expire.refresh_from_db()
    assert (expire.nom, expire.email, expire.telephone) == ("Contact anonymisé", "", "")
    assert expire.anonymise_le is not None and str(expire) == "Contact anonymisé"
    valide.refresh_from_db()
    assert valide.nom == "Actuel"
    assert services.contacts_anonymiser() == 0  # safe twice


def test_the_command_anonymises_by_hand_and_old_closed_requests_too(agent, capsys):
    ContactFactory(conserver_jusquau=timezone.localdate() - timedelta(days=1))
    vieille = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"), besoin="investir", origine="formulaire",
        nom="Jeanne Ancienne", email="jeanne@pme.fr", consentement=True,
    )  # fmt: skip
    services.sollicitation_clore(sollicitation=vieille, par=agent, motif="Sans suite")
    il_y_a_3_ans = timezone.now() - timedelta(days=365 * 3 + 5)
    Sollicitation.objects.filter(pk=vieille.pk).update(cree_le=il_y_a_3_ans, close_le=il_y_a_3_ans)
    # Made long ago but closed last month: kept three years from its last change.
    recente = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"), besoin="investir", origine="formulaire",
        nom="Marc Récent", email="marc@pme.fr", consentement=True,
    )  # fmt: skip
    services.sollicitation_clore(sollicitation=recente, par=agent, motif="Sans suite")
    Sollicitation.objects.filter(pk=recente.pk).update(cree_le=il_y_a_3_ans)

    call_command("anonymiser_contacts")

    assert "1 contact(s) anonymisé(s)" in capsys.readouterr().out
    vieille.refresh_from_db()
    assert vieille.nom == "Demandeur anonymisé" and vieille.email == "anonyme@invalid"
    recente.refresh_from_db()
    assert recente.nom == "Marc Récent"
    assert Contact.objects.filter(anonymise_le__isnull=True).count() == 0


def test_staff_export_everything_held_on_a_person_as_json(agent_client, agent):
    donner_le_role_dpd(agent)
    contact = ContactFactory(prenom="Paul", nom="Vasseur", email="paul@pme.fr", telephone="0321000000")
    services.interaction_enregistrer(
        auteur=agent, entreprise=contact.entreprise, agents=[agent], contacts=[contact],
        type="visite", date=date(2026, 9, 1), objet="Visite de l'usine", notes="Besoin de financement",
    )  # fmt: skip
    services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"), besoin="recruter", origine="formulaire",
        nom="Paul Vasseur", email="PAUL@pme.fr", consentement=True, message="Recruter 3 soudeurs",
    )  # fmt: skip
    ContactFactory(email="autre@pme.fr")

    reponse = agent_client.get(reverse("crm_agents:personne-export"), {"email": "paul@pme.fr"})

    assert reponse["Content-Type"] == "application/json"
    assert "attachment" in reponse["Content-Disposition"]
    donnees = json.loads(reponse.content)
    assert [c["telephone"] for c in donnees["contacts"]] == ["0321000000"]
    assert donnees["contacts"][0]["interactions"][0]["objet"] == "Visite de l'usine"
    assert donnees["contacts"][0]["interactions"][0]["notes"] == "Besoin de financement"
    assert [s["message"] for s in donnees["sollicitations"]] == ["Recruter 3 soudeurs"]
    assert "autre@pme.fr" not in reponse.content.decode()


def test_the_contact_link_exports_a_person_whose_email_has_a_plus_sign(agent_client, agent):
    donner_le_role_dpd(agent)
    contact = ContactFactory(nom="Vasseur", email="paul+crm@pme.fr")
    reponse = agent_client.get(reverse("crm_agents:contact-export", args=[contact.pk]), follow=True)
    assert [c["nom"] for c in json.loads(reponse.content)["contacts"]] == ["Vasseur"]


def test_a_company_account_cannot_export_personal_data(entreprise_client):
    assert entreprise_client.get(reverse("crm_agents:personne-export"), {"email": "x@y.fr"}).status_code == 403


def test_forms_collecting_personal_data_link_the_privacy_notice(agent_client):
    entreprise = EtablissementFactory().entreprise
    for url in (
        reverse("crm_agents:contact-nouveau", args=[entreprise.siren]),
        reverse("crm_agents:interaction-nouvelle", args=[entreprise.siren]),
        reverse("crm_agents:sollicitation-nouvelle"),
    ):
        assert reverse("donnees-personnelles") in agent_client.get(url).content.decode(), url

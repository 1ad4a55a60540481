from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from crm import services
from crm.models import Sollicitation
from portal.models import Direction, Notification
from portal.roles import Role
from territoires.models import Commune
from territoires.tests.factories import AffectationFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def demande(commune_code="80021", besoin="investir", **champs) -> Sollicitation:
    valeurs = {
        "origine": "formulaire",
        "nom": "Claire Martin",
        "email": "claire@pme.fr",
        "consentement": True,
        **champs,
    }
    return services.sollicitation_creer(commune=Commune.objects.get(code_insee=commune_code), besoin=besoin, **valeurs)


def envoyes(gabarit: str) -> set[str]:
    return set(Notification.objects.filter(gabarit=gabarit).values_list("destinataire", flat=True))


@pytest.mark.parametrize("code", ["02691", "59350", "60057", "62193", "80021"])
def test_a_request_goes_to_the_agents_of_the_communes_epci_for_the_direction(code, creer_agent):
    commune = Commune.objects.get(code_insee=code)
    daen, dpre = Direction.objects.get(code="DAEN"), Direction.objects.get(code="DPRE")
    chargee = AffectationFactory(epci=commune.epci, agent=creer_agent(Role.CHARGE_DE_MISSION), direction=daen).agent
    AffectationFactory(epci=commune.epci, agent=creer_agent(Role.CHARGE_DE_MISSION, direction=dpre), direction=dpre)
    ailleurs = Commune.objects.exclude(epci=commune.epci).first()
    AffectationFactory(epci=ailleurs.epci, agent=creer_agent(Role.CHARGE_DE_MISSION), direction=daen)

    sollicitation = demande(code, besoin="investir")

    assert sollicitation.direction == daen
    assert list(sollicitation.assignes.all()) == [chargee]
    assert envoyes("crm_sollicitation_nouvelle") == {chargee.email}


def test_a_recruitment_need_goes_to_prochemploi():
    assert demande(besoin="recruter").direction.code == "DPRE"


def test_without_an_assigned_agent_the_request_lands_in_the_directions_inbox(client, creer_agent):
    daen = Direction.objects.get(code="DAEN")
    daen.email_partage = "daen@hautsdefrance.fr"
    daen.save()
    sollicitation = demande("62193")
    assert sollicitation.assignes.count() == 0
    assert envoyes("crm_sollicitation_nouvelle") == {"daen@hautsdefrance.fr"}

    collegue = creer_agent(Role.CHARGE_DE_MISSION)
    client.force_login(collegue)
    boite = client.get(reverse("crm_agents:sollicitations"), {"onglet": "direction"}).context["page"]
    assert list(boite.object_list) == [sollicitation]
    assert list(client.get(reverse("crm_agents:sollicitations")).context["page"].object_list) == []


def test_the_public_form_creates_a_routed_request_and_requires_consent():
    client = Client()
    url = reverse("crm:contact")
    page = client.get(url).content.decode()
    assert reverse("donnees-personnelles") in page
    donnees = {"nom": "Claire Martin", "email": "claire@pme.fr", "commune": "Amiens", "besoin": "innover",
               "message": "Un prototype à financer"}  # fmt: skip
    reponse = client.post(url, donnees)
    assert "Votre accord est nécessaire" in reponse.content.decode()
    assert "Un prototype à financer" in reponse.content.decode()
    assert Sollicitation.objects.count() == 0

    assert client.post(url, {**donnees, "consentement": "on"})["Location"] == reverse("crm:contact-merci")
    sollicitation = Sollicitation.objects.get()
    assert (sollicitation.commune.code_insee, sollicitation.direction.code) == ("80021", "DIPI")


def test_the_public_form_refuses_an_html_tag_in_the_name_and_keeps_the_rest():
    donnees = {"nom": '<img src=x onerror="alert(1)">', "email": "claire@pme.fr", "commune": "Amiens",
               "besoin": "innover", "entreprise_saisie": "Atelier <i>Martin</i>", "consentement": "on"}  # fmt: skip
    reponse = Client().post(reverse("crm:contact"), donnees)
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and contenu.count("Les balises HTML") >= 2
    assert 'value="claire@pme.fr"' in contenu and 'value="Amiens"' in contenu
    assert "<img src=x" not in contenu  # only ever shown escaped
    assert not Sollicitation.objects.exists()
    with pytest.raises(ValidationError, match="balises HTML"):
        demande(nom="<b>Claire</b>")  # the rule holds for every writer, not only this form


def test_a_request_with_a_known_siret_is_attached_to_the_company():
    from .factories import EtablissementFactory

    etablissement = EtablissementFactory()
    sollicitation = demande(entreprise_saisie=etablissement.siret)
    assert sollicitation.entreprise == etablissement.entreprise
    assert sollicitation.etablissement == etablissement


def test_taking_a_request_tells_the_company_by_email_and_the_states_follow(agent_client, agent):
    sollicitation = demande()
    url = reverse("crm_agents:sollicitation", args=[sollicitation.pk])
    agent_client.post(url, {"action": "prendre"})
    sollicitation.refresh_from_db()
    assert sollicitation.statut == "prise_en_charge" and sollicitation.prise_en_charge_par == agent
    assert envoyes("crm_sollicitation_prise") == {"claire@pme.fr"}

    agent_client.post(url, {"action": "repondre", "reponse": "Dossier PIA envoyé."})
    sollicitation.refresh_from_db()
    assert sollicitation.statut == "repondue" and sollicitation.repondue_le is not None
    with pytest.raises(ValidationError, match="déjà"):
        services.sollicitation_clore(sollicitation=sollicitation, par=agent)


def test_a_refused_action_shows_its_reason_next_to_the_form_and_keeps_what_was_typed(agent_client, agent):
    sollicitation = demande()  # an investment need: DAEN, the agent's own direction
    url = reverse("crm_agents:sollicitation", args=[sollicitation.pk])
    reponse = agent_client.post(
        url, {"action": "reorienter", "direction": agent.direction.pk, "motif": "Projet de formation des salariés"}
    )
    contenu = reponse.content.decode()
    assert reponse.status_code == 200 and "La demande est déjà dans cette direction." in contenu
    assert "Projet de formation des salariés" in contenu
    sollicitation.refresh_from_db()
    assert sollicitation.statut == "nouvelle"

    services.sollicitation_clore(sollicitation=sollicitation, par=agent)
    reponse = agent_client.post(url, {"action": "repondre", "reponse": "Trop tard"}, follow=True)
    assert "Cette demande est déjà « Close »." in reponse.content.decode()


def test_reorienting_to_another_direction_routes_a_new_request_there(agent):
    sollicitation = demande()
    services.sollicitation_reorienter(
        sollicitation=sollicitation, par=agent, direction=Direction.objects.get(code="DFP"), motif="Formation"
    )
    sollicitation.refresh_from_db()
    assert sollicitation.statut == "reorientee"
    nouvelle = Sollicitation.objects.exclude(pk=sollicitation.pk).get()
    assert (nouvelle.direction.code, nouvelle.statut) == ("DFP", "nouvelle")


def test_reminders_after_2_working_days_and_alert_to_pilotage_after_10(creer_agent):
    commune = Commune.objects.get(code_insee="80021")
    daen = Direction.objects.get(code="DAEN")
    chargee = AffectationFactory(epci=commune.epci, agent=creer_agent(Role.CHARGE_DE_MISSION), direction=daen).agent
    pilote = creer_agent(Role.PILOTAGE, direction=daen)
    creer_agent(Role.PILOTAGE, direction=Direction.objects.get(code="DFP"))  # another direction's pilotage

    # Friday 6 November 2026, 10:00; Wednesday 11 November is a public holiday.
    with time_machine.travel(datetime(2026, 11, 6, 10, tzinfo=PARIS), tick=False):
        sollicitation = demande()
    Notification.objects.all().delete()

    with time_machine.travel(datetime(2026, 11, 10, 9, tzinfo=PARIS), tick=False):  # Tuesday, before 10:00
        assert services.sollicitations_relancer() == {"relances": 0, "alertes": 0, "sans_destinataire": 0}
    with time_machine.travel(datetime(2026, 11, 10, 10, tzinfo=PARIS), tick=False):  # 2 working days
        assert services.sollicitations_relancer() == {"relances": 1, "alertes": 0, "sans_destinataire": 0}
        assert services.sollicitations_relancer() == {"relances": 0, "alertes": 0, "sans_destinataire": 0}  # sent once
    assert envoyes("crm_sollicitation_relance") == {chargee.email}

    # 10 working days after Friday 6 (skipping 11 November): Monday 23 November, 10:00.
    with time_machine.travel(datetime(2026, 11, 23, 9, tzinfo=PARIS), tick=False):
        call_command("relancer_sollicitations")
    assert not envoyes("crm_sollicitation_alerte")
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=PARIS), tick=False):
        call_command("relancer_sollicitations")
        sollicitation.refresh_from_db()
        assert sollicitation.delai_prise_en_charge == 10  # working days so far, shown in the inbox
    assert envoyes("crm_sollicitation_alerte") == {pilote.email}


def test_an_answered_request_gets_no_reminder(agent):
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=PARIS), tick=False):
        sollicitation = demande()
        services.sollicitation_prendre_en_charge(sollicitation=sollicitation, par=agent)
        services.sollicitation_repondre(sollicitation=sollicitation, par=agent, reponse="Fait")
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=PARIS), tick=False):
        assert services.sollicitations_relancer() == {"relances": 0, "alertes": 0, "sans_destinataire": 0}


def test_the_inbox_is_paginated_with_bounded_queries(agent_client, agent, django_assert_max_num_queries):
    commune = Commune.objects.get(code_insee="80021")
    AffectationFactory(epci=commune.epci, agent=agent, direction=agent.direction)
    for n in range(30):
        demande(nom=f"Demandeur {n}")
    with django_assert_max_num_queries(12):
        reponse = agent_client.get(reverse("crm_agents:sollicitations"))
    assert len(reponse.context["page"].object_list) == 25


def test_staff_pages_render_for_an_agent(agent_client, agent):
    from .factories import EtablissementFactory

    sollicitation = demande()
    siren = EtablissementFactory().entreprise.siren
    for url in (
        reverse("crm_agents:sollicitation", args=[sollicitation.pk]),
        reverse("crm_agents:sollicitation-nouvelle") + f"?siren={siren}",
        reverse("crm_agents:mes-interactions"),
        reverse("crm_agents:entreprise-nouvelle"),
        reverse("crm_agents:etablissement-nouveau", args=[siren]),
    ):
        assert agent_client.get(url).status_code == 200, url
    assert agent_client.get(reverse("crm_agents:sollicitation", args=[999999])).status_code == 404
    assert agent_client.get(reverse("crm_agents:personne-export")).status_code == 403  # the DPD's


def test_an_agent_records_a_request_for_a_known_company(agent_client):
    from .factories import EtablissementFactory

    entreprise = EtablissementFactory().entreprise
    reponse = agent_client.post(
        reverse("crm_agents:sollicitation-nouvelle"),
        {"nom": "Paul", "email": "paul@pme.fr", "commune": "80021", "besoin": "former", "siren": entreprise.siren},
    )
    sollicitation = Sollicitation.objects.get()
    assert reponse["Location"] == reverse("crm_agents:sollicitation", args=[sollicitation.pk])
    assert (sollicitation.entreprise, sollicitation.origine, sollicitation.direction.code) == (
        entreprise,
        "agent",
        "DFP",
    )


def test_the_demo_data_loads_twice_without_duplicates():
    import io

    from crm import demo
    from crm.models import Entreprise, Structure
    from portal import demo as demo_portal

    demo_portal.charger(io.StringIO())
    demo.charger(io.StringIO())
    demo.charger(io.StringIO())
    assert Structure.objects.filter(sigle="CCI").count() == 1
    assert Entreprise.objects.filter(demo=True).count() == 5
    assert Sollicitation.objects.count() == 5


def test_the_inbox_shows_the_directions_median_delays(agent_client, agent):
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=PARIS), tick=False):  # Monday
        sollicitation = demande()
    with time_machine.travel(datetime(2026, 11, 5, 10, tzinfo=PARIS), tick=False):  # Thursday: 3 working days
        services.sollicitation_prendre_en_charge(sollicitation=sollicitation, par=agent)
        services.sollicitation_repondre(sollicitation=sollicitation, par=agent, reponse="Fait")
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=PARIS), tick=False):
        demande()
        contenu = agent_client.get(reverse("crm_agents:sollicitations")).content.decode()
    assert "2 demandes reçues, 1 en attente de prise en charge" in contenu
    assert "délai médian de prise en charge : 3 jours ouvrés" in contenu


def test_without_pilotage_the_alert_goes_to_the_directions_shared_inbox():
    daen = Direction.objects.get(code="DAEN")
    daen.email_partage = "daen@hautsdefrance.fr"
    daen.save()
    with time_machine.travel(datetime(2026, 11, 2, 10, tzinfo=PARIS), tick=False):
        demande()
    with time_machine.travel(datetime(2026, 11, 30, 10, tzinfo=PARIS), tick=False):
        assert services.sollicitations_relancer() == {"relances": 1, "alertes": 1, "sans_destinataire": 0}
    assert envoyes("crm_sollicitation_alerte") == {"daen@hautsdefrance.fr"}

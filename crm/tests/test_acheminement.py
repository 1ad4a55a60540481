"""Every routed item reaches someone, or says honestly that nobody got it (issue #13, item 10).

Order of fallback: the people concerned, the direction's shared mailbox, the direction's pilotage,
pilotage as a whole. An alert that could not be written is not marked sent.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.tests.factories import demande_deposee
from crm import services
from crm.models import Sollicitation
from portal.models import Direction, Notification, User
from portal.roles import Role
from territoires.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def personne_nulle_part():
    """No pilotage and no shared mailbox anywhere, unless a test adds one."""
    Group.objects.get(name=Role.PILOTAGE.value).user_set.clear()
    Direction.objects.update(email_partage="")


def envoyes(gabarit: str) -> set[str]:
    return set(Notification.objects.filter(gabarit=gabarit).values_list("destinataire", flat=True))


def contacter(client, code="62193", besoin="investir"):
    commune = Commune.objects.get(code_insee=code)
    return client.post(
        reverse("crm:contact"),
        {
            "nom": "Claire Martin",
            "email": "claire@pme.fr",
            "commune": commune.code_insee,
            "besoin": besoin,
            "message": "Un projet d'atelier.",
            "consentement": "on",
        },
        follow=True,
    )


def test_a_request_nobody_can_receive_says_so_honestly(client):
    page = unescape(contacter(client).content.decode())
    sollicitation = Sollicitation.objects.get()
    assert sollicitation.acheminement == Sollicitation.Acheminement.AUCUN
    assert not Notification.objects.filter(gabarit="crm_sollicitation_nouvelle").exists()
    assert "a reçu votre demande" not in page and "transmise à la personne" not in page
    assert "aucun conseiller n'est encore désigné" in page.lower()


def test_a_request_without_agent_or_mailbox_goes_to_the_directions_pilotage(client, creer_agent):
    daen = Direction.objects.get(code="DAEN")
    pilote = creer_agent(Role.PILOTAGE, direction=daen)
    creer_agent(Role.PILOTAGE, direction=Direction.objects.get(code="DPRE"))  # another direction's
    page = unescape(contacter(client).content.decode())
    sollicitation = Sollicitation.objects.get()
    assert sollicitation.acheminement == Sollicitation.Acheminement.PILOTAGE
    assert envoyes("crm_sollicitation_nouvelle") == {pilote.email}
    assert "pilotage" in page and "a reçu votre demande" not in page


def test_the_mailbox_comes_before_pilotage_and_the_page_names_the_direction(client, creer_agent):
    daen = Direction.objects.get(code="DAEN")
    daen.email_partage = "daen@hautsdefrance.fr"
    daen.save()
    creer_agent(Role.PILOTAGE, direction=daen)
    page = unescape(contacter(client).content.decode())
    assert envoyes("crm_sollicitation_nouvelle") == {"daen@hautsdefrance.fr"}
    assert Sollicitation.objects.get().acheminement == Sollicitation.Acheminement.BOITE_DIRECTION
    assert daen.nom in page


def test_the_parcours_confirmation_does_not_claim_a_counsellor_received_it(client, db):
    qs = "effectif=12&commune=62193&projets=investir"
    page = client.get(f"/parcours/contact/?{qs}")
    jeton = re.search(r'name="jeton" value="([0-9a-f-]+)"', unescape(page.content.decode())).group(1)
    reponse = client.post(
        f"/parcours/contact/?{qs}",
        {"nom": "Jeanne Martin", "email": "jeanne@exemple.fr", "consentement": "on", "jeton": jeton},
        follow=True,
    )
    confirmation = unescape(reponse.content.decode())
    assert "a reçu votre demande" not in confirmation
    assert "aucun conseiller n'est encore désigné" in confirmation.lower()


def test_a_deposit_on_a_direction_without_instructor_or_mailbox_notifies_pilotage(creer_agent):
    dipi = Direction.objects.get(code="DIPI")
    pilote = creer_agent(Role.PILOTAGE, direction=Direction.objects.get(code="DAEN"))  # pilotage as a whole
    demande_deposee(dispositif=DispositifFactory(direction=dipi))
    assert envoyes("demande_nouvelle") == {pilote.email}


def test_an_escalation_that_could_not_be_written_is_not_marked_sent(creer_agent):
    sollicitation = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="62193"),
        besoin="investir",
        origine="formulaire",
        nom="Claire Martin",
        email="claire@pme.fr",
        consentement=True,
    )
    plus_tard = timezone.now() + timedelta(days=20)
    with time_machine.travel(plus_tard, tick=False):
        compte = services.sollicitations_relancer()
    sollicitation.refresh_from_db()
    assert sollicitation.alerte_le is None and sollicitation.relance_le is None
    assert compte["alertes"] == 0 and compte["sans_destinataire"] == 2
    pilote = creer_agent(Role.PILOTAGE, direction=sollicitation.direction)
    with time_machine.travel(plus_tard, tick=False):
        compte = services.sollicitations_relancer()
    sollicitation.refresh_from_db()
    assert sollicitation.alerte_le is not None and compte["alertes"] == 1
    assert pilote.email in envoyes("crm_sollicitation_alerte")


def test_the_inbox_and_the_request_page_show_the_reminder_and_the_escalation(client, creer_agent):
    daen = Direction.objects.get(code="DAEN")
    daen.email_partage = "daen@hautsdefrance.fr"
    daen.save()
    sollicitation = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="62193"),
        besoin="investir",
        origine="formulaire",
        nom="Claire Martin",
        email="claire@pme.fr",
        consentement=True,
    )
    with time_machine.travel(timezone.now() + timedelta(days=20), tick=False):
        services.sollicitations_relancer()
    sollicitation.refresh_from_db()
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION, direction=daen))
    boite = unescape(client.get(reverse("crm_agents:sollicitations"), {"onglet": "direction"}).content.decode())
    assert f"relancée le {timezone.localtime(sollicitation.relance_le):%d/%m/%Y}" in boite
    assert f"alerte pilotage le {timezone.localtime(sollicitation.alerte_le):%d/%m/%Y}" in boite
    page = unescape(client.get(reverse("crm_agents:sollicitation", args=[sollicitation.pk])).content.decode())
    assert "Relance envoyée le" in page and "Alerte au pilotage envoyée le" in page
    assert User.objects.filter(email="daen@hautsdefrance.fr").count() == 0

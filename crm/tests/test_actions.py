"""What an agent may do with a request in each state: the transition table of `crm.actions`, the one
the services enforce."""

import pytest
from django.core.exceptions import ValidationError

from crm import services
from crm.actions import actions_sollicitation
from crm.models import Sollicitation
from portal.roles import Role
from territoires.models import Commune

Statut = Sollicitation.Statut
OUVERTE = {"repondre", "reorienter", "clore"}


@pytest.mark.parametrize(
    ("statut", "attendu"),
    [
        (Statut.NOUVELLE, {"prendre"} | OUVERTE),
        (Statut.PRISE_EN_CHARGE, OUVERTE),
        (Statut.REPONDUE, set()),
        (Statut.REORIENTEE, set()),
        (Statut.CLOSE, set()),
    ],
)
def test_pilotage_handles_a_request_as_long_as_it_is_open(creer_agent, statut, attendu):
    assert actions_sollicitation(creer_agent(Role.PILOTAGE), Sollicitation(statut=statut)) == attendu


def test_an_agent_of_another_direction_reads_a_request_but_handles_nothing(creer_agent, db):
    demande = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"),
        besoin="investir",
        origine="formulaire",
        nom="Claire Martin",
        email="claire@pme.fr",
        consentement=True,
    )
    autre = creer_agent(Role.CHARGE_DE_MISSION, direction=None)
    assert actions_sollicitation(autre, demande) == set()


def test_a_closed_request_cannot_be_answered(creer_agent, db):
    agent = creer_agent(Role.PILOTAGE)
    demande = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"),
        besoin="investir",
        origine="formulaire",
        nom="Claire Martin",
        email="claire@pme.fr",
        consentement=True,
    )
    services.sollicitation_clore(sollicitation=demande, par=agent)
    with pytest.raises(ValidationError, match="déjà « Close »"):
        services.sollicitation_repondre(sollicitation=demande, par=agent, reponse="Trop tard.")

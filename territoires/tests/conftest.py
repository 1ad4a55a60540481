import pytest

from portal.roles import Role
from territoires.models import EPCI
from territoires.tests.factories import AffectationFactory


@pytest.fixture
def amiens(db):
    """Amiens Métropole, a real EPCI of the test database."""
    return EPCI.objects.get(communes__code_insee="80021")


@pytest.fixture
def pilotage(creer_agent):
    return creer_agent(Role.PILOTAGE)


@pytest.fixture
def charge_affecte(creer_agent, amiens):
    """A chargé de mission assigned to Amiens Métropole."""
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    AffectationFactory(agent=agent, epci=amiens)
    return agent


@pytest.fixture
def charge_ailleurs(creer_agent):
    """A chargé de mission assigned to another EPCI (Saint-Quentin)."""
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    AffectationFactory(agent=agent, epci=EPCI.objects.get(siren="200071892"))
    return agent

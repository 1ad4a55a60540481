"""The SAF dashboard starts with what the manager has to do."""

import pytest

from aides.conventions.tests.factories import demande_accordee
from portal.roles import Role

pytestmark = pytest.mark.django_db


def test_the_to_do_list_comes_before_the_statistics(client, creer_agent):
    demande = demande_accordee()
    client.force_login(creer_agent(Role.GESTIONNAIRE_SAF))
    page = client.get("/agents/saf/").content.decode()
    a_faire = page.index('id="titre-a-faire"')
    assert a_faire < page.index("Conventions par étape") < page.index("Délais par étape")
    assert page.index(demande.numero_depot) < page.index("Conventions par étape")

"""Fixtures of the applications' tests (shared ones: the root conftest.py)."""

import pytest

from aides.demandes.tests.factories import RepresentantFactory


@pytest.fixture
def representant(db):
    """A company's legal representative, with its verified company account."""
    return RepresentantFactory()


@pytest.fixture
def client_entreprise(client, representant):
    client.force_login(representant.utilisateur)
    return client

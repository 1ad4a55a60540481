"""Every staff page answers to an agent holding every role (the list the browser tests walk)."""

import pytest

from portal.tests.pages import pages_remplies

pytestmark = pytest.mark.django_db


def test_every_listed_page_answers(client):
    pages = pages_remplies()
    client.force_login(pages.agent)
    for url in pages.staff:
        assert client.get(url).status_code == 200, url
    client.logout()
    for url in pages.publiques:
        assert client.get(url).status_code == 200, url
    client.force_login(pages.entreprise)
    for url in pages.espace:
        assert client.get(url).status_code == 200, url

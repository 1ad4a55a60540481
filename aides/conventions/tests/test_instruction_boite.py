"""The instruction inbox opens on the files to act on, the one waiting longest first."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse

from aides.conventions.tests.factories import demande_accordee
from aides.demandes.models.demande import Demande
from aides.demandes.tests.factories import demande_deposee, demande_en_instruction

pytestmark = pytest.mark.django_db

BOITE = "/agents/instruction/"


@pytest.fixture
def demandes(instructeur):
    """An old granted file, an old one in instruction, a fresh deposit (deposit dates set apart)."""
    accordee = demande_accordee(instructeur=instructeur)
    en_instruction = demande_en_instruction(instructeur)
    nouvelle = demande_deposee()
    maintenant = nouvelle.depose_le
    for demande, jours in [(accordee, 60), (en_instruction, 30), (nouvelle, 0)]:
        Demande.objects.filter(pk=demande.pk).update(depose_le=maintenant - timedelta(days=jours))
    return accordee, en_instruction, nouvelle


def numeros_dans_l_ordre(reponse, demandes) -> list[str]:
    html = unescape(reponse.content.decode())
    presents = [d.numero_depot for d in demandes if d.numero_depot in html]
    return sorted(presents, key=html.index)


def test_the_inbox_opens_on_the_files_to_act_on_longest_waiting_first(client, instructeur, demandes):
    accordee, en_instruction, nouvelle = demandes
    client.force_login(instructeur)
    reponse = client.get(reverse("aides_instruction:boite"))
    assert numeros_dans_l_ordre(reponse, demandes) == [en_instruction.numero_depot, nouvelle.numero_depot]
    html = unescape(reponse.content.decode())
    assert '<option value="a_traiter" selected>' in html
    assert "Demandes à traiter (2)" in html


def test_every_state_shows_the_newest_first(client, instructeur, demandes):
    accordee, en_instruction, nouvelle = demandes
    client.force_login(instructeur)
    reponse = client.get(BOITE, {"statut": ""})
    assert numeros_dans_l_ordre(reponse, demandes) == [
        nouvelle.numero_depot,
        en_instruction.numero_depot,
        accordee.numero_depot,
    ]
    assert '<option value="" selected>Tous les états</option>' in reponse.content.decode()


def test_the_second_page_keeps_the_to_do_filter(client, instructeur):
    for _ in range(26):
        demande_deposee()
    demande_accordee(instructeur=instructeur)
    client.force_login(instructeur)
    premiere = client.get(BOITE)
    assert premiere.context["page"].paginator.count == 26
    assert 'href="?page=2"' in premiere.content.decode()
    seconde = client.get(BOITE, {"page": 2})
    assert len(seconde.context["page"].object_list) == 1
    assert seconde.context["page"].object_list[0].statut == "deposee"

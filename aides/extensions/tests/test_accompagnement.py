"""« Déjà accompagnée » counts applications, grants, conventions and payments, not only visits and
requests: the CRM badge, the search filter and the timeline agree."""

from html import unescape

import pytest
from django.urls import reverse

from aides.conventions.tests.factories import convention_creee
from aides.demandes.models.demande import Statut
from aides.demandes.tests.factories import DemandeFactory, demande_deposee
from crm.models import Accompagnement, Interaction
from crm.services import accompagnements_recalculer
from portal.models import Direction
from portal.roles import Role

pytestmark = pytest.mark.django_db


def recherche(client, entreprise, accompagnement: str) -> bool:
    reponse = client.get(reverse("crm_agents:recherche"), {"q": entreprise.siren, "accompagnement": accompagnement})
    return any(e.entreprise_id == entreprise.pk for e in reponse.context["page"].object_list)


def fiche(client, entreprise) -> str:
    return unescape(client.get(reverse("crm_agents:entreprise", args=[entreprise.siren])).content.decode())


def test_a_draft_alone_does_not_count_but_a_deposited_application_does(client, creer_agent):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    client.force_login(agent)
    brouillon = DemandeFactory()
    entreprise = brouillon.etablissement.entreprise
    assert recherche(client, entreprise, "jamais")
    assert "Jamais accompagnée" in fiche(client, entreprise)

    demande = demande_deposee(representant__etablissement=brouillon.etablissement)
    direction = demande.dispositif.direction
    assert Accompagnement.objects.filter(entreprise=entreprise, direction=direction).exists()
    assert not recherche(client, entreprise, "jamais")
    assert recherche(client, entreprise, "autre" if agent.direction_id != direction.pk else "ma_direction")
    page = fiche(client, entreprise)
    assert "Jamais accompagnée" not in page and f"Déjà accompagnée par {direction.nom}" in page


def test_a_funded_company_is_accompanied_by_the_direction_of_its_convention_even_after_a_recalculation(
    client, creer_agent
):
    convention = convention_creee()
    entreprise = convention.etablissement.entreprise
    assert convention.demande.statut == Statut.ACCORDEE
    # A CRM write (an interaction deleted, a request closed) recalculates: the aids stay counted.
    Interaction.objects.filter(entreprise=entreprise).delete()
    accompagnements_recalculer(entreprise_id=entreprise.pk)
    assert set(Accompagnement.objects.filter(entreprise=entreprise).values_list("direction", flat=True)) == {
        convention.direction_id
    }
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION, direction=Direction.objects.get(code="DIPI")))
    assert not recherche(client, entreprise, "jamais")
    assert recherche(client, entreprise, "autre")


def test_the_migration_fills_the_accompaniments_of_rows_written_before():
    import importlib

    from django.db import connection

    convention = convention_creee()
    entreprise = convention.etablissement.entreprise
    Accompagnement.objects.filter(entreprise=entreprise).delete()
    migration = importlib.import_module("aides.migrations.0012_i13a_accompagnements")
    with connection.cursor() as curseur:
        curseur.execute(migration.SQL)
    assert list(Accompagnement.objects.filter(entreprise=entreprise).values_list("direction", flat=True)) == [
        convention.direction_id
    ]

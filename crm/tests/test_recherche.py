import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from crm.models import Accompagnement
from portal.models import Direction
from portal.roles import Role
from territoires.models import Commune

from .factories import EntrepriseFactory, EtablissementFactory, siren_valide, siret_valide

pytestmark = pytest.mark.django_db
URL = reverse("crm_agents:recherche")


@pytest.fixture
def base():
    lille = Commune.objects.get(code_insee="59350")
    boulangerie = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siren_valide(50_000_001), denomination="Boulangerie Lefèvre", naf="10.71C"),
        naf="10.71C",
    )
    metallerie = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siren_valide(50_000_002), denomination="Métallerie du Vimeu", naf="25.11Z"),
        commune=lille,
        naf="25.11Z",
    )
    piege = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siren_valide(50_000_003), denomination='=HYPERLINK("http://x")'),
        enseigne="-2+3",
    )
    return {"boulangerie": boulangerie, "metallerie": metallerie, "piege": piege, "lille": lille}


def resultats(reponse) -> list[str]:
    return [e.siret for e in reponse.context["page"].object_list]


def test_a_name_search_ignores_accents_and_tolerates_a_typo(agent_client, base):
    assert resultats(agent_client.get(URL, {"q": "boulangerie lefevre"})) == [base["boulangerie"].siret]
    assert resultats(agent_client.get(URL, {"q": "Metalerie"})) == [base["metallerie"].siret]
    assert resultats(agent_client.get(URL, {"q": "boulangerie lefebvre"})) == [base["boulangerie"].siret]


def test_a_partial_siren_or_siret_finds_the_establishment(agent_client, base):
    siret = base["metallerie"].siret
    assert resultats(agent_client.get(URL, {"q": siret[:8]})) == [siret]
    assert resultats(agent_client.get(URL, {"q": f"{siret[:3]} {siret[3:9]}"})) == [siret]
    assert resultats(agent_client.get(URL, {"q": siret})) == [siret]


def test_filters_by_commune_epci_and_naf(agent_client, base):
    assert resultats(agent_client.get(URL, {"commune": "59350"})) == [base["metallerie"].siret]
    assert resultats(agent_client.get(URL, {"epci": base["lille"].epci_id})) == [base["metallerie"].siret]
    assert resultats(agent_client.get(URL, {"naf": "10.71"})) == [base["boulangerie"].siret]
    assert resultats(agent_client.get(URL, {"naf": "1071c"})) == [base["boulangerie"].siret]


def test_filter_accompanied_by_my_direction_another_or_never(agent_client, agent, base):
    daen, dfp = agent.direction, Direction.objects.get(code="DFP")
    Accompagnement.objects.create(entreprise=base["boulangerie"].entreprise, direction=daen, dernier_le="2026-01-05")
    Accompagnement.objects.create(entreprise=base["metallerie"].entreprise, direction=dfp, dernier_le="2026-01-05")
    assert resultats(agent_client.get(URL, {"accompagnement": "ma_direction"})) == [base["boulangerie"].siret]
    assert resultats(agent_client.get(URL, {"accompagnement": "autre"})) == [base["metallerie"].siret]
    assert resultats(agent_client.get(URL, {"accompagnement": "jamais"})) == [base["piege"].siret]


def test_the_search_is_paginated_with_a_bounded_number_of_queries(agent_client, django_assert_max_num_queries):
    for n in range(30):
        siren = siren_valide(51_000_000 + n)
        EtablissementFactory(entreprise=EntrepriseFactory(siren=siren), siret=siret_valide(siren))
    # Session, user, the search's transaction (savepoint, threshold, release), ids, rows, EPCI list.
    with django_assert_max_num_queries(14):  # + the user's roles, + the second factor's device
        reponse = agent_client.get(URL, {"q": "entreprise de test"})
    assert len(reponse.context["page"].object_list) == 25
    assert reponse.context["page"].paginator.num_pages == 2
    assert "Page suivante" in reponse.content.decode()


def test_an_unknown_commune_gets_a_french_error_and_keeps_the_input(agent_client, base):
    reponse = agent_client.get(URL, {"q": "boulangerie", "commune": "Atlantide"})
    contenu = reponse.content.decode()
    assert "Aucune commune des Hauts-de-France" in contenu
    assert 'value="boulangerie"' in contenu


def test_the_csv_export_neutralises_formulas(agent_client, base):
    reponse = agent_client.get(reverse("crm_agents:export-csv"))
    assert reponse["Content-Type"].startswith("text/csv")
    contenu = b"".join(reponse.streaming_content).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert lignes[0][0] == "SIRET"
    piege = next(ligne for ligne in lignes if ligne[0] == base["piege"].siret)
    assert piege[2] == '\'=HYPERLINK("http://x")' and piege[3] == "'-2+3"
    assert len(lignes) == 4


def test_only_staff_reach_the_crm(entreprise_client, agent, base):
    from crm import services

    siren = base["boulangerie"].entreprise.siren
    interaction = services.interaction_enregistrer(
        auteur=agent, entreprise=base["boulangerie"].entreprise, agents=[agent], type="appel", date="2026-11-02",
        objet="Appel",
    )  # fmt: skip
    urls = [
        reverse("crm_agents:recherche"), reverse("crm_agents:sollicitations"), reverse("crm_agents:export-csv"),
        reverse("crm_agents:entreprise", args=[siren]), reverse("crm_agents:interaction", args=[interaction.pk]),
        reverse("crm_agents:interaction-nouvelle", args=[siren]), reverse("crm_agents:personne-export"),
        reverse("crm_agents:mes-interactions"),
    ]  # fmt: skip
    for url in urls:
        reponse = Client().get(url)
        assert reponse.status_code == 302 and "/connexion/" in reponse["Location"], url
        assert entreprise_client.get(url).status_code == 403, url
    tache = services.tache_creer(
        entreprise=base["boulangerie"].entreprise,
        titre="Rappeler",
        assignee=agent,
        echeance="2026-12-01",
        cree_par=agent,
    )
    ecritures = [
        reverse("crm_agents:referent", args=[siren]), reverse("crm_agents:tache-nouvelle", args=[siren]),
        reverse("crm_agents:tache-terminer", args=[tache.pk]), reverse("crm_agents:entreprise-nouvelle"),
    ]  # fmt: skip
    for url in ecritures:
        reponse = Client().post(url, {"titre": "x", "referent": agent.pk})
        assert reponse.status_code == 302 and "/connexion/" in reponse["Location"], url
        assert entreprise_client.post(url, {"titre": "x", "referent": agent.pk}).status_code == 403, url
    tache.refresh_from_db()
    entreprise = base["boulangerie"].entreprise
    entreprise.refresh_from_db()
    assert tache.faite_le is None and entreprise.taches.count() == 1 and entreprise.referent is None


def seuil_de_la_connexion() -> str:
    from django.db import connection

    with connection.cursor() as curseur:
        curseur.execute("SHOW pg_trgm.word_similarity_threshold")
        return curseur.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_typo_tolerant_threshold_does_not_leak_to_later_queries_of_the_connection(client, creer_agent):
    # Autocommit, as in production: the threshold must last for the search's own transaction only.
    etablissement = EtablissementFactory(
        entreprise=EntrepriseFactory(siren=siren_valide(52_000_001), denomination="Boulangerie Lefèvre"),
        commune=None,
    )
    client.force_login(creer_agent(Role.CHARGE_DE_MISSION))  # an agent without role reaches nothing
    avant = seuil_de_la_connexion()

    # « lefebvre » is 0.55 similar to « lefevre »: found only with the search's own threshold (0.5).
    assert resultats(client.get(URL, {"q": "lefebvre"})) == [etablissement.siret]
    export = b"".join(client.get(reverse("crm_agents:export-csv"), {"q": "lefebvre"}).streaming_content)
    assert etablissement.siret in export.decode("utf-8-sig")

    assert seuil_de_la_connexion() == avant == "0.6"

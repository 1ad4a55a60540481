"""Cross-tables of pilotage, their XLSX export, the map per inhabitant and the yearly PDF report."""

import hashlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import attendre
from pilotage import statistiques
from pilotage.agregats import agregats_rafraichir
from pilotage.models import RapportPilotage
from portal.documents import document_generer
from portal.roles import Role

from . import donnees as d
from .donnees import le
from .jeu import jeu_2025


@pytest.fixture
def jeu(db):
    jeu = jeu_2025()
    # A request to the DPEAP in 2025, in Lille: requests of every direction count.
    d.sollicitation(recue=le(2025, 6, 1), direction=d.direction("DPEAP"), commune="59350", entreprise=jeu.e3.entreprise)
    agregats_rafraichir()
    return jeu


def _par(lignes, cle):
    return {x[cle]: x for x in lignes}


@pytest.mark.django_db
def test_cross_table_by_direction_covers_every_direction(jeu):
    lignes = _par(statistiques.tableau_croise(lignes="direction", annee=2025), "direction_id")
    daen, dpeap = lignes[d.direction("DAEN").pk], lignes[d.direction("DPEAP").pk]
    assert (daen["deposees"], daen["accordees"], daen["montant"], daen["entreprises"]) == (5, 3, Decimal("53000"), 3)
    assert (dpeap["sollicitations"], dpeap["deposees"], dpeap["entreprises"]) == (1, 0, 1)


@pytest.mark.django_db
def test_cross_table_by_departement_and_thematique(jeu):
    par_dep = _par(statistiques.tableau_croise(lignes="departement", annee=2025), "departement_id")
    assert (par_dep["80"]["deposees"], par_dep["80"]["accordees"], par_dep["80"]["montant"]) == (3, 3, Decimal("53000"))
    assert (par_dep["59"]["deposees"], par_dep["59"]["sollicitations"], par_dep["59"]["entreprises"]) == (2, 1, 1)
    par_theme = _par(statistiques.tableau_croise(lignes="thematique", annee=2025), "thematique")
    assert par_theme["innovation"]["deposees"] == 5
    assert par_theme[None]["sollicitations"] == 1
    toutes = _par(statistiques.tableau_croise(lignes="annee"), "annee")
    assert (toutes[2024]["deposees"], toutes[2024]["accordees"]) == (1, 1)


@pytest.mark.django_db
def test_amount_per_inhabitant_by_epci_and_quartiles(jeu):
    lignes = statistiques.montants_par_habitant(annee=2025)
    assert len(lignes) == 92
    aidees = [x for x in lignes if x["montant"] > 0]
    assert len(aidees) == 1 and aidees[0]["montant"] == Decimal("53000")
    assert aidees[0]["par_habitant"] == round(Decimal("53000") / aidees[0]["population"], 2)
    assert aidees[0]["quartile"] == 1 and {x["quartile"] for x in lignes if x["montant"] == 0} == {0}


@pytest.mark.django_db
def test_page_and_xlsx_export_with_real_numbers(client, creer_agent, jeu, django_assert_max_num_queries):
    client.force_login(creer_agent(Role.PILOTAGE))
    with django_assert_max_num_queries(25):
        reponse = client.get(reverse("pilotage:tableaux"), {"annee": 2025, "lignes": "departement"})
    assert reponse.status_code == 200
    assert 'class="carte-svg"' in reponse.content.decode()
    export = client.get(reverse("pilotage:export"), {"annee": 2025, "lignes": "direction"})
    classeur = load_workbook(BytesIO(export.content))
    feuille = classeur.worksheets[0]
    lignes = {ligne[0]: ligne for ligne in feuille.iter_rows(min_row=2, values_only=True)}
    daen = next(v for k, v in lignes.items() if k.startswith("DAEN"))
    assert daen[2:5] == (5, 3, 53000)
    assert isinstance(daen[4], int | float)
    cube = list(classeur["Cube"].iter_rows(min_row=2, values_only=True))
    innovation = {x[2]: x[5] for x in cube if x[0] == 2025 and x[3] == "Innovation"}
    assert innovation == {"80": 3, "59": 2}  # deposits of 2025 by département


@pytest.mark.django_db
def test_the_report_is_rendered_as_a_pdf_and_only_once(client, creer_agent, jeu):
    pilote = creer_agent(Role.PILOTAGE)
    client.force_login(pilote)
    reponse = client.post(reverse("pilotage:rapport-creer"), {"annee": 2025})
    rapport = RapportPilotage.objects.get()
    assert reponse["Location"] == reverse("pilotage:rapport", args=[rapport.pk])
    assert document_generer(document_id=rapport.document_id) is True
    assert document_generer(document_id=rapport.document_id) is False  # ready: a second run does nothing
    rapport.refresh_from_db()
    fichier = client.get(reverse("pilotage:rapport-fichier", args=[rapport.pk]))
    contenu = b"".join(fichier.streaming_content)
    assert contenu.startswith(b"%PDF") and hashlib.sha256(contenu).hexdigest() == rapport.document.sha256


@pytest.mark.django_db
def test_only_pilotage_asks_for_the_report_and_exports_the_panel(client, creer_agent):
    client.force_login(creer_agent(Role.INSTRUCTEUR))
    assert client.post(reverse("pilotage:rapport-creer"), {"annee": 2025}).status_code == 403
    assert client.get(reverse("pilotage:panel")).status_code == 403
    assert client.get(reverse("pilotage:tableaux")).status_code == 200


@pytest.mark.worker
def test_the_worker_renders_the_report(client, creer_agent, celery_worker):
    from territoires.chargement import territoires_charger

    territoires_charger()
    client.force_login(creer_agent(Role.PILOTAGE))
    client.post(reverse("pilotage:rapport-creer"), {"annee": 2025})
    rapport = RapportPilotage.objects.get()
    etat = reverse("document-etat", args=[rapport.document_id])
    attendre(lambda: client.get(etat).json()["statut"] == "pret", delai=90)
    assert "Le rapport est prêt" in client.get(reverse("pilotage:rapport", args=[rapport.pk])).content.decode()


@pytest.mark.django_db
def test_a_double_click_on_prepare_the_report_prepares_one(client, creer_agent):
    client.force_login(creer_agent(Role.PILOTAGE))
    premiere = client.post(reverse("pilotage:rapport-creer"), {"annee": 2025})
    seconde = client.post(reverse("pilotage:rapport-creer"), {"annee": 2025})
    assert premiere["Location"] == seconde["Location"] and RapportPilotage.objects.count() == 1
    page = client.get(premiere["Location"]).content.decode()
    assert "Préparation du rapport en cours" in page and 'data-url-etat="/documents/' in page

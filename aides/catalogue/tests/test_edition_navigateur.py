"""In a real browser: an instructeur writes a dispositif, previews it and publishes it."""

import pytest
from playwright.sync_api import expect

from aides.catalogue.models.dispositif import Dispositif
from portal.roles import Role
from territoires.chargement import territoires_charger

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_an_instructeur_creates_previews_and_publishes_a_dispositif(
    page, live_server, creer_agent, connecter, verifier_axe
):
    territoires_charger()
    instructeur = creer_agent(Role.INSTRUCTEUR, first_name="Karim", last_name="Benali")
    connecter(page, instructeur)

    page.goto(f"{live_server.url}/agents/aides/")
    verifier_axe(page)
    page.get_by_role("link", name="Nouveau dispositif").click()
    verifier_axe(page)

    page.get_by_label("Nom du dispositif").fill("Chèque numérique des commerces")
    page.get_by_label("Résumé").fill("Une aide pour vendre en ligne.")
    page.get_by_label("Description").fill("Une aide **utile**.\n\n<script>alert(1)</script>")
    page.get_by_label("Numérique", exact=True).check()
    page.get_by_label("Nature de l'aide").select_option("subvention")
    page.get_by_label("Direction pilote").select_option(label="Direction de l'accompagnement des entreprises (DAEN)")
    page.get_by_label("Toute la région").uncheck()
    page.get_by_label("Filtrer la liste des EPCI").fill("amiens")
    expect(page.get_by_role("status").last).to_have_text("1 EPCI affiché")
    page.get_by_label("EPCI couverts").select_option(label="Communauté d'agglomération Amiens Métropole (80)")
    page.get_by_label("Montant minimum (€)").fill("5000")
    page.get_by_label("Montant maximum (€)").fill("1000")
    page.get_by_role("button", name="Enregistrer").click()

    # Refused with a summary and the message next to the field; what was typed is still there.
    expect(page.get_by_role("alert")).to_contain_text("supérieur ou égal au montant minimum")
    expect(page.get_by_label("Nom du dispositif")).to_have_value("Chèque numérique des commerces")
    verifier_axe(page)
    page.get_by_label("Montant maximum (€)").fill("5000")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Chèque numérique des commerces")
    expect(page.get_by_role("status")).to_contain_text("est créé (brouillon)")
    verifier_axe(page)

    page.get_by_role("link", name="Aperçu", exact=True).first.click()
    expect(page.locator(".description-dispositif strong")).to_have_text("utile")
    assert page.locator(".description-dispositif script").count() == 0
    verifier_axe(page)
    page.get_by_role("link", name="Retour à la fiche de gestion").click()

    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_role("status")).to_contain_text("publié dans le catalogue")
    expect(page.get_by_role("table")).to_contain_text("Publication")
    expect(page.get_by_role("table")).to_contain_text("Karim Benali")

    dispositif = Dispositif.objects.get()
    assert dispositif.statut == Dispositif.Statut.PUBLIE
    assert dispositif.thematiques == ["numerique"]
    assert [epci.siren for epci in dispositif.epcis.all()] == ["248000531"]

"""In a real browser, with axe on every page: the dashboard, pilotage, a dispositif's statistics,
the yearly report's page, the public statistics, and the survey answered without logging in."""

import pytest
from django.utils import timezone

from crm.models import Sollicitation
from pilotage.models import Enquete, ReponseEnquete
from pilotage.satisfaction import enquetes_envoyer, jeton_enquete
from portal.roles import Role
from portal.tests.factories import AgentFactory

from . import donnees as d
from .jeu import jeu_2025


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_pilotage_pages_and_the_survey_are_accessible(page, live_server, connecter, verifier_axe):
    from territoires.chargement import territoires_charger

    territoires_charger()  # transactional tests start with empty tables
    url = live_server.url
    page.set_default_timeout(15_000)
    jeu = jeu_2025()
    maintenant = timezone.now()
    d.sollicitation(recue=maintenant, statut=Sollicitation.Statut.REPONDUE, repondue=maintenant)
    enquetes_envoyer()
    pilote = AgentFactory(roles=[Role.PILOTAGE], first_name="Régine", last_name="Delattre")

    connecter(page, pilote)
    page.goto(f"{url}/agents/")
    verifier_axe(page)
    assert page.get_by_role("heading", name="À faire aujourd'hui").is_visible()

    page.locator("summary", has_text="Aides et demandes").click()  # the staff menu, grouped by job
    page.get_by_role("link", name="Statistiques et pilotage", exact=True).click()
    page.wait_for_load_state()
    verifier_axe(page)
    page.get_by_label("Une ligne par").select_option("departement")
    page.locator("#id_annee").select_option("")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert page.locator("#tableau-croise").get_by_text("80 – Somme").is_visible()
    verifier_axe(page)

    page.get_by_role("button", name="Préparer le rapport").click()
    page.wait_for_load_state()
    assert "Rapport" in page.title()
    verifier_axe(page)

    page.goto(f"{url}/agents/aides/{jeu.dispositif.pk}/")
    verifier_axe(page)
    page.get_by_role("link", name="Toutes les statistiques du dispositif").click()
    page.wait_for_load_state()
    page.locator("#id_annee").select_option("2025")
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state()
    assert page.locator("#delais").get_by_text("24,0").first.is_visible()
    assert page.locator("svg[role=img]").count() == 3
    verifier_axe(page)

    page.context.clear_cookies()
    page.goto(f"{url}/statistiques/")
    verifier_axe(page)

    enquete = Enquete.objects.filter(occasion="sollicitation").first()
    page.goto(f"{url}/enquete/{jeton_enquete(enquete)}/")
    verifier_axe(page)
    page.get_by_role("button", name="Envoyer mon avis").click()  # nothing chosen: errors, in French
    page.wait_for_load_state()
    assert page.get_by_text("Choisissez une réponse à la première question.").first.is_visible()
    verifier_axe(page)
    page.get_by_role("group", name="La réponse de la Région vous a-t-elle été utile ?").get_by_label(
        "Tout à fait"
    ).check()
    page.get_by_role("group", name="La démarche a-t-elle été simple et rapide ?").get_by_label("Plutôt oui").check()
    page.get_by_label("Un commentaire ? (facultatif)").fill("Merci pour la réactivité.")
    page.get_by_role("button", name="Envoyer mon avis").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Merci !").is_visible()
    verifier_axe(page)
    assert ReponseEnquete.objects.get().utilite == 4

import pytest

from crm.models import Contact, Interaction, Tache
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger

from .factories import EntrepriseFactory, EtablissementFactory


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_an_agent_logs_a_visit_with_a_new_contact_and_a_task_then_sees_it(
    page, live_server, connecter, verifier_axe
):
    territoires_charger()
    agent = AgentFactory(roles=[Role.CHARGE_DE_MISSION], first_name="Camille", last_name="Lefebvre")
    entreprise = EtablissementFactory(entreprise=EntrepriseFactory(denomination="Conserverie du Calaisis")).entreprise
    page.set_viewport_size({"width": 390, "height": 844})
    connecter(page, agent)

    page.goto(f"{live_server.url}/contact/")
    verifier_axe(page)
    page.goto(f"{live_server.url}/agents/crm/?q=conserverie")
    verifier_axe(page)
    page.get_by_role("link", name="Conserverie du Calaisis").click()
    page.get_by_role("link", name="Noter une interaction").click()
    verifier_axe(page)

    page.get_by_label("Objet").fill("Visite de l'atelier de production")
    page.get_by_text("Ajouter une personne rencontrée").click()
    page.get_by_label("Nom", exact=True).fill("Vasseur")
    page.get_by_label("Prénom", exact=True).fill("Paul")
    page.get_by_label("Courriel").fill("paul.vasseur@conserverie.fr")
    page.get_by_label("Notes").fill("Projet de nouvelle ligne de conditionnement.")
    page.locator("#id_taches-0-titre").fill("Envoyer le dossier d'aide à l'investissement")
    page.locator("#id_taches-0-assignee").select_option(str(agent.pk))
    page.locator("#id_taches-0-echeance").fill("2026-12-15")
    page.get_by_role("button", name="Enregistrer l'interaction").click()
    page.wait_for_load_state()

    chronologie = page.locator(".crm-chronologie")
    assert "Visite de l'atelier de production" in chronologie.inner_text()
    assert "Paul Vasseur" in chronologie.inner_text()
    assert "Envoyer le dossier d'aide" in page.locator("#titre-taches + ul").inner_text()
    verifier_axe(page)
    assert Interaction.objects.filter(entreprise=entreprise).count() == 1
    assert Contact.objects.get().email == "paul.vasseur@conserverie.fr"
    assert Tache.objects.get().assignee == agent

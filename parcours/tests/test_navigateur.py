import pytest

from aides.catalogue.referentiels import Thematique
from aides.catalogue.tests.factories import DispositifFactory
from parcours.models import EtapeParcours
from parcours.tests.factories import EtapeParcoursFactory, ParcoursTypeFactory
from portal.models import Direction
from portal.roles import Role
from territoires.chargement import territoires_charger
from territoires.models import Commune
from territoires.tests.factories import AffectationFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_a_company_answers_gets_its_parcours_asks_to_be_contacted_and_the_agent_sees_it(
    page, live_server, creer_agent, connecter, verifier_axe
):
    territoires_charger()
    dtri = Direction.objects.get(code="DTRI")
    aide = DispositifFactory(
        nom="Prospection export de test",
        thematiques=[Thematique.EXPORT_ATTRACTIVITE],
        publics=[],
        stades=[],
        effectif_min=10,
        direction=dtri,
    )
    parcours = ParcoursTypeFactory(nom="Exporter pas à pas", projets=["exporter"], direction=dtri)
    EtapeParcoursFactory(
        parcours=parcours, ordre=1, type=EtapeParcours.Type.DIAGNOSTIC, titre="Diagnostic export", operateurs="TFE"
    )
    EtapeParcoursFactory(parcours=parcours, ordre=2, titre="Financer la prospection", dispositifs=[aide])
    agent = creer_agent(Role.CHARGE_DE_MISSION, direction=dtri, first_name="Inès", last_name="Carpentier")
    AffectationFactory(agent=agent, epci=Commune.objects.get(code_insee="80021").epci, direction=dtri)

    page.goto(f"{live_server.url}/parcours/?commune=75056")
    assert page.get_by_role("heading", name="Ce portail présente les aides de la Région Hauts-de-France").is_visible()
    verifier_axe(page)

    page.goto(f"{live_server.url}/parcours/")
    verifier_axe(page)
    # Keyboard only: radios and checkboxes with Space, text fields typed, Enter to submit.
    page.get_by_label("En développement").focus()
    page.keyboard.press("Space")
    page.get_by_label("Effectif exact (facultatif)").focus()
    page.keyboard.type("45")
    commune = page.get_by_label("Commune de l'entreprise ou du projet")
    commune.focus()
    page.keyboard.type("80021")
    page.keyboard.press("Escape")
    page.get_by_label("Exporter", exact=True).focus()
    page.keyboard.press("Space")
    assert page.get_by_label("Exporter", exact=True).is_checked()
    page.get_by_role("button", name="Voir mon parcours").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert "commune=80021" in page.url and "projets=exporter" in page.url
    assert page.get_by_role("heading", name="Exporter pas à pas").is_visible()
    etapes = page.locator("ol.etapes-parcours > li")
    assert etapes.count() == 2
    assert "Prospection export de test" in etapes.nth(1).inner_text()
    assert "vous en avez 45" in etapes.nth(1).inner_text()
    assert "Inès Carpentier" in page.locator("section.contact-parcours").inner_text()
    verifier_axe(page)

    resultat = page.url
    page.get_by_role("button", name="Télécharger mon parcours").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Mon parcours en PDF").is_visible()
    assert "Préparation de votre document en cours" in page.get_by_role("status").inner_text()
    verifier_axe(page)
    page.goto(resultat)

    page.get_by_role("link", name="Être contacté par mon conseiller").click()
    page.wait_for_load_state()
    verifier_axe(page)
    page.get_by_label("Nom et prénom").fill("Jeanne Martin")
    page.get_by_label("Adresse électronique").fill("jeanne.martin@exemple.fr")
    page.get_by_label("Votre message (facultatif)").fill("Nous visons la Belgique.")
    page.get_by_label("J'accepte que la Région").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Votre demande est envoyée").is_visible()
    assert "Inès Carpentier" in page.get_by_role("status").inner_text()
    verifier_axe(page)

    page.context.clear_cookies()
    connecter(page, agent)
    page.goto(f"{live_server.url}/agents/crm/sollicitations/")
    assert "Jeanne Martin" in page.locator("main").inner_text()

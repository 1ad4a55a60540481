"""In a real browser: the company writes to the instruction with a file, the instructeur reads it
(the company then sees « lu »), answers, and the company reads the answer. Both pages pass axe."""

import pytest

from aides.demandes.models.avis import AvisExpert
from aides.demandes.models.demande import Message
from aides.demandes.tests.factories import PDF_MINIMAL, demande_deposee
from conftest import connexion_navigateur
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_the_company_writes_with_a_file_the_instructeur_reads_and_answers(
    page, browser, live_server, mot_de_passe, verifier_axe, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    territoires_charger()
    demande = demande_deposee()
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR], first_name="Inès", last_name="Truffaut")
    planning = tmp_path / "planning.pdf"
    planning.write_bytes(PDF_MINIMAL)
    url = live_server.url
    page.set_default_timeout(10_000)

    # The company writes, with a file
    connexion_navigateur(page, url, demande.demandeur, mot_de_passe)
    page.goto(f"{url}/espace/demandes/{demande.pk}/")
    verifier_axe(page)
    page.get_by_label("Votre message").fill("Voici le planning des travaux.")
    page.get_by_label("Fichier joint 1").set_input_files(str(planning))
    page.get_by_role("button", name="Envoyer le message").click()
    page.wait_for_load_state()
    assert "Votre message est envoyé à l'instruction." in page.content()
    assert "Pas encore lu par l'instruction" in page.content()
    verifier_axe(page)

    # The instructeur reads it and answers (own browser context)
    agent = browser.new_page(locale="fr-FR")
    agent.set_default_timeout(10_000)
    connexion_navigateur(agent, url, instructeur, mot_de_passe)
    agent.goto(f"{url}/agents/instruction/{demande.pk}/")
    assert "Voici le planning des travaux." in agent.content()
    assert agent.get_by_role("link", name="planning.pdf").count() == 1
    verifier_axe(agent)
    agent.get_by_label("Votre message").fill("Bien reçu, merci.")
    agent.get_by_role("button", name="Envoyer le message").click()
    agent.wait_for_load_state()
    assert "Votre message est envoyé à l'entreprise." in agent.content()
    assert "Pas encore lu par l'entreprise" in agent.content()
    verifier_axe(agent)

    # The company sees « lu » on its message and reads the answer
    page.reload()
    assert "Lu par l'instruction le" in page.content()
    assert "Bien reçu, merci." in page.content()
    assert Message.objects.get(demande=demande, de_l_instruction=True).lu_le is not None
    agent.reload()
    assert "Lu par l'entreprise le" in agent.content()

    # The instructeur asks an agent of another direction for an opinion; the expert answers it
    expert = AgentFactory(roles=[Role.PILOTAGE], first_name="Élise", last_name="Vasseur")
    agent.reload()
    agent.get_by_label("Expert sollicité").select_option(str(expert.pk))
    agent.get_by_label("Question posée").fill("Le projet est-il prioritaire ?")
    agent.get_by_role("button", name="Demander l'avis").click()
    agent.wait_for_load_state()
    assert "La demande d'avis est envoyée à l'expert." in agent.content()
    avis = AvisExpert.objects.get(demande=demande)
    expert_page = browser.new_page(locale="fr-FR")
    expert_page.set_default_timeout(10_000)
    connexion_navigateur(expert_page, url, expert, mot_de_passe)
    expert_page.goto(f"{url}/agents/instruction/avis/")
    verifier_axe(expert_page)
    expert_page.get_by_role("link", name=demande.numero_depot).click()
    verifier_axe(expert_page)
    expert_page.get_by_label("Votre avis").fill("Favorable.")
    expert_page.get_by_role("button", name="Rendre mon avis").click()
    expert_page.wait_for_load_state()
    assert "Votre avis est transmis" in expert_page.content()
    avis.refresh_from_db()
    assert avis.avis == "Favorable."
    page.reload()
    assert "Favorable." not in page.content()

"""In a real browser: a company signs up, confirms its email, applies with a PDF; an instructeur asks a
complement, the company answers with a file, the instructeur grants; the company sees « Accordée »."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.espace import Membre
from aides.demandes.services import comptes as services_comptes
from aides.demandes.tests.factories import PDF_MINIMAL
from conftest import connexion_navigateur
from crm.tests.factories import EntrepriseFactory, EtablissementFactory
from portal.models import Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger

MOT_DE_PASSE_ENTREPRISE = "atelier-durand-2026-solide"


def se_connecter(page, url, email, mot_de_passe):
    page.goto(f"{url}/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_a_company_applies_and_an_instructeur_grants_after_a_complement(
    page, browser, live_server, mot_de_passe, verifier_axe, tmp_path
):
    territoires_charger()
    etablissement = EtablissementFactory(entreprise=EntrepriseFactory(denomination="Atelier Durand"))
    dispositif = DispositifFactory(nom="Aide à l'investissement (test)", documents_requis=["Devis"])
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR], first_name="Inès", last_name="Truffaut")
    devis = tmp_path / "devis.pdf"
    devis.write_bytes(PDF_MINIMAL)
    bilan = tmp_path / "bilan.pdf"
    bilan.write_bytes(PDF_MINIMAL)
    url = live_server.url
    page.set_default_timeout(10_000)

    # Sign-up
    page.goto(f"{url}/espace/inscription/")
    verifier_axe(page)
    page.locator("#id_prenom").fill("Camille")
    page.locator("#id_nom").fill("Durand")
    page.locator("#id_email").fill("camille@atelier-durand.fr")
    page.locator("#id_siret").fill(etablissement.siret)
    page.locator("#id_mot_de_passe").fill(MOT_DE_PASSE_ENTREPRISE)
    page.locator("#id_mot_de_passe_confirmation").fill(MOT_DE_PASSE_ENTREPRISE)
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state()
    assert "Consultez votre messagerie" in page.content()
    verifier_axe(page)

    # The confirmation link, from the outbox
    corps = Notification.objects.get(destinataire="camille@atelier-durand.fr", gabarit="compte_verifier").corps_texte
    lien = re.search(r"(/espace/verification/[^\s]+/)", corps).group(1)
    page.goto(f"{url}{lien}")
    se_connecter(page, url, "camille@atelier-durand.fr", MOT_DE_PASSE_ENTREPRISE)
    assert page.url.endswith("/espace/")
    verifier_axe(page)

    # Apply with a PDF
    page.goto(f"{url}/espace/demandes/nouvelle/{dispositif.slug}/")
    verifier_axe(page)
    page.get_by_label("Intitulé du projet").fill("Nouvelle presse plieuse")
    page.get_by_label("Description du projet").fill("Remplacer la presse de 1998.")
    page.get_by_label("Date de début du projet").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    page.get_by_label("Nature de la dépense, ligne 1").fill("Presse plieuse")
    page.get_by_label("Montant HT en euros, ligne 1").fill("48 000")
    assert "48" in page.locator("#total-depenses").inner_text()
    page.get_by_label("Montant de l'aide demandée (€)").fill("12 000")
    # A fake PDF first: refused in French, everything else kept, page still accessible
    faux = tmp_path / "faux.pdf"
    faux.write_bytes(b"MZ\x90\x00" + b"\x00" * 64)
    page.get_by_label("Devis").set_input_files(str(faux))
    page.get_by_role("button", name="Déposer").click()
    page.wait_for_load_state()
    assert "n'est pas d'un format accepté" in page.locator("#erreurs-formulaire").inner_text()
    assert page.get_by_label("Intitulé du projet").input_value() == "Nouvelle presse plieuse"
    assert page.get_by_label("Montant HT en euros, ligne 1").input_value() == "48 000"
    verifier_axe(page)
    page.get_by_label("Devis").set_input_files(str(devis))
    page.get_by_role("button", name="Déposer").click()
    page.wait_for_load_state()
    demande = Demande.objects.get()
    assert demande.statut == Statut.DEPOSEE
    assert f"Votre demande est déposée sous le numéro {demande.numero_depot}" in page.content()
    verifier_axe(page)

    # The instructeur asks for a complement (own browser context)
    agent = browser.new_page(locale="fr-FR")
    agent.set_default_timeout(10_000)
    connexion_navigateur(agent, url, instructeur, mot_de_passe)
    agent.goto(f"{url}/agents/instruction/")
    verifier_axe(agent)
    agent.get_by_role("link", name=demande.numero_depot).click()
    verifier_axe(agent)
    agent.get_by_role("button", name="Passer en instruction").click()
    agent.wait_for_load_state()
    agent.get_by_label("Pièces ou informations demandées à l'entreprise").fill("Merci de joindre le dernier bilan.")
    agent.get_by_role("button", name="Demander le complément").click()
    agent.wait_for_load_state()
    assert "La demande de complément est envoyée" in agent.content()

    # The company answers with a file
    page.reload()
    assert "Merci de joindre le dernier bilan." in page.content()
    verifier_axe(page)
    page.get_by_label("Votre réponse").fill("Voici le bilan 2025.")
    page.get_by_label("Document 1").set_input_files(str(bilan))
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.wait_for_load_state()
    assert "Votre réponse est envoyée" in page.content()

    # The instructeur sees that the applicant's attachment is not verified: no grant before staff
    # verify it (the company has no verified member yet, so only staff can).
    agent.reload()
    assert "Rattachement non vérifié" in agent.locator("#rattachement-non-verifie").inner_text()
    services_comptes.rattachement_decider(
        membre_id=Membre.objects.get(utilisateur__email="camille@atelier-durand.fr").pk,
        par=AgentFactory(roles=[Role.CHARGE_DE_MISSION]),
        accepter=True,
    )

    # The instructeur grants
    agent.reload()
    assert agent.locator("#rattachement-non-verifie").count() == 0
    assert "Voici le bilan 2025." in agent.content() and "bilan.pdf" in agent.content()
    agent.get_by_label("Accorder").check()
    agent.get_by_label("Motif (communiqué à l'entreprise)").fill("Projet d'investissement éligible.")
    agent.get_by_label("Montant accordé (€)").fill("10 000")
    # A commission that has met: a decision date is never in the future.
    agent.get_by_label("Date de la commission permanente").fill(timezone.localdate().isoformat())
    agent.get_by_label("Numéro de délibération").fill("2026.05123")
    agent.get_by_role("button", name="Enregistrer la décision").click()
    agent.wait_for_load_state()
    verifier_axe(agent)

    page.reload()
    assert page.locator(".statut-demande").first.inner_text() == "Accordée"
    assert "10\u00a0000,00\u00a0€" in page.locator("main").inner_text()
    verifier_axe(page)
    agent.close()

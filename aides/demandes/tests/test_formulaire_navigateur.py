"""In a real browser: an agent builds a form with a condition and a repeated block and gives it to
a dispositif; a company fills it (the condition shows and hides a section, its identity is
prefilled from SIRENE, its Kbis comes from the safe) and deposits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.formulaire import version_par_defaut
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.tests.factories import RepresentantFactory
from aides.demandes.tests.factories_formulaire import kbis_au_coffre
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger


def question(page, section: str, libelle: str, code: str, type_: str, **autres) -> None:
    page.get_by_role("link", name=f"Ajouter une question à la section {section}").click()
    page.get_by_label("Question (libellé)").fill(libelle)
    page.locator("#id_code").fill(code)
    page.get_by_label("Type de réponse").select_option(type_)
    if autres.get("requis"):
        page.get_by_label("Réponse obligatoire au dépôt").check()
    if autres.get("coffre"):
        page.get_by_label("Document du coffre de l'entreprise (question fichier)").select_option(autres["coffre"])
    if autres.get("preremplir"):
        page.get_by_label("Préremplir avec").select_option(autres["preremplir"])
    page.get_by_role("button", name="Enregistrer la question").click()
    page.wait_for_load_state()
    assert "enregistrée" in page.content()


def section(page, titre: str, **condition) -> None:
    page.get_by_role("link", name="Ajouter une section").click()
    page.get_by_label("Titre de la section").fill(titre)
    if condition:
        page.get_by_label("Afficher cette section seulement si la question").select_option(condition["champ"])
        page.get_by_label("a pour réponse").fill(condition["valeur"])
    page.get_by_role("button", name="Enregistrer la section").click()
    page.wait_for_load_state()


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_an_agent_builds_a_form_and_a_company_fills_it_with_its_safe(
    page, browser, live_server, connecter, connecter_agent, verifier_axe
):
    territoires_charger()
    version_par_defaut()
    dispositif = DispositifFactory(nom="Prospection export (test)")
    representant = RepresentantFactory()
    kbis_au_coffre(representant)
    url = live_server.url
    page.set_default_timeout(10_000)

    # The agent builds the form
    connecter_agent(page, AgentFactory(roles=[Role.INSTRUCTEUR]))
    page.goto(f"{url}/agents/formulaires/")
    verifier_axe(page)
    page.get_by_label("Nom").fill("Export (test)")
    page.get_by_role("button", name="Créer le formulaire").click()
    page.wait_for_load_state()
    section(page, "Votre activité")
    question(page, "Votre activité", "Exportez-vous ?", "exporte", "oui_non", requis=True)
    question(page, "Votre activité", "SIRET du site", "siret_site", "siret", preremplir="siret")
    question(page, "Votre activité", "Extrait Kbis", "kbis", "fichier", coffre="kbis", requis=True)
    section(page, "Vos partenaires à l'étranger", champ="exporte", valeur="oui")
    question(page, "Vos partenaires à l'étranger", "Partenaires", "partenaires", "bloc", requis=True)
    for libelle, code in (("Nom", "nom"), ("Pays", "pays")):
        page.get_by_role("link", name="Ajouter une colonne au bloc « Partenaires »").click()
        page.get_by_label("Question (libellé)").fill(libelle)
        page.locator("#id_code").fill(code)
        page.get_by_role("button", name="Enregistrer la question").click()
        page.wait_for_load_state()
    verifier_axe(page)
    page.get_by_role("link", name="Aperçu du brouillon").click()
    expect(page.locator("#section_4")).to_be_hidden()  # waits for the page and its script
    verifier_axe(page)
    page.go_back()
    page.get_by_role("button", name="Publier une nouvelle version").click()
    page.wait_for_load_state()
    assert "Version 1 publiée" in page.content()

    # ... and gives it to the dispositif
    page.goto(f"{url}/agents/aides/{dispositif.pk}/modifier/")
    page.get_by_label("Formulaire de demande").select_option(label="Export (test)")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state()
    dispositif.refresh_from_db()
    assert dispositif.formulaire.nom == "Export (test)"

    # The company fills it
    entreprise = browser.new_page(locale="fr-FR")
    entreprise.set_default_timeout(10_000)
    connecter(entreprise, representant.utilisateur)
    entreprise.goto(f"{url}/espace/demandes/nouvelle/{dispositif.slug}/")
    verifier_axe(entreprise)
    assert representant.entreprise.denomination in entreprise.locator("#identite").inner_text()
    assert entreprise.get_by_label("SIRET du site").input_value() == representant.etablissement.siret
    assert "Fourni : kbis-2026.pdf (document de votre coffre" in entreprise.content()
    partenaires = entreprise.locator("#section_4")
    expect(partenaires).to_be_hidden()
    entreprise.get_by_label("Oui").check()
    expect(partenaires).to_be_visible()
    entreprise.get_by_label("Non").check()
    expect(partenaires).to_be_hidden()
    entreprise.get_by_label("Oui").check()
    entreprise.get_by_label("Nom, ligne 1").fill("Wallonie Export")
    entreprise.get_by_label("Pays, ligne 1").fill("Belgique")
    entreprise.get_by_label("Intitulé du projet").fill("Salon de Bruxelles")
    entreprise.get_by_label("Description du projet").fill("Un stand au salon.")
    entreprise.get_by_label("Date de début du projet").fill((timezone.localdate() + timedelta(days=20)).isoformat())
    entreprise.get_by_label("Nature de la dépense, ligne 1").fill("Stand")
    entreprise.get_by_label("Montant HT en euros, ligne 1").fill("8 000")
    entreprise.get_by_label("Montant de l'aide demandée (€)").fill("4 000")
    verifier_axe(entreprise)
    entreprise.get_by_role("button", name="Déposer").click()
    entreprise.wait_for_load_state()
    demande = Demande.objects.get()
    assert demande.statut == Statut.DEPOSEE, entreprise.content()
    assert demande.reponses["partenaires"] == [{"nom": "Wallonie Export", "pays": "Belgique"}]
    assert demande.pieces.get(type_piece="Extrait Kbis").nom_original == "kbis-2026.pdf"
    assert f"Votre demande est déposée sous le numéro {demande.numero_depot}" in entreprise.content()
    verifier_axe(entreprise)

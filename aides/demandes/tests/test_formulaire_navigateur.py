"""In a real browser: an agent builds a form with a condition and a repeated block and gives it to
a dispositif; a company fills it (the condition shows and hides a section, its identity is
prefilled from SIRENE, its Kbis comes from the safe) and deposits; the instructeur filters the
inbox, saves the filter, exports it (the page shows the job's progress, then the file) and finds
every answer in the XLSX."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes import export as module_export
from aides.demandes.formulaire import version_par_defaut
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.filtres import ExportDemandes
from aides.demandes.tests.factories import RepresentantFactory
from aides.demandes.tests.factories_formulaire import kbis_au_coffre
from formulaires.schema import tous_les_champs
from portal.documents import document_generer
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
def test_an_agent_builds_a_form_a_company_fills_it_with_its_safe_and_the_instructeur_exports_it(
    page, browser, live_server, connecter, connecter_agent, verifier_axe, monkeypatch, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
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

    # The instructeur filters the inbox on the dispositif and keeps the filter
    page.goto(f"{url}/agents/instruction/")
    page.get_by_label("Dispositif", exact=True).select_option(label=dispositif.nom)
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state()
    page.get_by_label("Nom du filtre").fill("Export, à traiter")
    page.get_by_role("button", name="Enregistrer ce filtre").click()
    page.wait_for_load_state()
    page.goto(f"{url}/agents/instruction/")
    page.get_by_role("link", name="Export, à traiter").click()
    page.wait_for_load_state()
    assert f"dispositif={dispositif.pk}" in page.url
    verifier_axe(page)

    # ... exports it: the page follows the job (as the worker runs it: here a thread that pauses once
    # its first progress is written, so that the page is seen showing it)
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_role("button", name="Exporter avec les réponses aux formulaires").click()
    page.wait_for_load_state()
    etat = page.get_by_role("status")
    expect(etat).to_contain_text("Préparation de l'export en cours")
    verifier_axe(page)
    export = ExportDemandes.objects.get()
    assert export.requete == f"statut=a_traiter&dispositif={dispositif.pk}"
    vu, premier = threading.Event(), threading.Event()
    progression = module_export.document_progression

    def progression_puis_pause(document, *, fait, total):
        progression(document, fait=fait, total=total)
        if not premier.is_set():
            premier.set()
            vu.wait(20)

    def travail():
        try:
            document_generer(document_id=str(export.document_id))
        finally:
            connections.close_all()

    monkeypatch.setattr(module_export, "document_progression", progression_puis_pause)
    fil = threading.Thread(target=travail)
    fil.start()
    try:
        expect(etat).to_contain_text("Avancement : 0 %")
        expect(page.locator("progress")).to_have_js_property("value", 0)
    finally:
        vu.set()
        fil.join(30)
    lien = page.get_by_role("link", name="Télécharger l'export")
    expect(lien).to_be_visible()
    expect(etat).to_contain_text("L'export est prêt.")
    verifier_axe(page)

    # ... downloads it and finds every question of the form, the repeated block and the conditional
    # section's answers included
    with page.expect_download() as telechargement:
        lien.click()
    with open(telechargement.value.path(), "rb") as fichier:  # a temporary name without extension
        feuille = load_workbook(fichier).active
    entete, ligne = ([c.value for c in rangee] for rangee in feuille.iter_rows(max_row=2))
    reponses = dict(zip(entete, ligne, strict=True))
    assert reponses["Numéro de dépôt"] == demande.numero_depot and reponses["Montant demandé"] == 4000
    for champ in tous_les_champs(dispositif.formulaire.version_courante().schema):
        libelle = "Montant demandé" if champ.get("cible") == "montant_demande" else champ["libelle"]  # a fixed column
        assert reponses[libelle] not in (None, ""), libelle
    assert reponses["Exportez-vous ?"] == "Oui"
    assert reponses["Partenaires"] == "Nom : Wallonie Export ; Pays : Belgique"
    assert reponses["SIRET du site"] == representant.etablissement.siret
    assert reponses["Extrait Kbis"] == "kbis-2026.pdf"
    assert reponses["Intitulé du projet"] == "Salon de Bruxelles"
    assert reponses["Dépenses du projet (hors taxes)"] == "Nature de la dépense : Stand ; Montant HT en euros : 8000.00"
    assert reponses["Date de début du projet"].date() == demande.date_debut_projet

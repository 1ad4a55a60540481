"""The export of the inbox's applications with every answer of their forms: the columns across
versions and dispositifs, typed and formula-safe cells, the inbox's scope, the progress, the page,
the download, and a real Celery worker."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes import export as module_export
from aides.demandes.export import export_ecrire
from aides.demandes.filters import boite_filtree
from aides.demandes.models.filtres import ExportDemandes
from aides.demandes.services.filtres import export_demander, exports_purger
from aides.demandes.tests.factories import RepresentantFactory, demande_deposee
from aides.demandes.tests.factories_formulaire import formulaire_specifique, question_ajouter_et_publier
from conftest import attendre
from crm.tests.factories import EntrepriseFactory, EtablissementFactory
from portal.documents import document_generer
from portal.models import Document
from portal.roles import Role
from portal.tests.factories import AgentFactory

FIXES = [
    "Numéro de dépôt",
    "Entreprise",
    "SIRET",
    "Dispositif",
    "État",
    "Déposée le",
    "Décidée le",
    "Date de la commission",
    "Numéro de délibération",
    "Montant demandé",
    "Montant accordé",
    "Instructeur",
]
REPONSES = {
    "exercice_clos": "oui",
    "exporte": "oui",
    "siret_site": "12345678900012",
    "kbis": {"nom": "kbis-2026.pdf"},
    "pays": "Belgique",
    "partenaires": [{"nom": "Wallonie Export", "part": "1000"}, {"nom": "Gand Design", "part": "250.5"}],
}


def demande_avec(version, dispositif, **champs):
    reponses = {**REPONSES, **champs.pop("reponses", {})}
    return demande_deposee(dispositif=dispositif, version_formulaire=version, reponses=reponses, **champs)


@pytest.fixture
def deux_versions(db):
    """A dispositif whose form got a question (« Effectif », a number) after a first application;
    a second application on the new version; a third one on another dispositif's default form."""
    formulaire = formulaire_specifique("Export (test)")
    export = DispositifFactory(nom="Prospection export", formulaire=formulaire)
    v1 = formulaire.version_courante()
    ancienne = demande_avec(v1, export, intitule="Salon de Bruxelles")
    v2 = question_ajouter_et_publier(formulaire, code="effectif", libelle="Effectif", type="nombre")
    nouvelle = demande_avec(v2, export, intitule="Salon de Gand", reponses={"effectif": "12", "exporte": "non"})
    generique = demande_deposee(dispositif=DispositifFactory(nom="Achat de machines"), intitule="Découpe laser")
    return {"v1": v1, "v2": v2, "ancienne": ancienne, "nouvelle": nouvelle, "generique": generique}


def tout(user):
    return boite_filtree(user=user, donnees=QueryDict("statut="))[1]


def lire_xlsx(chemin) -> list[list]:
    feuille = load_workbook(chemin).active
    return [[cellule.value for cellule in ligne] for ligne in feuille.iter_rows()]


def par_numero(lignes: list[list]) -> dict:
    entete = lignes[0]
    return {ligne[0]: dict(zip(entete, ligne, strict=True)) for ligne in lignes[1:]}


@pytest.mark.usefixtures("media")
def test_the_columns_are_the_union_of_the_versions_questions_in_form_order(deux_versions, instructeur):
    chemin = export_ecrire(tout(instructeur), format="xlsx")
    lignes = lire_xlsx(chemin)
    chemin.unlink()
    # the generic questions kept in the application's own columns are one column for every dispositif;
    # a dispositif's own questions say which dispositif when the export spans several
    assert lignes[0] == FIXES + [
        "Avez-vous clôturé un exercice ? (Prospection export)",
        "Intitulé du projet",
        "Description du projet",
        "Date de début du projet",
        "Dépenses du projet (hors taxes)",
        "Exportez-vous ? (Prospection export)",
        "SIRET du site du projet (Prospection export)",
        "Extrait Kbis (Prospection export)",
        "Effectif (Prospection export)",  # only in version 2: after the question before it there
        "Pays visés (Prospection export)",
        "Partenaires (Prospection export)",
    ]
    lignes = par_numero(lignes)
    ancienne = lignes[deux_versions["ancienne"].numero_depot]
    assert ancienne["Intitulé du projet"] == "Salon de Bruxelles"
    assert ancienne["Effectif (Prospection export)"] is None  # not asked in its version
    assert ancienne["Exportez-vous ? (Prospection export)"] == "Oui"
    assert ancienne["Pays visés (Prospection export)"] == "Belgique"  # the conditional section's answer
    assert ancienne["Partenaires (Prospection export)"] == (
        "Nom : Wallonie Export ; Part (€) : 1000 | Nom : Gand Design ; Part (€) : 250.5"
    )
    assert ancienne["Extrait Kbis (Prospection export)"] == "kbis-2026.pdf"
    assert (
        ancienne["Dépenses du projet (hors taxes)"] == "Nature de la dépense : Machine ; Montant HT en euros : 50000.00"
    )
    nouvelle = lignes[deux_versions["nouvelle"].numero_depot]
    assert nouvelle["Effectif (Prospection export)"] == 12 and nouvelle["Exportez-vous ? (Prospection export)"] == "Non"
    generique = lignes[deux_versions["generique"].numero_depot]
    assert generique["Intitulé du projet"] == "Découpe laser" and generique["Pays visés (Prospection export)"] is None
    assert generique["Dispositif"] == "Achat de machines" and generique["État"] == "Déposée"


@pytest.mark.usefixtures("media")
def test_one_dispositif_needs_no_dispositif_in_the_headers(deux_versions, instructeur):
    dispositif = deux_versions["ancienne"].dispositif_id
    demandes = boite_filtree(user=instructeur, donnees=QueryDict(f"statut=&dispositif={dispositif}"))[1]
    chemin = export_ecrire(demandes, format="csv")
    texte = chemin.read_text(encoding="utf-8")
    chemin.unlink()
    entete = next(csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";"))
    assert entete[len(FIXES) :][:2] == ["Avez-vous clôturé un exercice ?", "Intitulé du projet"]
    assert "Effectif" in entete and len(texte.splitlines()) == 3


@pytest.mark.usefixtures("media")
def test_numbers_amounts_and_dates_are_real_cells_in_the_xlsx(deux_versions, instructeur):
    chemin = export_ecrire(tout(instructeur), format="xlsx")
    feuille = load_workbook(chemin).active
    chemin.unlink()
    entete = [c.value for c in feuille[1]]
    ligne = next(r for r in feuille.iter_rows(min_row=2) if r[0].value == deux_versions["nouvelle"].numero_depot)
    cellule = dict(zip(entete, ligne, strict=True))
    assert cellule["Montant demandé"].value == 20000 and cellule["Montant demandé"].number_format == '#,##0.00\\ "€"'
    assert cellule["Effectif (Prospection export)"].data_type == "n"
    debut = cellule["Date de début du projet"]
    assert debut.is_date and debut.value.date() == deux_versions["nouvelle"].date_debut_projet
    assert cellule["Déposée le"].value.date() == timezone.localdate()


@pytest.mark.usefixtures("media")
def test_no_cell_runs_as_a_formula_in_the_xlsx_nor_in_the_csv(instructeur):
    entreprise = EntrepriseFactory(denomination='=HYPERLINK("http://x.test","Cliquez")')
    representant = RepresentantFactory(etablissement=EtablissementFactory(entreprise=entreprise))
    demande = demande_deposee(representant=representant, intitule="+33 1 23", projet="@SUM(A1:A9)")
    chemin = export_ecrire(tout(instructeur), format="xlsx")
    feuille = load_workbook(chemin).active
    chemin.unlink()
    ligne = {c.value: v for c, v in zip(feuille[1], feuille[2], strict=True)}
    assert ligne["Entreprise"].value == '=HYPERLINK("http://x.test","Cliquez")'
    assert ligne["Entreprise"].data_type == "s" and ligne["Intitulé du projet"].data_type == "s"
    chemin = export_ecrire(tout(instructeur), format="csv")
    contenu = chemin.read_bytes()
    chemin.unlink()
    assert contenu.startswith("\ufeff".encode())
    lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
    ligne = dict(zip(lignes[0], lignes[1], strict=True))
    assert ligne["Entreprise"] == '\'=HYPERLINK("http://x.test","Cliquez")'
    assert ligne["Intitulé du projet"] == "'+33 1 23" and ligne["Description du projet"] == "'@SUM(A1:A9)"
    assert ligne["Déposée le"] == timezone.localdate().strftime("%d/%m/%Y")
    assert ligne["Numéro de dépôt"] == demande.numero_depot and ligne["Montant demandé"] == "20000.00"


@pytest.mark.usefixtures("media")
def test_the_export_keeps_the_inbox_scope_feder_sees_feder_files_only(creer_agent):
    feder = demande_deposee(dispositif=DispositifFactory(eligible_feder=True))
    autre = demande_deposee()
    chemin = export_ecrire(tout(creer_agent(Role.SERVICE_FEDER)), format="csv")
    texte = chemin.read_text(encoding="utf-8")
    chemin.unlink()
    assert feder.numero_depot in texte and autre.numero_depot not in texte
    with pytest.raises(PermissionDenied):
        export_demander(par=creer_agent(Role.PILOTAGE), requete="", format="xlsx")


@pytest.mark.usefixtures("media")
def test_the_generator_reports_its_progress_every_few_rows(deux_versions, instructeur, monkeypatch):
    monkeypatch.setattr(module_export, "PAS_PROGRESSION", 1)
    vus = []
    chemin = export_ecrire(tout(instructeur), format="csv", progression=lambda fait, total: vus.append((fait, total)))
    chemin.unlink()
    assert vus == [(0, 3), (1, 3), (2, 3), (3, 3)]
    # through the document: the percentages land on portal.Document, 100 % once stored
    export = export_demander(par=instructeur, requete="statut=", format="xlsx")
    pourcentages = []
    original = module_export.document_progression

    def noter(document, *, fait, total):
        original(document, fait=fait, total=total)
        pourcentages.append(Document.objects.get(pk=document.pk).progression)

    monkeypatch.setattr(module_export, "document_progression", noter)
    document_generer(document_id=str(export.document_id))
    assert pourcentages == [0, 33, 66, 99]
    export.document.refresh_from_db()
    assert export.document.pret and export.document.progression == 100


@pytest.mark.usefixtures("media")
def test_queries_do_not_grow_with_the_rows_only_with_the_chunks(deux_versions, instructeur):
    demandes = tout(instructeur)  # the agent's roles are read here
    with CaptureQueriesContext(connection) as trois:
        export_ecrire(demandes, format="xlsx").unlink()
    for _ in range(5):
        demande_avec(deux_versions["v2"], deux_versions["nouvelle"].dispositif)
    with CaptureQueriesContext(connection) as huit:
        export_ecrire(demandes.all(), format="xlsx").unlink()
    assert len(huit) == len(trois) <= 8  # count, forms, versions, dispositifs, the cursor, expenses


@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_an_instructeur_asks_waits_and_downloads_the_export_others_get_404(client, instructeur, creer_agent):
    demande = demande_deposee(intitule="Salon de Lille")
    client.force_login(instructeur)
    page_boite = client.get(reverse("aides_instruction:boite"), {"statut": "", "en_retard": ""}).content.decode()
    assert 'name="export-requete" value="statut=&amp;en_retard="' in page_boite
    reponse = client.post(
        reverse("aides_instruction:export-demander"), {"export-format": "xlsx", "export-requete": "statut="}
    )
    export = ExportDemandes.objects.get()
    assert reponse["Location"] == reverse("aides_instruction:export", args=[export.pk])
    assert export.requete == "statut=" and export.demande_par == instructeur and export.format == "xlsx"
    page = client.get(reponse["Location"]).content.decode()
    assert "Préparation de l'export en cours" in page and "<progress" in page
    fichier = reverse("aides_instruction:export-fichier", args=[export.pk])
    assert client.get(fichier).status_code == 404  # not ready yet
    # a double click while it is prepared gets the same export
    client.post(reverse("aides_instruction:export-demander"), {"export-format": "xlsx", "export-requete": "statut="})
    assert ExportDemandes.objects.count() == 1

    document_generer(document_id=str(export.document_id))
    assert "L'export est prêt." in unescape(client.get(reponse["Location"]).content.decode())
    telechargement = client.get(fichier)
    assert telechargement["Content-Disposition"].startswith('attachment; filename="demandes-')
    chemin = export.document.fichier.path
    assert par_numero(lire_xlsx(chemin))[demande.numero_depot]["Intitulé du projet"] == "Salon de Lille"
    etat = reverse("document-etat", args=[export.document_id])
    assert client.get(etat).json()["fichier"] == fichier

    for role in (Role.INSTRUCTEUR, Role.ADMINISTRATEUR, Role.GESTIONNAIRE_SAF):
        client.force_login(creer_agent(role))
        for url in (reponse["Location"], fichier, etat):
            assert client.get(url).status_code == 404, (role, url)


@pytest.mark.usefixtures("media")
def test_exports_are_kept_a_week_then_deleted_with_their_files(instructeur, django_capture_on_commit_callbacks):
    ancienne = export_demander(par=instructeur, requete="statut=", format="csv")
    recente = export_demander(par=instructeur, requete="statut=", format="xlsx")
    for export in (ancienne, recente):
        document_generer(document_id=str(export.document_id))
        export.refresh_from_db()
    fichier = ancienne.document.fichier
    ExportDemandes.objects.filter(pk=ancienne.pk).update(cree_le=timezone.now() - timedelta(days=8))
    with django_capture_on_commit_callbacks(execute=True):  # files leave the storage after commit
        assert exports_purger() == 1
    assert list(ExportDemandes.objects.all()) == [recente] and Document.objects.filter(pk=recente.document_id).exists()
    assert not fichier.storage.exists(fichier.name)
    assert recente.document.fichier.storage.exists(recente.document.fichier.name)


@pytest.mark.django_db
def test_a_role_that_reads_no_application_cannot_ask_for_an_export(client, creer_agent):
    client.force_login(creer_agent(Role.PILOTAGE))
    reponse = client.post(reverse("aides_instruction:export-demander"), {"export-format": "xlsx"})
    assert reponse.status_code == 403 and not ExportDemandes.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prepares_the_export(client, celery_worker, territoires_recharges):
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    demandes = [demande_deposee(montant_demande=Decimal(1000 + i)) for i in range(3)]
    client.force_login(instructeur)
    reponse = client.post(
        reverse("aides_instruction:export-demander"), {"export-format": "csv", "export-requete": "statut="}
    )
    export = ExportDemandes.objects.get()
    etat = reverse("document-etat", args=[export.document_id])
    fin = attendre(lambda: (e := client.get(etat).json())["statut"] == "pret" and e, delai=90)
    assert fin["progression"] == 100 and fin["fichier"]
    contenu = b"".join(client.get(fin["fichier"]).streaming_content).decode("utf-8-sig")
    assert all(d.numero_depot in contenu for d in demandes)
    assert "L'export est prêt." in unescape(client.get(reponse["Location"]).content.decode())


def test_a_typed_answer_is_a_typed_cell_and_an_unreadable_one_is_kept_as_text():
    champ = {"code": "debut", "type": "date", "cible": "", "libelle": "Début"}

    class Demande:
        reponses = {"debut": "2026-01-31"}

    assert module_export._valeur(champ, Demande) == date(2026, 1, 31)
    Demande.reponses = {"debut": "pas une date"}
    assert module_export._valeur(champ, Demande) == "pas une date"

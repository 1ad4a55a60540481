"""The SIRENE import, on small files written in exactly INSEE's stock format."""

import csv

import pytest
from django.core.management import CommandError, call_command

from crm.models import Entreprise, Etablissement
from crm.sirene import COLONNES_ETABLISSEMENT, COLONNES_UNITE_LEGALE, sirene_importer

from .factories import siren_valide, siret_valide

pytestmark = pytest.mark.django_db

SIREN_AMIENS = siren_valide(40_000_001)
SIREN_PARIS = siren_valide(40_000_002)
SIREN_INDIVIDUEL = siren_valide(40_000_003)
SIREN_CACHE = siren_valide(40_000_004)


def ul(siren, **champs) -> dict:
    return {
        "siren": siren, "statutDiffusionUniteLegale": "O", "dateCreationUniteLegale": "2015-04-01",
        "denominationUniteLegale": "MÉTALLERIE DU VIMEU", "categorieJuridiqueUniteLegale": "5710",
        "activitePrincipaleUniteLegale": "25.11Z", "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "trancheEffectifsUniteLegale": "12", "etatAdministratifUniteLegale": "A", "categorieEntreprise": "PME",
        **champs,
    }  # fmt: skip


def etab(siren, nic, commune="80021", **champs) -> dict:
    siret = siret_valide(siren, nic)
    return {
        "siren": siren, "nic": siret[9:], "siret": siret, "statutDiffusionEtablissement": "O",
        "dateCreationEtablissement": "2015-04-01", "trancheEffectifsEtablissement": "11",
        "etablissementSiege": "true" if nic == 1 else "false", "numeroVoieEtablissement": "12",
        "typeVoieEtablissement": "RUE", "libelleVoieEtablissement": "DES FORGES", "codePostalEtablissement": "80000",
        "libelleCommuneEtablissement": "AMIENS", "codeCommuneEtablissement": commune,
        "etatAdministratifEtablissement": "A", "activitePrincipaleEtablissement": "25.11Z",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2", **champs,
    }  # fmt: skip


def ecrire(chemin, colonnes, lignes, brutes=()):
    with chemin.open("w", newline="", encoding="utf-8") as fichier:
        ecrivain = csv.writer(fichier)
        ecrivain.writerow(colonnes)
        for ligne in lignes:
            ecrivain.writerow([ligne.get(c, "") for c in colonnes])
        for brute in brutes:
            fichier.write(brute + "\n")
    return chemin


@pytest.fixture
def fichiers(tmp_path):
    def fabrique(unites, etablissements, brutes_etab=()):
        return (
            ecrire(tmp_path / "StockUniteLegale_utf8.csv", COLONNES_UNITE_LEGALE, unites),
            ecrire(tmp_path / "StockEtablissement_utf8.csv", COLONNES_ETABLISSEMENT, etablissements, brutes_etab),
        )

    return fabrique


def test_import_keeps_region_establishments_and_their_companies(fichiers):
    chemin_ul, chemin_et = fichiers(
        [ul(SIREN_AMIENS), ul(SIREN_PARIS, denominationUniteLegale="PARISIENNE SA"),
         ul(SIREN_INDIVIDUEL, denominationUniteLegale="", prenom1UniteLegale="JEANNE", nomUniteLegale="DUPRÉ",
            categorieJuridiqueUniteLegale="1000"),
         ul(SIREN_CACHE, denominationUniteLegale="", statutDiffusionUniteLegale="P", nomUniteLegale="[ND]",
            prenom1UniteLegale="[ND]")],
        [etab(SIREN_AMIENS, 1), etab(SIREN_AMIENS, 2, commune="02691", etatAdministratifEtablissement="F"),
         etab(SIREN_PARIS, 1, commune="75056"), etab(SIREN_INDIVIDUEL, 1, commune="59350"),
         etab(SIREN_CACHE, 1, commune="60057")],
    )  # fmt: skip

    rapport = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)

    assert set(Entreprise.objects.values_list("siren", flat=True)) == {SIREN_AMIENS, SIREN_INDIVIDUEL, SIREN_CACHE}
    assert rapport.unites_legales.creees == 3 and rapport.unites_legales.ignorees == 1
    assert rapport.etablissements.creees == 4 and rapport.etablissements.ignorees == 1
    ferme = Etablissement.objects.get(siret=siret_valide(SIREN_AMIENS, 2))
    assert ferme.actif is False and ferme.commune.code_insee == "02691" and ferme.siege is False
    siege = Etablissement.objects.get(siret=siret_valide(SIREN_AMIENS, 1))
    assert siege.siege and siege.adresse == "12 RUE DES FORGES" and siege.naf == "25.11Z"
    assert siege.nom_recherche == "metallerie du vimeu"
    assert Entreprise.objects.get(siren=SIREN_INDIVIDUEL).denomination == "JEANNE DUPRÉ"
    assert Entreprise.objects.get(siren=SIREN_CACHE).denomination == "Entrepreneur individuel (non diffusible)"


def test_malformed_lines_are_rejected_with_their_reason_and_the_rest_imported(fichiers):
    mauvaise_cle = etab(SIREN_AMIENS, 3)
    mauvaise_cle["siret"] = mauvaise_cle["siret"][:-1] + str((int(mauvaise_cle["siret"][-1]) + 1) % 10)
    chemin_ul, chemin_et = fichiers(
        [ul(SIREN_AMIENS)],
        [etab(SIREN_AMIENS, 1), mauvaise_cle, etab(SIREN_AMIENS, 4, dateCreationEtablissement="2015-13-45"),
         etab(siren_valide(40_000_099), 1)],
        brutes_etab=["trop,peu,de,colonnes"],
    )  # fmt: skip

    rapport = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)

    rejets = rapport.etablissements.rejets
    assert rejets["SIRET invalide (longueur ou clé)"] == 1
    assert rejets["date de création invalide"] == 1
    assert rejets["nombre de colonnes incorrect"] == 1
    assert rejets["unité légale absente du fichier StockUniteLegale"] == 1
    assert rapport.etablissements.creees == 1
    assert Etablissement.objects.count() == 1
    assert "ligne 3" in rapport.etablissements.exemples["SIRET invalide (longueur ou clé)"][0]


def test_reimporting_updates_rows_and_never_duplicates_them(fichiers):
    chemin_ul, chemin_et = fichiers([ul(SIREN_AMIENS)], [etab(SIREN_AMIENS, 1), etab(SIREN_AMIENS, 2)])
    sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)

    deuxieme = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)
    assert (deuxieme.etablissements.creees, deuxieme.etablissements.mises_a_jour) == (0, 0)
    assert deuxieme.etablissements.inchangees == 2

    chemin_ul, chemin_et = fichiers(
        [ul(SIREN_AMIENS, denominationUniteLegale="FORGES DU VIMEU")],
        [etab(SIREN_AMIENS, 1), etab(SIREN_AMIENS, 2, etatAdministratifEtablissement="F")],
    )
    troisieme = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)

    assert troisieme.unites_legales.mises_a_jour == 1
    assert troisieme.etablissements.mises_a_jour == 2  # the name changed on both, one was closed
    assert Entreprise.objects.count() == 1 and Etablissement.objects.count() == 2
    assert Etablissement.objects.get(siret=siret_valide(SIREN_AMIENS, 2)).actif is False
    assert set(Etablissement.objects.values_list("nom_recherche", flat=True)) == {"forges du vimeu"}


def test_the_command_reports_counts_and_refuses_a_file_without_sirene_columns(fichiers, tmp_path, capsys):
    chemin_ul, chemin_et = fichiers([ul(SIREN_AMIENS)], [etab(SIREN_AMIENS, 1)])
    call_command("importer_sirene", unites_legales=str(chemin_ul), etablissements=str(chemin_et))
    sortie = capsys.readouterr().out
    assert "Établissements : 1 lues = 1 créées" in sortie

    autre = tmp_path / "autre.csv"
    autre.write_text("a,b\n1,2\n")
    with pytest.raises(CommandError, match="colonnes absentes"):
        call_command("importer_sirene", unites_legales=str(chemin_ul), etablissements=str(autre))
    assert Etablissement.objects.count() == 1


def test_generated_files_use_the_sirene_format_and_import(tmp_path):
    from crm.generation import sirene_generer

    chemin_ul, chemin_et = sirene_generer(etablissements=30, dossier=tmp_path, part_hors_region=0.2)
    with chemin_et.open() as fichier:
        assert next(csv.reader(fichier)) == COLONNES_ETABLISSEMENT
    rapport = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)
    assert rapport.etablissements.rejetees == 0
    assert Etablissement.objects.count() >= 30
    assert rapport.etablissements.ignorees > 0


def _somme(c) -> int:
    return c.creees + c.mises_a_jour + c.inchangees + c.hors_region + c.doublons + c.rejetees


def test_every_line_gets_exactly_one_named_outcome_and_the_report_adds_up(fichiers):
    sans_ul = siren_valide(40_000_099)
    chemin_ul, chemin_et = fichiers(
        [ul(SIREN_AMIENS), ul(SIREN_PARIS), ul(SIREN_AMIENS, denominationUniteLegale="DOUBLON")],
        [
            etab(SIREN_AMIENS, 1),
            etab(SIREN_AMIENS, 1, libelleVoieEtablissement="DES ENCLUMES"),  # the same SIRET again: last wins
            etab(SIREN_AMIENS, 2, commune="59999"),  # a Nord code that is no commune: not « hors région »
            etab(SIREN_PARIS, 1, commune="75056"),
            etab(sans_ul, 1),
            etab(sans_ul, 1),  # twice, and no legal unit: both lines rejected, once each
        ],
    )

    rapport = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)

    et = rapport.etablissements
    assert et.lues == 6 and _somme(et) == 6
    assert (et.creees, et.doublons, et.hors_region) == (1, 1, 1)
    assert et.rejets["commune inconnue dans la région (code INSEE)"] == 1
    assert et.rejets["unité légale absente du fichier StockUniteLegale"] == 2
    assert Etablissement.objects.get(siret=siret_valide(SIREN_AMIENS, 1)).adresse == "12 RUE DES ENCLUMES"
    u = rapport.unites_legales
    assert u.lues == 3 and _somme(u) == 3
    assert (u.creees, u.doublons, u.hors_region) == (1, 1, 1)

    again = sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et)
    assert _somme(again.etablissements) == 6 and again.etablissements.inchangees == 1
    assert _somme(again.unites_legales) == 3 and again.unites_legales.inchangees == 1


def test_the_report_names_each_outcome(fichiers):
    from crm.sirene import rapport_texte

    chemin_ul, chemin_et = fichiers([ul(SIREN_AMIENS)], [etab(SIREN_AMIENS, 1), etab(SIREN_AMIENS, 2, commune="80999")])
    texte = rapport_texte(sirene_importer(unites_legales=chemin_ul, etablissements=chemin_et))
    assert "Établissements : 2 lues = 1 créées + 0 mises à jour + 0 inchangées + 0 hors région + 0 doublons" in texte
    assert "1 rejetées" in texte and "commune inconnue dans la région" in texte

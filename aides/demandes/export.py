"""The export of the inbox's applications with every answer of their forms (XLSX or CSV), rendered
in the background as a portal.Document (kinds registered in aides/apps.py).

Columns: the fixed ones (`FIXES`), then one per question of the form versions the exported
applications were started with. A question is one column across the versions of its dispositif's
form (same code); the generic questions kept in the application's own columns (`cible`: title,
project, start date, expense lines) are one column whatever the dispositif. Columns follow the forms'
order: a question only found in an older version comes after the question before it there. When the
export spans several dispositifs, a dispositif's own question says which one in its header.

Memory stays flat whatever the number of rows: applications are read by chunks
(`.iterator(chunk_size=LOT)`, their expense lines read per chunk: a bounded number of
queries), each row is written at once to a temporary file (openpyxl's write-only mode, the csv
writer) through portal/tableurs.py, the one formula-safe writer. The generator reports its progress
every `PAS_PROGRESSION` rows.
"""

import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.demandes.filters import boite_filtree
from aides.demandes.formulaire import version_par_defaut
from aides.demandes.models.demande import Demande, LigneDepense
from aides.demandes.models.filtres import ExportDemandes
from formulaires.export import valeur_cellule
from formulaires.models import TypeChamp, Version
from formulaires.moteur import depuis_json
from formulaires.schema import tous_les_champs
from portal.documents import document_progression
from portal.models import Document
from portal.permissions import peut
from portal.tableurs import Classeur, Colonne, csv_ecrire

LOT = 1000
PAS_PROGRESSION = 500

FIXES = [
    Colonne("Numéro de dépôt", largeur=16),
    Colonne("Entreprise", largeur=30),
    Colonne("SIRET", largeur=16),
    Colonne("Dispositif", largeur=30),
    Colonne("État", largeur=20),
    Colonne("Déposée le", "date", 12),
    Colonne("Décidée le", "date", 12),
    Colonne("Date de la commission", "date", 12),
    Colonne("Numéro de délibération", largeur=16),
    Colonne("Montant demandé", "euros", 14),
    Colonne("Montant accordé", "euros", 14),
    Colonne("Instructeur", largeur=24),
]
# A question of a typed kind is a typed column (real numbers and dates in the XLSX).
TYPES_COLONNE = {TypeChamp.MONTANT: "euros", TypeChamp.NOMBRE: "nombre", TypeChamp.DATE: "date"}
CIBLES_FIXES = {"montant_demande"}  # already a fixed column


def _cle(dispositif_id: int, champ: dict) -> tuple:
    return ("cible", champ["cible"]) if champ.get("cible") else (dispositif_id, champ["code"])


def _inserer(ordre: list, connues: set, cles: list) -> None:
    """Merge a version's keys into `ordre`: a new key goes after the key before it in this version
    (or before the first key of this version already there)."""
    precedente = None
    for i, cle in enumerate(cles):
        if cle in connues:
            precedente = cle
            continue
        if precedente is not None:
            position = ordre.index(precedente) + 1
        else:
            suivantes = [ordre.index(c) for c in cles[i + 1 :] if c in connues]
            position = min(suivantes) if suivantes else len(ordre)
        ordre.insert(position, cle)
        connues.add(cle)
        precedente = cle


class PlanExport:
    """The columns of an export, and for each (dispositif, version) where its questions go
    (four queries whatever the number of applications)."""

    def __init__(self, demandes: QuerySet[Demande]):
        paires = set(demandes.order_by().values_list("dispositif_id", "version_formulaire_id").distinct())
        defaut = version_par_defaut() if any(v is None for _, v in paires) else None
        versions = {v.pk: v for v in Version.objects.filter(pk__in={v for _, v in paires if v is not None})}
        if defaut is not None:
            versions[None] = defaut
        noms = dict(Dispositif.objects.filter(pk__in={d for d, _ in paires}).values_list("pk", "nom"))
        # Newest version first within a dispositif: its labels and types win.
        paires_ordonnees = sorted(paires, key=lambda p: (noms[p[0]], p[0], -versions[p[1]].numero))
        ordre: list = []
        connues: set = set()
        champs: dict = {}
        for dispositif_id, version_id in paires_ordonnees:
            questions = [c for c in tous_les_champs(versions[version_id].schema) if c.get("cible") not in CIBLES_FIXES]
            cles = [_cle(dispositif_id, c) for c in questions]
            for cle, champ in zip(cles, questions, strict=True):
                champs.setdefault(cle, champ)
            _inserer(ordre, connues, cles)
        plusieurs = len({d for d, _ in paires}) > 1
        index = {cle: i for i, cle in enumerate(ordre)}
        self.questions = [
            Colonne(
                champs[cle]["libelle"] + (f" ({noms[cle[0]]})" if plusieurs and cle[0] != "cible" else ""),
                TYPES_COLONNE.get(champs[cle]["type"], "texte"),
                14 if champs[cle]["type"] in TYPES_COLONNE else 30,
            )
            for cle in ordre
        ]
        self.places = {
            (d, v): [
                (index[_cle(d, c)], c)
                for c in tous_les_champs(versions[v].schema)
                if c.get("cible") not in CIBLES_FIXES
            ]
            for d, v in paires
        }

    @property
    def colonnes(self) -> list[Colonne]:
        return FIXES + self.questions

    @property
    def entetes(self) -> list[str]:
        return [c.titre for c in self.colonnes]

    def ligne(self, demande: Demande, depenses: list[dict]) -> list:
        cellules = [None] * len(self.questions)
        for i, champ in self.places[(demande.dispositif_id, demande.version_formulaire_id)]:
            cellules[i] = valeur_cellule(champ, depenses) if champ.get("cible") == "lignes" else _valeur(champ, demande)
        instructeur = demande.instructeur
        return [
            demande.numero_depot,
            demande.etablissement.entreprise.denomination,
            demande.etablissement.siret,
            demande.dispositif.nom,
            demande.get_statut_display(),
            demande.depose_le,
            demande.decidee_le,
            demande.date_commission,
            demande.numero_deliberation,
            demande.montant_demande,
            demande.montant_accorde,
            (instructeur.get_full_name() or instructeur.email) if instructeur else "",
            *cellules,
        ]


def _valeur(champ: dict, demande: Demande):
    """A question's answer as a cell: a number or a date for typed questions, text otherwise (a
    repeated block's lines in one cell, as formulaires.export writes them)."""
    cible = champ.get("cible")
    valeur = getattr(demande, cible) if cible else demande.reponses.get(champ["code"])
    if champ["type"] in TYPES_COLONNE and not isinstance(valeur, (Decimal, date)):
        try:
            valeur = depuis_json(champ, valeur)
        except (ValueError, TypeError, InvalidOperation):
            return valeur_cellule({"type": TypeChamp.TEXTE}, valeur)  # kept as typed, as text
    if isinstance(valeur, (Decimal, date)):
        return valeur
    return valeur_cellule(champ, valeur)


def _depenses(demandes: list[Demande]) -> dict[int, list[dict]]:
    """The expense lines of a chunk of applications, in one query (plain tuples: no model instance
    pointing back to its application, which only the cyclic garbage collector would free)."""
    depenses: dict[int, list[dict]] = {}
    lignes = (
        LigneDepense.objects.filter(demande_id__in=[d.pk for d in demandes])
        .order_by("demande_id", "ordre", "pk")
        .values_list("demande_id", "nature", "montant_ht")
    )
    for demande_id, nature, montant in lignes:
        depenses.setdefault(demande_id, []).append({"nature": nature, "montant_ht": montant})
    return depenses


def _lignes(demandes: QuerySet[Demande], plan: PlanExport, avancer: Callable[[int], None]) -> Iterator[list]:
    curseur = demandes.select_related("dispositif", "etablissement__entreprise", "instructeur").iterator(chunk_size=LOT)
    fait = 0
    avancer(fait)  # from the start the poller shows a bar that moves, not an endless wait
    while lot := list(islice(curseur, LOT)):
        depenses = _depenses(lot)
        for demande in lot:
            yield plan.ligne(demande, depenses.get(demande.pk, []))
            fait += 1
            if fait % PAS_PROGRESSION == 0:
                avancer(fait)
        lot = depenses = None  # the next chunk is read without this one


def _dates_fr(ligne: list) -> list:
    """CSV: dates as French spreadsheets read them (27/11/2026; a time of day: its date in Paris)."""
    return [
        (timezone.localtime(v).date() if isinstance(v, datetime) else v).strftime("%d/%m/%Y")
        if isinstance(v, date)
        else v
        for v in ligne
    ]


def export_ecrire(demandes: QuerySet[Demande], *, format: str, progression=None) -> Path:
    """Write the export of `demandes` to a temporary file (the caller stores then deletes it);
    `progression(fait, total)` is called every PAS_PROGRESSION rows."""
    total = demandes.count()
    plan = PlanExport(demandes)
    lignes = _lignes(demandes, plan, lambda fait: progression and progression(fait, total))
    descripteur, nom = tempfile.mkstemp(prefix="export-demandes-", suffix=f".{format}")
    os.close(descripteur)
    chemin = Path(nom)
    try:
        if format == ExportDemandes.Format.CSV:
            with chemin.open("w", encoding="utf-8", newline="") as sortie:
                csv_ecrire(sortie, plan.entetes, (_dates_fr(ligne) for ligne in lignes))
        else:
            classeur = Classeur()
            classeur.feuille("Demandes", plan.colonnes, lignes)
            classeur.enregistrer(chemin)
    except BaseException:
        chemin.unlink(missing_ok=True)
        raise
    return chemin


def export_generer(document: Document) -> Path:
    """The generator of the export kinds: the inbox as its requester sees it now, with the criteria
    they had (their role lost meanwhile: nothing is written)."""
    export = ExportDemandes.objects.select_related("demande_par").get(document=document)
    if not peut(export.demande_par, "demande", "lire"):
        raise PermissionDenied("Le demandeur de l'export ne peut plus lire les demandes.")
    _, demandes = boite_filtree(user=export.demande_par, donnees=QueryDict(export.requete))
    return export_ecrire(
        demandes,
        format=export.format,
        progression=lambda fait, total: document_progression(document, fait=fait, total=total),
    )


def export_lisible(request, document: Document) -> bool:
    """Only the agent who asked for it, while their role reads applications."""
    user = request.user
    return (
        user.is_authenticated
        and peut(user, "demande", "lire")
        and ExportDemandes.objects.filter(document=document, demande_par=user).exists()
    )


def export_url(document: Document) -> str:
    return reverse("aides_instruction:export-fichier", args=[document.export_demandes.pk])


def export_nom_fichier(export: ExportDemandes) -> str:
    return f"demandes-{export.cree_le:%Y-%m-%d-%H%M}.{export.format}"

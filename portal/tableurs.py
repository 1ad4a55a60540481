"""The one writer of CSV and XLSX files: every export of the portal goes through it.

Company-typed text ends up in files that agents and the public open in a spreadsheet. A cell
starting with = + - @ tab or CR would run as a formula there (CSV injection: `=HYPERLINK(…)` as a
company name). So:

- CSV: every text cell starting like a formula gets a leading apostrophe (OWASP's advice); numbers
  given as numbers (int, Decimal, float) are written as they are. French spreadsheets by default:
  UTF-8 with a BOM, `;` between cells (the SCDL open data asks for a comma and no BOM: options).
- XLSX (openpyxl): every text cell is written with the string data type, never as a formula, and
  keeps its text as typed; dates are real dates, amounts real numbers with a euro format, the
  header row is frozen and carries an auto-filter.
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMAT_EUROS = '#,##0.00\\ "€"'
FORMAT_DATE = "DD/MM/YYYY"


def cellule_csv(valeur) -> str:
    """The text of a CSV cell that no spreadsheet will run as a formula."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int | Decimal | float):
        return str(valeur)
    texte = str(valeur)
    return "'" + texte if texte.startswith(DEBUTS_DANGEREUX) else texte


class _Ligne:
    """A file-like object whose write() returns the line: csv.writer then yields text to stream."""

    def write(self, valeur: str) -> str:
        return valeur


def csv_lignes(
    entete: Sequence[str], lignes: Iterable[Sequence], *, delimiteur: str = ";", bom: bool = True, fin: str = "\r\n"
) -> Iterator[str]:
    """The file, line by line (header first), every cell neutralised."""
    ecrivain = csv.writer(_Ligne(), delimiter=delimiteur, lineterminator=fin)
    yield ("\ufeff" if bom else "") + ecrivain.writerow([cellule_csv(v) for v in entete])
    for ligne in lignes:
        yield ecrivain.writerow([cellule_csv(v) for v in ligne])


def csv_ecrire(sortie, entete: Sequence[str], lignes: Iterable[Sequence], **options) -> int:
    """Write the file into `sortie` (a text stream or an HttpResponse); return the number of rows."""
    n = 0
    for n, texte in enumerate(csv_lignes(entete, lignes, **options)):  # noqa: B007 (the header is line 0)
        sortie.write(texte)
    return n


def csv_reponse(
    nom_fichier: str, entete: Sequence[str], lignes: Iterable[Sequence], *, flux: bool = True, **options
) -> HttpResponse | StreamingHttpResponse:
    """A download; streamed by default (rows are read as they are sent: large exports stay small in
    memory), in one piece with `flux=False` for short files."""
    classe = StreamingHttpResponse if flux else HttpResponse
    contenu = csv_lignes(entete, lignes, **options)
    reponse = classe(contenu if flux else "".join(contenu), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
    return reponse


# --- XLSX -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Colonne:
    """A column of a sheet: its title, the type of its cells and its width in characters.

    type: "texte" (the default, always a string cell), "entier", "nombre", "euros" (number with a
    euro format), "date" (a date or datetime, shown 27/11/2026 in Europe/Paris), "oui_non".
    """

    titre: str
    type: str = "texte"
    largeur: int = 14


def _texte_xlsx(valeur) -> str:

    # Control characters make openpyxl refuse the whole file; they carry nothing readable.
    return ILLEGAL_CHARACTERS_RE.sub("", "" if valeur is None else str(valeur))


def _cellule_xlsx(feuille, colonne: Colonne, valeur):

    if valeur is None or valeur == "":
        return None
    if colonne.type in ("entier", "nombre", "euros") and isinstance(valeur, int | Decimal | float):
        cellule = WriteOnlyCell(feuille, value=valeur)
        if colonne.type == "euros":
            cellule.number_format = FORMAT_EUROS
        return cellule
    if colonne.type == "date" and isinstance(valeur, date):
        if isinstance(valeur, datetime):
            valeur = timezone.localtime(valeur).date() if timezone.is_aware(valeur) else valeur.date()
        cellule = WriteOnlyCell(feuille, value=valeur)
        cellule.number_format = FORMAT_DATE
        return cellule
    if colonne.type == "oui_non" and isinstance(valeur, bool):
        valeur = "oui" if valeur else "non"
    texte = _texte_xlsx(valeur)
    if not texte.startswith("=") and texte not in ERROR_CODES:
        return texte  # a plain text cell: openpyxl's row writer reuses one cell for it (large exports)
    cellule = WriteOnlyCell(feuille, value=texte)
    cellule.data_type = "s"  # openpyxl would store a text starting with "=" as a formula, "#N/A" as an error
    return cellule


class Classeur:
    """An XLSX workbook written row by row (openpyxl's write-only mode): `feuille()` then `reponse()`."""

    def __init__(self) -> None:

        self._classeur = Workbook(write_only=True)

    def feuille(self, titre: str, colonnes: Sequence[Colonne], lignes: Iterable[Sequence]) -> int:
        """Add a sheet: bold frozen header with an auto-filter, typed cells; return the rows written."""

        feuille = self._classeur.create_sheet(_texte_xlsx(titre)[:31])
        for i, colonne in enumerate(colonnes, start=1):
            feuille.column_dimensions[get_column_letter(i)].width = colonne.largeur
        feuille.freeze_panes = "A2"
        entete = []
        for colonne in colonnes:
            cellule = WriteOnlyCell(feuille, value=_texte_xlsx(colonne.titre))
            cellule.data_type = "s"
            cellule.font = Font(bold=True)
            entete.append(cellule)
        feuille.append(entete)
        n = 0
        for ligne in lignes:
            feuille.append([_cellule_xlsx(feuille, c, v) for c, v in zip(colonnes, ligne, strict=True)])
            n += 1
        feuille.auto_filter.ref = f"A1:{get_column_letter(len(colonnes))}{n + 1}"
        return n

    def enregistrer(self, chemin) -> None:
        """Write the workbook to a file (a large export: its rows were already streamed to
        openpyxl's temporary files, nothing of the sheet is held in memory)."""
        self._classeur.save(chemin)

    def octets(self) -> bytes:
        tampon = BytesIO()
        self._classeur.save(tampon)
        return tampon.getvalue()

    def reponse(self, nom_fichier: str) -> HttpResponse:
        reponse = HttpResponse(self.octets(), content_type=TYPE_XLSX)
        reponse["Content-Disposition"] = f'attachment; filename="{nom_fichier}"'
        return reponse

"""Spreadsheet exports (CSV and XLSX) safe from formula injection.

A text cell starting with = + - @ tab or CR is prefixed with « ' » so that no spreadsheet runs it;
numbers, dates and datetimes stay real numbers and dates (sums and sorts work). The CSV is UTF-8
with a BOM and « ; » separators, as French spreadsheets expect.
(The older per-app helpers crm.views.cellule_csv and aides.views.neutraliser do the same for text.)
"""

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

DEBUTS_DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def cellule_sure(valeur):
    """The value as written: numbers and dates unchanged, text neutralised, None empty."""
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    if isinstance(valeur, int | float | Decimal | date):
        return valeur
    texte = str(valeur)
    return "'" + texte if texte.startswith(DEBUTS_DANGEREUX) else texte


def _texte_csv(valeur) -> str:
    valeur = cellule_sure(valeur)
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(valeur) else str(valeur)
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, float | Decimal):
        return str(valeur).replace(".", ",")
    return str(valeur)


class _Tampon:
    def write(self, valeur: str) -> str:
        return valeur


def reponse_csv(nom: str, entetes: Sequence[str], lignes: Iterable[Sequence]) -> StreamingHttpResponse:
    ecrivain = csv.writer(_Tampon(), delimiter=";")

    def contenu():
        yield "\ufeff" + ecrivain.writerow([_texte_csv(e) for e in entetes])
        for ligne in lignes:
            yield ecrivain.writerow([_texte_csv(v) for v in ligne])

    reponse = StreamingHttpResponse(contenu(), content_type="text/csv; charset=utf-8")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


def _valeur_xlsx(valeur):
    valeur = cellule_sure(valeur)
    if isinstance(valeur, Decimal):
        return float(valeur)
    if isinstance(valeur, datetime) and timezone.is_aware(valeur):
        return timezone.localtime(valeur).replace(tzinfo=None)  # Excel has no time zones
    return valeur


def reponse_xlsx(nom: str, feuilles: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> HttpResponse:
    """One workbook, one sheet per (title, headers, rows); written in write-only (streaming) mode."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    classeur = Workbook(write_only=True)
    for titre, entetes, lignes in feuilles:
        feuille = classeur.create_sheet(titre[:31])
        feuille.append([cellule_sure(e) for e in entetes])
        for ligne in lignes:
            cellules = []
            for valeur in ligne:
                valeur = _valeur_xlsx(valeur)
                if isinstance(valeur, datetime | date):
                    cellule = WriteOnlyCell(feuille, value=valeur)
                    cellule.number_format = "DD/MM/YYYY HH:MM" if isinstance(valeur, datetime) else "DD/MM/YYYY"
                    cellules.append(cellule)
                else:
                    cellules.append(valeur)
            feuille.append(cellules)
    tampon = BytesIO()
    classeur.save(tampon)
    reponse = HttpResponse(
        tampon.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse

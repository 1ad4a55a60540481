"""The parcours summary as a PDF (WeasyPrint), from templates/parcours/parcours_pdf.html."""

from __future__ import annotations

import datetime

from django.template.loader import render_to_string
from django.utils import timezone

from .selectors import Proposition


def parcours_pdf_html(proposition: Proposition, *, cree_le: datetime.datetime | None = None) -> str:
    return render_to_string(
        "parcours/parcours_pdf.html",
        {"p": proposition, "cree_le": timezone.localtime(cree_le or timezone.now())},
    )


def parcours_pdf_rendre(proposition: Proposition, *, cree_le: datetime.datetime | None = None) -> bytes:
    from weasyprint import HTML  # heavy import: only in the worker that renders

    return HTML(string=parcours_pdf_html(proposition, cree_le=cree_le)).write_pdf()

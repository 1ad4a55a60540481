"""The convention PDF: WeasyPrint renders a template per aid nature, with fonts embedded from
static/fonts (never the system's), so the document is the same on every machine."""

import time
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint.text.fonts import FontConfiguration

from aides.catalogue.referentiels import Nature, RegimeAide
from aides.conventions.models.convention import ConventionAide, Signature, VersionConvention
from aides.conventions.montants import montant_complet, montant_en_lettres
from aides.conventions.services.convention import nature_libelle, version_demander
from portal.documents import document_generer
from portal.models import Document, User

GABARITS = {
    Nature.SUBVENTION: "aides/convention_pdf/subvention.html",
    Nature.AVANCE_REMBOURSABLE: "aides/convention_pdf/avance_remboursable.html",
    Nature.PRET: "aides/convention_pdf/pret.html",
}
# Guarantees, equity and advice are not granted by this kind of convention: the subsidy model fits best.
GABARIT_PAR_DEFAUT = GABARITS[Nature.SUBVENTION]


def racine_statique() -> Path:
    return Path(settings.STATICFILES_DIRS[0])


def convention_pdf_html(convention: ConventionAide) -> str:
    echeancier = [
        {**ligne, "montant": convention.montant * ligne.get("pourcentage", 0) / 100}
        for ligne in convention.echeancier or []
    ]
    return render_to_string(
        GABARITS.get(convention.nature, GABARIT_PAR_DEFAUT),
        {
            "convention": convention,
            "beneficiaire": convention.etablissement,
            "entreprise": convention.etablissement.entreprise,
            "montant_complet": montant_complet(convention.montant),
            "montant_lettres": montant_en_lettres(convention.montant),
            "part_region": montant_complet(convention.part_region),
            "part_feder": montant_complet(convention.part_feder) if convention.part_feder else "",
            "part_epci": montant_complet(convention.part_epci) if convention.part_epci else "",
            "echeancier": echeancier,
            "nature": nature_libelle(convention.nature),
            "feder": convention.cofinancee_feder,
            # Regulation (EU) 2023/2831, art. 6(1): the beneficiary is told in writing.
            "de_minimis": convention.dispositif.regime == RegimeAide.DE_MINIMIS,
            "subvention": convention.nature == Nature.SUBVENTION,
            "edite_le": timezone.localdate(),
            "signatures": {s.partie: s for s in convention.signatures.select_related("signataire")},
            "Partie": Signature.Partie,
        },
    )


def convention_pdf_rendre(convention: ConventionAide) -> bytes:
    from weasyprint import HTML  # heavy import: only where PDFs are rendered

    if settings.PDF_PAUSE_TEST_SECONDES:  # test only: a slow render, to kill its worker midway
        time.sleep(settings.PDF_PAUSE_TEST_SECONDES)

    polices = FontConfiguration()
    return HTML(string=convention_pdf_html(convention), base_url=str(racine_statique()) + "/").write_pdf(
        font_config=polices
    )


def convention_pdf(document: Document) -> bytes:
    """The generator of GENRE_CONVENTION (registered in AidesConfig.ready): the convention's current
    data, rendered for the version that owns `document`."""
    version = VersionConvention.objects.select_related(
        "convention__etablissement__entreprise",
        "convention__etablissement__commune",
        "convention__dispositif",
        "convention__epci",
    ).get(document=document)
    return convention_pdf_rendre(version.convention)


def convention_pdf_generer(*, convention_id: int, par_id: int | None = None) -> VersionConvention | None:
    """Ask for a version and render it here and now, as the Travail would in a worker (the demo data,
    the benchmark, tests); the version, or None for a convention already signed."""
    version = version_demander(convention_id=convention_id, par=User.objects.filter(pk=par_id).first())
    if version is None:
        return None
    document_generer(document_id=str(version.document_id))
    version.document.refresh_from_db()
    return version

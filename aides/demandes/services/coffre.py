"""The company's document safe: depositing a document (Kbis, RIB, statuts, attestations) once,
with its expiry date, for every application of the company."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aides.demandes.documents import GENRE_COFFRE
from aides.demandes.models.coffre import VALIDITE_JOURS, DocumentEntreprise
from formulaires.models import DocumentCoffre
from portal.documents import document_deposer
from portal.models import Document
from portal.verification import FichierVerifie


@transaction.atomic
def coffre_deposer(
    *,
    entreprise_id: int,
    type: str,
    verifie: FichierVerifie,
    par,
    valable_jusqu_au: date | None = None,
    document: Document | None = None,
) -> DocumentEntreprise:
    """Store a company document once; without a date, the usual validity of its type (a Kbis:
    three months, a URSSAF attestation: six months; a RIB or statuts: until replaced). `document`:
    the file is already stored for an application's piece (the same upload), the safe shares it."""
    if not type or type not in DocumentCoffre.values:
        raise ValidationError({"type": "Choisissez le type de document."})
    aujourd_hui = timezone.localdate()
    if valable_jusqu_au is None and type in VALIDITE_JOURS:
        valable_jusqu_au = aujourd_hui + timedelta(days=VALIDITE_JOURS[type])
    if valable_jusqu_au is not None and valable_jusqu_au < aujourd_hui:
        raise ValidationError({"valable_jusqu_au": "Ce document a déjà expiré : déposez-en un plus récent."})
    coffre = DocumentEntreprise(
        entreprise_id=entreprise_id,
        type=type,
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
        valable_jusqu_au=valable_jusqu_au,
        depose_par=par,
    )
    coffre.full_clean(exclude=["document"])  # a refused row stores no file
    coffre.document = document or document_deposer(verifie, genre=GENRE_COFFRE, par=par)
    coffre.full_clean()
    coffre.save()
    return coffre

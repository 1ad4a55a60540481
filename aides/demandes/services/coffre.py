"""The company's document safe: depositing a document (Kbis, RIB, statuts, attestations) once,
with its expiry date, for every application of the company."""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from aides.demandes.models.coffre import VALIDITE_JOURS, DocumentEntreprise
from formulaires.models import DocumentCoffre
from portal.fichiers import enregistrer_avec_fichier
from portal.verification import FichierVerifie


@transaction.atomic
def coffre_deposer(
    *, entreprise_id: int, type: str, verifie: FichierVerifie, par, valable_jusqu_au: date | None = None
) -> DocumentEntreprise:
    """Store a company document once; without a date, the usual validity of its type (a Kbis:
    three months, a URSSAF attestation: six months; a RIB or statuts: until replaced)."""
    if not type or type not in DocumentCoffre.values:
        raise ValidationError({"type": "Choisissez le type de document."})
    aujourd_hui = timezone.localdate()
    if valable_jusqu_au is None and type in VALIDITE_JOURS:
        valable_jusqu_au = aujourd_hui + timedelta(days=VALIDITE_JOURS[type])
    if valable_jusqu_au is not None and valable_jusqu_au < aujourd_hui:
        raise ValidationError({"valable_jusqu_au": "Ce document a déjà expiré : déposez-en un plus récent."})
    document = DocumentEntreprise(
        entreprise_id=entreprise_id,
        type=type,
        nom_original=verifie.nom_original,
        taille=verifie.taille,
        type_mime=verifie.type_mime,
        sha256=verifie.sha256,
        valable_jusqu_au=valable_jusqu_au,
        depose_par=par,
    )
    document.full_clean(exclude=["fichier"])
    enregistrer_avec_fichier(document, nom=verifie.nom_original, contenu=verifie.fichier)
    return document

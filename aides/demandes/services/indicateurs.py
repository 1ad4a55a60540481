"""Writes of the impact indicators of an application (expected at deposit, realised later)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from aides.catalogue.models.indicateur import TypeIndicateur
from aides.demandes.models.demande import Demande
from aides.demandes.models.indicateur import ValeurIndicateur


@transaction.atomic
def indicateurs_prevus_enregistrer(*, demande: Demande, valeurs: dict[int, Decimal | None]) -> None:
    """Save the expected values of a draft (an empty value removes the line)."""
    if not demande.est_brouillon:
        raise ValidationError("Les valeurs prévues ne se modifient plus après le dépôt.")
    suivis = set(demande.dispositif.indicateurs.values_list("pk", flat=True))
    for type_id, valeur in valeurs.items():
        if type_id not in suivis:
            raise ValidationError("Cet indicateur n'est pas suivi par le dispositif.")
        if valeur is None:
            ValeurIndicateur.objects.filter(demande=demande, type_id=type_id).delete()
            continue
        ligne = ValeurIndicateur.objects.filter(demande=demande, type_id=type_id).first() or ValeurIndicateur(
            demande=demande, type_id=type_id
        )
        ligne.valeur_prevue = valeur
        ligne.full_clean()
        ligne.save()


def indicateurs_manquants(demande: Demande) -> list[str]:
    """The indicators of the dispositif with no expected value yet (deposit needs them all)."""
    return list(
        TypeIndicateur.objects.filter(dispositifs=demande.dispositif_id)
        .exclude(valeurs__demande=demande)
        .values_list("libelle", flat=True)
    )


@transaction.atomic
def indicateur_realise_enregistrer(*, demande: Demande, type_id: int, valeur: Decimal, le) -> ValeurIndicateur:
    """The realised value, from the final report (the beneficiary-side issue calls it)."""
    ligne = ValeurIndicateur.objects.select_for_update().get(demande=demande, type_id=type_id)
    ligne.valeur_realisee = valeur
    ligne.realisee_le = le
    ligne.full_clean()
    ligne.save(update_fields=["valeur_realisee", "realisee_le"])
    return ligne

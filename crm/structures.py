"""Reads on what the directions fund partners and operators (crm.Structure) for, and their indicators."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.models import Direction

from .models import FinancementStructure, Indicateur, Structure


def annees_financees() -> list[int]:
    """Years with at least one funding, most recent first (always including the current year)."""
    annees = set(FinancementStructure.objects.values_list("annee", flat=True).distinct())
    annees.add(timezone.localdate().year)
    return sorted(annees, reverse=True)


def _somme(qs, cle: str, agregat) -> Subquery:
    """One aggregate per structure as a correlated subquery (no join multiplies the rows)."""
    return Subquery(qs.values(cle).annotate(valeur=agregat).values("valeur")[:1])


def structures_financees(*, annee: int, direction: Direction | None = None) -> QuerySet[Structure]:
    """Structures funded in `annee` (by `direction` if given): total, number of directions, indicators missed."""
    financements = FinancementStructure.objects.filter(structure=OuterRef("pk"), annee=annee)
    non_atteints = Indicateur.objects.non_atteints().filter(
        financement__structure=OuterRef("pk"), financement__annee=annee
    )
    if direction is not None:
        financements = financements.filter(direction=direction)
        non_atteints = non_atteints.filter(financement__direction=direction)
    toutes_directions = FinancementStructure.objects.filter(structure=OuterRef("pk"), annee=annee)
    return (
        Structure.objects.filter(Exists(financements))
        .annotate(
            total=Coalesce(
                _somme(financements, "structure", Sum("montant")), Value(Decimal("0")), output_field=DecimalField()
            ),
            nb_directions=Coalesce(_somme(toutes_directions, "structure", Count("direction", distinct=True)), 0),
            nb_non_atteints=Coalesce(_somme(non_atteints, "financement__structure", Count("pk")), 0),
        )
        .order_by("-total", "nom")
    )


def structures_plusieurs_directions(*, annee: int) -> QuerySet[Structure]:
    """Structures funded by at least two distinct directions in `annee`, with each funding of the year."""
    return (
        Structure.objects.annotate(
            nb_directions=Count("financements__direction", filter=Q(financements__annee=annee), distinct=True),
            total=Sum("financements__montant", filter=Q(financements__annee=annee)),
        )
        .filter(nb_directions__gte=2)
        .prefetch_related(
            Prefetch(
                "financements",
                queryset=FinancementStructure.objects.filter(annee=annee)
                .select_related("direction")
                .order_by("direction__code", "objet"),
                to_attr="financements_annee",
            )
        )
        .order_by("-nb_directions", "-total", "nom")
    )


def indicateurs_non_atteints(*, annee: int, direction: Direction | None = None) -> QuerySet[Indicateur]:
    qs = (
        Indicateur.objects.non_atteints()
        .filter(financement__annee=annee)
        .select_related("financement__structure", "financement__direction")
        .order_by("financement__structure__nom", "financement__direction__code", "pk")
    )
    if direction is not None:
        qs = qs.filter(financement__direction=direction)
    return qs


def structure_financements(structure: Structure) -> list[dict]:
    """The structure's fundings by year, most recent first, each with its indicators (2 queries)."""
    par_annee: dict[int, list[FinancementStructure]] = {}
    for financement in (
        FinancementStructure.objects.filter(structure=structure)
        .select_related("direction")
        .prefetch_related(Prefetch("indicateurs", queryset=Indicateur.objects.order_by("pk")))
        .order_by("-annee", "direction__code", "objet")
    ):
        par_annee.setdefault(financement.annee, []).append(financement)
    return [
        {
            "annee": annee,
            "financements": financements,
            "total": sum((f.montant for f in financements), Decimal("0")),
            "directions": sorted({f.direction.code for f in financements}),
        }
        for annee, financements in par_annee.items()
    ]


# --- Writes (pilotage) -------------------------------------------------------------------------------


@transaction.atomic
def financement_creer(
    *, structure: Structure, direction: Direction, annee: int, montant: Decimal, objet: str
) -> FinancementStructure:
    financement = FinancementStructure(
        structure=structure, direction=direction, annee=annee, montant=montant, objet=objet
    )
    financement.full_clean()
    financement.save()
    return financement


@transaction.atomic
def financement_supprimer(*, financement: FinancementStructure) -> None:
    financement.delete()


@transaction.atomic
def indicateur_creer(
    *, financement: FinancementStructure, libelle: str, cible: Decimal, realise: Decimal | None = None, unite: str = ""
) -> Indicateur:
    indicateur = Indicateur(financement=financement, libelle=libelle, cible=cible, realise=realise, unite=unite)
    indicateur.full_clean()
    indicateur.save()
    return indicateur


@transaction.atomic
def indicateur_mesurer(*, indicateur: Indicateur, realise: Decimal | None) -> Indicateur:
    indicateur.realise = realise
    indicateur.full_clean()
    indicateur.save(update_fields=["realise"])
    return indicateur

"""What each direction funds a partner or operator (crm.Structure) for, by year, and the objectives."""

from django.db import models
from django.db.models import F, Q

from crm.referentiels import valider_sans_balise


class FinancementStructureQuerySet(models.QuerySet):
    def de_l_annee(self, annee: int):
        return self.filter(annee=annee)


class FinancementStructure(models.Model):
    """A direction's funding of a structure for one year and one purpose (amount, objectives)."""

    structure = models.ForeignKey("crm.Structure", on_delete=models.CASCADE, related_name="financements")
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="financements_structures")
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    objet = models.CharField("objet du financement", max_length=250, validators=[valider_sans_balise])

    objects = FinancementStructureQuerySet.as_manager()

    class Meta:
        ordering = ["-annee", "structure__nom", "direction__code"]
        verbose_name = "financement d'une structure"
        verbose_name_plural = "financements des structures"
        indexes = [models.Index(fields=["annee", "structure"], name="crm_financement_annee")]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "direction", "annee", "objet"],
                name="crm_financement_unique",
                violation_error_message="Ce financement (structure, direction, année, objet) existe déjà.",
            ),
            models.CheckConstraint(
                condition=Q(montant__gte=0),
                name="crm_financement_montant_positif",
                violation_error_message="Le montant ne peut pas être négatif.",
            ),
            models.CheckConstraint(
                condition=Q(annee__gte=2000, annee__lte=2100),
                name="crm_financement_annee_plausible",
                violation_error_message="Indiquez une année entre 2000 et 2100.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure} – {self.direction_id and self.direction.code} {self.annee} : {self.objet}"


class IndicateurQuerySet(models.QuerySet):
    def non_atteints(self):
        """Measured (a value is entered) and below target."""
        return self.filter(realise__isnull=False, realise__lt=F("cible"))


class Indicateur(models.Model):
    """An objective of a funding: a target and, once measured, the actual value."""

    financement = models.ForeignKey(FinancementStructure, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("objectif", max_length=250, validators=[valider_sans_balise])
    cible = models.DecimalField("valeur cible", max_digits=12, decimal_places=2)
    realise = models.DecimalField(
        "valeur réalisée", max_digits=12, decimal_places=2, null=True, blank=True, help_text="Vide : pas encore mesuré."
    )
    unite = models.CharField("unité", max_length=50, blank=True, help_text="Ex. : entreprises accompagnées, %.")

    objects = IndicateurQuerySet.as_manager()

    class Meta:
        ordering = ["financement", "pk"]
        verbose_name = "indicateur"
        constraints = [
            models.CheckConstraint(
                condition=Q(cible__gte=0) & (Q(realise__isnull=True) | Q(realise__gte=0)),
                name="crm_indicateur_valeurs_positives",
                violation_error_message="Les valeurs d'un indicateur ne peuvent pas être négatives.",
            ),
        ]

    def __str__(self) -> str:
        return self.libelle

    @property
    def atteint(self) -> bool | None:
        if self.realise is None:
            return None
        return self.realise >= self.cible

    @property
    def taux(self) -> int | None:
        """Percentage of the target reached (None when not measured or the target is 0)."""
        if self.realise is None or not self.cible:
            return None
        return int(self.realise * 100 / self.cible)

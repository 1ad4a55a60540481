"""Impact indicators: the values of each application (the kinds a dispositif tracks are in the catalogue).

The applicant gives the expected value at deposit; the realised value comes from the final report
(the beneficiary-side issue fills `valeur_realisee`).
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aides.catalogue.models.indicateur import TypeIndicateur


class ValeurIndicateur(models.Model):
    """The expected (at deposit) and realised (final report) value of one indicator for one application."""

    demande = models.ForeignKey("aides.Demande", on_delete=models.CASCADE, related_name="indicateurs")
    type = models.ForeignKey(TypeIndicateur, on_delete=models.PROTECT, related_name="valeurs")
    valeur_prevue = models.DecimalField(
        "valeur prévue", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )
    valeur_realisee = models.DecimalField(
        "valeur réalisée", max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    realisee_le = models.DateField("réalisation constatée le", null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["type__ordre", "pk"]
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        constraints = [
            models.UniqueConstraint(fields=["demande", "type"], name="indicateur_un_par_demande"),
            models.CheckConstraint(condition=Q(valeur_prevue__gte=0), name="indicateur_prevu_positif"),
            models.CheckConstraint(
                condition=Q(valeur_realisee__isnull=True) | Q(valeur_realisee__gte=0), name="indicateur_realise_positif"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type.libelle} : {self.valeur_prevue}"

"""Impact indicators a dispositif tracks (the values of each application: aides/demandes/models/indicateur.py)."""

from django.db import models


class TypeIndicateur(models.Model):
    """Jobs created, jobs kept, investment made, export turnover, trainees…"""

    code = models.SlugField("code", max_length=40, unique=True)
    libelle = models.CharField("libellé", max_length=150)
    unite = models.CharField("unité", max_length=30, help_text="Par exemple « emplois », « € », « stagiaires ».")
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        ordering = ["ordre", "libelle"]
        verbose_name = "type d'indicateur d'impact"
        verbose_name_plural = "types d'indicateurs d'impact"

    def __str__(self) -> str:
        return f"{self.libelle} ({self.unite})"

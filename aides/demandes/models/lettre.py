"""Decision letters: one PDF per decision or regeneration, numbered 1, 2, … per application, never
overwritten (a later version is a new row). The PDF is a portal.Document rendered in the background
(aides.demandes.lettres)."""

from django.db import models
from django.utils import timezone


class LettreDecision(models.Model):
    demande = models.ForeignKey("aides.Demande", on_delete=models.PROTECT, related_name="lettres")
    numero = models.PositiveIntegerField("version")
    decision = models.CharField("décision", max_length=30)
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="lettre_decision", verbose_name="lettre"
    )
    cree_le = models.DateTimeField("demandée le", default=timezone.now)

    class Meta:
        verbose_name = "lettre de décision"
        verbose_name_plural = "lettres de décision"
        ordering = ["-numero"]
        constraints = [models.UniqueConstraint(fields=["demande", "numero"], name="lettre_version_unique")]

    def __str__(self) -> str:
        return f"Lettre de décision {self.demande_id} v{self.numero}"

    @property
    def nom_fichier(self) -> str:
        return f"lettre-decision-{self.demande.numero_depot}-v{self.numero}.pdf"

"""The agenda of a project review (territoires.RevueDeProjets): companies discussed, minutes, PDFs.

Decisions are CRM tasks (`Tache.point_revue`): they land in the assignee's list and on the company page.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from crm.referentiels import valider_sans_balise


class PointRevue(models.Model):
    """One item of a review's agenda: a company, what is to be discussed, and the minutes."""

    revue = models.ForeignKey("territoires.RevueDeProjets", on_delete=models.CASCADE, related_name="points")
    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="points_revue")
    sujet = models.CharField("sujet", max_length=250, validators=[valider_sans_balise])
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    compte_rendu = models.TextField("compte rendu", blank=True)
    ajoute_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField("ajouté le", default=timezone.now)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        ordering = ["revue", "ordre", "pk"]
        verbose_name = "point de revue de projets"
        verbose_name_plural = "points de revue de projets"
        constraints = [
            models.UniqueConstraint(
                fields=["revue", "entreprise"],
                name="crm_point_revue_entreprise_unique",
                violation_error_message="Cette entreprise est déjà à l'ordre du jour de cette revue.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordre}. {self.sujet}"


class DocumentRevue(models.Model):
    """The agenda or the minutes of a review as a PDF; its file and preparation are its portal.Document."""

    class Type(models.TextChoices):
        ORDRE_DU_JOUR = "ordre_du_jour", "Ordre du jour"
        COMPTE_RENDU = "compte_rendu", "Compte rendu"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    revue = models.ForeignKey("territoires.RevueDeProjets", on_delete=models.CASCADE, related_name="documents_crm")
    type = models.CharField("document", max_length=20, choices=Type.choices)
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="document_revue", verbose_name="document"
    )

    class Meta:
        ordering = ["-document__cree_le"]
        verbose_name = "document de revue de projets"
        verbose_name_plural = "documents de revue de projets"

    def __str__(self) -> str:
        return f"{self.get_type_display()} – revue {self.revue_id}"

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
    """The agenda or the minutes of a review as a PDF, rendered in the background (WeasyPrint)."""

    class Type(models.TextChoices):
        ORDRE_DU_JOUR = "ordre_du_jour", "Ordre du jour"
        COMPTE_RENDU = "compte_rendu", "Compte rendu"

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours de préparation"
        PRET = "pret", "Prêt"
        ECHEC = "echec", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    revue = models.ForeignKey("territoires.RevueDeProjets", on_delete=models.CASCADE, related_name="documents_crm")
    type = models.CharField("document", max_length=20, choices=Type.choices)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    fichier = models.FileField("fichier", upload_to="revues/", blank=True, max_length=200)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    erreur = models.TextField(blank=True)
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cree_le = models.DateTimeField("demandé le", default=timezone.now)
    pret_le = models.DateTimeField("prêt le", null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "document de revue de projets"
        verbose_name_plural = "documents de revue de projets"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(statut="pret") | (models.Q(pret_le__isnull=False) & ~models.Q(sha256="")),
                name="crm_document_revue_pret_complet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} – revue {self.revue_id} ({self.get_statut_display()})"

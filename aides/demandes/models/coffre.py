"""The company's document safe: Kbis, RIB, statuts, attestations, stored once in the company's
account with their expiry date and reused by its applications (a new one is asked once expired)."""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils import timezone

from formulaires.models import DocumentCoffre

# How long a document stays valid when the company does not say (None: until replaced).
VALIDITE_JOURS = {
    DocumentCoffre.KBIS: 90,
    DocumentCoffre.ATTESTATION_FISCALE: 365,
    DocumentCoffre.ATTESTATION_SOCIALE: 180,
}


def chemin_coffre(instance, nom: str) -> str:
    """The files' old names (now portal.Documents; kept for the migrations that name it)."""
    return f"coffre/{uuid.uuid4().hex}{PurePosixPath(nom).suffix.lower()[:8]}"


class DocumentEntrepriseQuerySet(models.QuerySet):
    def valides(self, jour: date | None = None):
        jour = jour or timezone.localdate()
        return self.filter(models.Q(valable_jusqu_au__isnull=True) | models.Q(valable_jusqu_au__gte=jour))


class DocumentEntreprise(models.Model):
    entreprise = models.ForeignKey(
        "crm.Entreprise", on_delete=models.CASCADE, related_name="documents_coffre", verbose_name="entreprise"
    )
    type = models.CharField("document", max_length=30, choices=[c for c in DocumentCoffre.choices if c[0]])
    # The safe's file; the applications that took it from the safe share it (PieceJointe.document).
    document = models.OneToOneField(
        "portal.Document", on_delete=models.PROTECT, related_name="document_coffre", verbose_name="fichier"
    )
    nom_original = models.CharField("nom du fichier", max_length=200)
    taille = models.PositiveBigIntegerField("taille (octets)")
    type_mime = models.CharField("type détecté", max_length=100)
    sha256 = models.CharField(max_length=64)
    valable_jusqu_au = models.DateField("valable jusqu'au", null=True, blank=True)
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("déposé le", default=timezone.now)
    demo = models.BooleanField("donnée de démonstration", default=False)

    objects = DocumentEntrepriseQuerySet.as_manager()

    class Meta:
        verbose_name = "document du coffre"
        verbose_name_plural = "documents du coffre"
        ordering = ["type", "-cree_le", "-pk"]
        indexes = [models.Index(fields=["entreprise", "type", "-cree_le"], name="coffre_entreprise_type")]

    def __str__(self) -> str:
        return f"{self.get_type_display()} – {self.nom_original}"

    def est_valide(self, jour: date | None = None) -> bool:
        return self.valable_jusqu_au is None or self.valable_jusqu_au >= (jour or timezone.localdate())

"""What an agent keeps of the instruction inbox: the filters they named, the exports they asked for."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class FiltreEnregistre(models.Model):
    """A named querystring of the inbox (`statut=…&dispositif=…`), owned by one agent and seen by
    them only (aides.demandes.services.filtres)."""

    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="filtres_boite", verbose_name="agent"
    )
    nom = models.CharField("nom du filtre", max_length=80)
    requete = models.CharField("critères (paramètres de l'adresse)", max_length=1000, blank=True)
    cree_le = models.DateTimeField("enregistré le", default=timezone.now)

    class Meta:
        verbose_name = "filtre enregistré de la boîte d'instruction"
        verbose_name_plural = "filtres enregistrés de la boîte d'instruction"
        ordering = ["agent", Lower("nom")]
        constraints = [
            models.UniqueConstraint(
                Lower("nom"),
                "agent",
                name="filtre_boite_nom_unique_par_agent",
                violation_error_message="Vous avez déjà un filtre de ce nom.",
            ),
            models.CheckConstraint(
                condition=~models.Q(nom=""),
                name="filtre_boite_nom_non_vide",
                violation_error_message="Donnez un nom au filtre.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom


class ExportDemandes(models.Model):
    """An export of the inbox's applications with every answer of their forms, rendered in the
    background as a portal.Document (aides.demandes.export): the criteria and the format asked for,
    and who asked (the scope is theirs; they alone download it)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Classeur (XLSX)"
        CSV = "csv", "Texte séparé par des points-virgules (CSV)"

    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="export_demandes", verbose_name="document"
    )
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="demandé par"
    )
    format = models.CharField("format", max_length=4, choices=Format.choices, default=Format.XLSX)
    requete = models.CharField("critères (paramètres de l'adresse)", max_length=1000, blank=True)
    cree_le = models.DateTimeField("demandé le", default=timezone.now)

    class Meta:
        verbose_name = "export des demandes"
        verbose_name_plural = "exports des demandes"
        ordering = ["-cree_le"]

    def __str__(self) -> str:
        return f"Export {self.get_format_display()} du {timezone.localtime(self.cree_le):%d/%m/%Y %H:%M}"

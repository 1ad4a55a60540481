import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from aides.catalogue.referentiels import TailleEntreprise

from .profil import Maturite, Projet, StadeEntreprise, Statut


def liste_de(choix: type[models.TextChoices], verbose_name: str, help_text: str = "") -> ArrayField:
    return ArrayField(
        models.CharField(max_length=30, choices=choix.choices),
        verbose_name=verbose_name,
        default=list,
        blank=True,
        help_text=help_text or "Aucune case cochée : toutes les réponses.",
    )


class ParcoursTypeQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(actif=True)


class ParcoursType(models.Model):
    """A packaged path (diagnostic → accompagnement → financement → suivi) for a family of profiles.

    The conditions are lists of answers to the questions; an empty list accepts every answer, and
    a profile matches when it meets every non-empty condition.
    """

    nom = models.CharField("nom", max_length=200)
    slug = models.SlugField("adresse", max_length=220, unique=True)
    description = models.TextField("présentation", blank=True)
    direction = models.ForeignKey(
        "portal.Direction",
        verbose_name="direction pilote",
        on_delete=models.PROTECT,
        related_name="parcours_types",
        help_text="Son chargé de mission sur le territoire de l'entreprise est le contact proposé.",
    )
    stades = liste_de(StadeEntreprise, "étapes de l'entreprise")
    projets = liste_de(Projet, "projets")
    statuts = liste_de(Statut, "statuts")
    tailles = liste_de(TailleEntreprise, "tailles")
    maturites = liste_de(Maturite, "maturités du projet d'innovation")
    actif = models.BooleanField("proposé aux entreprises", default=True)
    ordre = models.PositiveSmallIntegerField("ordre d'affichage", default=100)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    historique = HistoricalRecords(excluded_fields=["modifie_le"])
    objects = ParcoursTypeQuerySet.as_manager()

    class Meta:
        ordering = ["ordre", "nom"]
        verbose_name = "parcours type"
        verbose_name_plural = "parcours types"

    def __str__(self) -> str:
        return self.nom

    def conditions_lisibles(self) -> list[tuple[str, str]]:
        lignes = []
        for titre, valeurs, choix in (
            ("Étapes", self.stades, StadeEntreprise),
            ("Projets", self.projets, Projet),
            ("Statuts", self.statuts, Statut),
            ("Tailles", self.tailles, TailleEntreprise),
            ("Maturités", self.maturites, Maturite),
        ):
            if valeurs:
                lignes.append((titre, ", ".join(choix(v).label for v in valeurs)))
        return lignes


class EtapeParcours(models.Model):
    class Type(models.TextChoices):
        DIAGNOSTIC = "diagnostic", "Diagnostic de départ"
        ACCOMPAGNEMENT = "accompagnement", "Accompagnement"
        FINANCEMENT = "financement", "Financement"
        SUIVI = "suivi", "Suivi"

    parcours = models.ForeignKey(ParcoursType, on_delete=models.CASCADE, related_name="etapes")
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    type = models.CharField("type d'étape", max_length=20, choices=Type.choices)
    titre = models.CharField("titre", max_length=200)
    texte = models.TextField("texte", blank=True)
    dispositifs = models.ManyToManyField(
        "aides.Dispositif", verbose_name="dispositifs", blank=True, related_name="etapes_parcours"
    )
    operateurs = models.CharField(
        "opérateurs partenaires", max_length=300, blank=True, help_text="Par exemple : CMA Hauts-de-France, BGE."
    )

    historique = HistoricalRecords()

    class Meta:
        ordering = ["parcours", "ordre", "pk"]
        verbose_name = "étape de parcours"
        verbose_name_plural = "étapes de parcours"

    def __str__(self) -> str:
        return f"{self.ordre}. {self.titre}"


class SyntheseParcours(models.Model):
    """A PDF summary of one profile's parcours; its file and preparation are its portal.Document."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profil = models.CharField("réponses (paramètres de l'adresse)", max_length=2000)
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="synthese_parcours", verbose_name="document"
    )
    cree_le = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "synthèse de parcours"
        verbose_name_plural = "synthèses de parcours"

    def __str__(self) -> str:
        return f"Synthèse {self.pk} ({self.document.get_statut_display()})"


class DemandeDeContact(models.Model):
    """« Être contacté par mon conseiller »: one row per submitted form, whatever the retries.

    The form carries a random token; the unique constraint on it makes a double submission create
    one CRM request only.
    """

    jeton = models.UUIDField("jeton du formulaire", unique=True)
    profil = models.CharField("réponses (paramètres de l'adresse)", max_length=2000)
    parcours = models.ForeignKey(
        ParcoursType, null=True, blank=True, on_delete=models.SET_NULL, related_name="demandes_de_contact"
    )
    conseiller = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="conseiller"
    )
    # The CRM's request; an id rather than a foreign key keeps parcours' migrations independent of crm's.
    sollicitation_id = models.PositiveBigIntegerField("sollicitation (CRM)", null=True, blank=True)
    cree_le = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "demande de contact"
        verbose_name_plural = "demandes de contact"

    def __str__(self) -> str:
        return f"Demande de contact du {self.cree_le:%d/%m/%Y}"

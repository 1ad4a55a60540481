"""Pilotage: satisfaction surveys, the panel of company heads, the steering committee's report."""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Enquete(models.Model):
    """One short survey sent to a company after a request was answered/closed or after a decision.

    At most one per request and one per application (unique constraints): the periodic sweep that
    creates them can run twice, or in two workers, without a second email.
    """

    class Occasion(models.TextChoices):
        SOLLICITATION = "sollicitation", "Après une demande de contact"
        DECISION = "decision", "Après une décision sur une demande d'aide"

    occasion = models.CharField(max_length=20, choices=Occasion.choices)
    sollicitation = models.OneToOneField(
        "crm.Sollicitation", null=True, blank=True, on_delete=models.CASCADE, related_name="enquete"
    )
    demande = models.OneToOneField(
        "aides.Demande", null=True, blank=True, on_delete=models.CASCADE, related_name="enquete"
    )
    entreprise = models.ForeignKey(
        "crm.Entreprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="enquetes"
    )
    # Copied at creation (they never change) so the aggregates read this table and its answer only.
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="+")
    dispositif = models.ForeignKey(
        "aides.Dispositif", null=True, blank=True, on_delete=models.SET_NULL, related_name="enquetes"
    )
    commune = models.ForeignKey(
        "territoires.Commune", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    email = models.EmailField("envoyée à")
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-envoyee_le"]
        verbose_name = "enquête de satisfaction"
        verbose_name_plural = "enquêtes de satisfaction"
        constraints = [
            models.CheckConstraint(
                condition=(Q(occasion="sollicitation") & Q(sollicitation__isnull=False) & Q(demande__isnull=True))
                | (Q(occasion="decision") & Q(demande__isnull=False) & Q(sollicitation__isnull=True)),
                name="enquete_une_occasion",
            ),
        ]

    def __str__(self) -> str:
        return f"Enquête {self.get_occasion_display().lower()} du {timezone.localtime(self.envoyee_le):%d/%m/%Y}"


class Note(models.IntegerChoices):
    TRES_INSATISFAIT = 1, "Pas du tout"
    INSATISFAIT = 2, "Plutôt non"
    SATISFAIT = 3, "Plutôt oui"
    TRES_SATISFAIT = 4, "Tout à fait"


def note(libelle: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        libelle, choices=Note.choices, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )


class ReponseEnquete(models.Model):
    """The answer: one per survey (the primary key is the survey: answered once, by the database)."""

    enquete = models.OneToOneField(Enquete, primary_key=True, on_delete=models.CASCADE, related_name="reponse")
    utilite = note("La réponse de la Région vous a-t-elle été utile ?")
    simplicite = note("La démarche a-t-elle été simple et rapide ?")
    commentaire = models.TextField("commentaire", blank=True, max_length=2000)
    repondue_le = models.DateTimeField("répondue le", default=timezone.now)

    class Meta:
        ordering = ["-repondue_le"]
        verbose_name = "réponse à une enquête"
        verbose_name_plural = "réponses aux enquêtes"
        constraints = [
            models.CheckConstraint(condition=Q(utilite__gte=1, utilite__lte=4), name="reponse_utilite_bornee"),
            models.CheckConstraint(condition=Q(simplicite__gte=1, simplicite__lte=4), name="reponse_simplicite_bornee"),
        ]

    def __str__(self) -> str:
        return f"Réponse du {timezone.localtime(self.repondue_le):%d/%m/%Y}"


class MembrePanel(models.Model):
    """A company head who agreed to be consulted by the Région (opt-in from a survey)."""

    entreprise = models.ForeignKey("crm.Entreprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    nom = models.CharField("nom et prénom", max_length=200)
    email = models.EmailField("courriel", unique=True)
    fonction = models.CharField("fonction", max_length=100, blank=True)
    inscrit_le = models.DateTimeField("inscrit le", default=timezone.now)
    enquete = models.ForeignKey(Enquete, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-inscrit_le"]
        verbose_name = "membre du panel de dirigeants"
        verbose_name_plural = "panel de dirigeants"

    def __str__(self) -> str:
        return self.nom


class RapportPilotage(models.Model):
    """The yearly steering committee's report as a PDF; its file and preparation are its portal.Document."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    annee = models.PositiveSmallIntegerField("année")
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="rapport_pilotage", verbose_name="document"
    )

    class Meta:
        ordering = ["-document__cree_le"]
        verbose_name = "rapport du comité de pilotage"
        verbose_name_plural = "rapports du comité de pilotage"

    def __str__(self) -> str:
        return f"Rapport {self.annee}"


class Dimensions(models.Model):
    """Who and where of a fact, shared by the tables of facts: plain references (no constraint: the
    tables are rebuilt from the sources, never the other way round)."""

    direction = models.ForeignKey(
        "portal.Direction", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    departement = models.ForeignKey(
        "territoires.Departement", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    epci = models.ForeignKey(
        "territoires.EPCI", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    entreprise = models.ForeignKey(
        "crm.Entreprise", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )

    class Meta:
        abstract = True


class Fait(Dimensions):
    """The facts of pilotage pre-aggregated per day (table `pilotage_fait`, rebuilt by
    `pilotage.agregats.agregats_rafraichir`, never edited by hand): one row per Paris day × nature ×
    dispositif × direction × territory × state × delay × company, with how many facts and their
    amount. The company stays in the grain so that « entreprises accompagnées » is an exact
    count(DISTINCT); the delay (whole days) too, so that a median or a 90th percentile read on the
    rows repeated `nombre` times is exactly PostgreSQL's percentile_cont over the source rows."""

    class Nature(models.TextChoices):
        SOLLICITATION = "sollicitation", "Demande de contact reçue"
        DEPOT = "depot", "Demande d'aide déposée"
        DECISION = "decision", "Décision (accord ou refus)"
        SIGNATURE = "signature", "Convention signée par la Région"
        PREMIER_VERSEMENT = "premier_versement", "Premier versement payé"
        VERSEMENT = "versement", "Versement payé"
        INTERACTION = "interaction", "Interaction avec une entreprise"

    jour = models.DateField("jour (Europe/Paris)")
    nature = models.CharField(max_length=20, choices=Nature.choices)
    dispositif = models.ForeignKey(
        "aides.Dispositif", null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    statut = models.CharField(max_length=20, blank=True)
    delai = models.IntegerField("délai en jours", null=True)
    nombre = models.PositiveIntegerField()
    montant = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        verbose_name = "fait agrégé du pilotage"
        verbose_name_plural = "faits agrégés du pilotage"
        indexes = [
            models.Index(name="pilotage_fait_jour", fields=["jour", "nature"]),
            models.Index(name="pilotage_fait_dispositif", fields=["dispositif", "nature", "jour"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_nature_display()} le {self.jour:%d/%m/%Y} ({self.nombre})"


class FaitAnnuelBase(Dimensions):
    """The cross-tables' facts per year, rebuilt from `Fait` in the same transaction (never edited by
    hand): per Paris year × direction × département × EPCI × company, the requests received, the
    applications deposited, the aids granted and their amount (an interaction: a row of zeros, the
    company counts as accompanied). The day, the state, the delay and the dispositif are dropped, the
    company kept for the exact count(DISTINCT company): a cross-table over every year reads 56,000
    rows at 70,000 applications instead of 152,000 rows of `Fait`."""

    annee = models.PositiveSmallIntegerField("année (Europe/Paris)")
    sollicitations = models.PositiveIntegerField("demandes de contact reçues", default=0)
    deposees = models.PositiveIntegerField("demandes d'aide déposées", default=0)
    accordees = models.PositiveIntegerField("aides accordées", default=0)
    montant_accorde = models.DecimalField("montant accordé", max_digits=16, decimal_places=2, default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"Faits de {self.annee}"


class FaitAnnuel(FaitAnnuelBase):
    """The cross-tables without thématique (table `pilotage_faitannuel`)."""

    class Meta:
        verbose_name = "fait annuel du pilotage"
        verbose_name_plural = "faits annuels du pilotage"
        indexes = [models.Index(name="pilotage_faitannuel_annee", fields=["annee"])]


class FaitAnnuelThematique(FaitAnnuelBase):
    """The cross-tables by or filtered on thématique (table `pilotage_faitannuelthematique`): an
    application counts once in each distinct thématique of its dispositif (empty for requests,
    interactions and a dispositif without any), so that no query joins the dispositifs' thématiques."""

    thematique = models.CharField("thématique", max_length=30, null=True)

    class Meta:
        verbose_name = "fait annuel du pilotage par thématique"
        verbose_name_plural = "faits annuels du pilotage par thématique"
        indexes = [models.Index(name="pilotage_faitannuelthem_annee", fields=["annee"])]


class CalculAgregats(models.Model):
    """When the table of facts was last rebuilt (one row): the pages say « chiffres au … »."""

    le = models.DateTimeField("calculé le")
    duree_ms = models.PositiveIntegerField("durée (ms)")
    lignes = models.PositiveIntegerField("lignes")

    class Meta:
        verbose_name = "calcul des agrégats du pilotage"
        verbose_name_plural = "calculs des agrégats du pilotage"

    def __str__(self) -> str:
        return f"Agrégats calculés le {self.le:%d/%m/%Y %H:%M}"

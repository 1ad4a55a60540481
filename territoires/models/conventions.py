import uuid
from datetime import date
from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from territoires.models.referentiel import EPCI, DateRange


class TypeConvention(models.TextChoices):
    CADRE = "cadre", "Convention cadre personnalisée"
    AIDES = "aides", "Aides aux entreprises"
    AUTORISATION = "autorisation", "Autorisation"
    STRATEGIQUE = "strategique", "Stratégique"


class EtatConvention(models.TextChoices):
    """The state shown: the stored `statut`, with « en vigueur » and « expirée » read from the dates."""

    PROJET = "projet", "Projet"
    EN_NEGOCIATION = "en_negociation", "En négociation"
    SIGNEE = "signee", "Signée (pas encore en vigueur)"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    EXPIREE = "expiree", "Expirée"
    RESILIEE = "resiliee", "Résiliée"


class ConventionQuerySet(models.QuerySet):
    def avec_etat(self, le: date | None = None):
        """Annotate `etat_calcule`: the state on date `le` (today by default), without any job."""
        le = le or timezone.localdate()
        signee = ConventionTerritoriale.Statut.SIGNEE
        return self.annotate(
            etat_calcule=Case(
                When(statut=signee, date_fin__lt=le, then=Value(EtatConvention.EXPIREE)),
                When(statut=signee, date_debut__lte=le, then=Value(EtatConvention.EN_VIGUEUR)),
                default=F("statut"),
                output_field=models.CharField(),
            )
        )

    def en_vigueur(self, le: date | None = None):
        le = le or timezone.localdate()
        return self.filter(statut=ConventionTerritoriale.Statut.SIGNEE, date_debut__lte=le, date_fin__gte=le)


class ConventionTerritoriale(models.Model):
    """A convention between the Région and an EPCI.

    Only the manual steps are stored in `statut`; « en vigueur » and « expirée » follow the dates
    (`etat`, `ConventionQuerySet.avec_etat`). Two signed conventions of one type cannot overlap for
    one EPCI (an exclusion constraint): a résiliée one frees its period, a projet may overlap.
    """

    class Statut(models.TextChoices):
        PROJET = "projet", "Projet"
        EN_NEGOCIATION = "en_negociation", "En négociation"
        SIGNEE = "signee", "Signée"
        RESILIEE = "resiliee", "Résiliée"

    type = models.CharField("type de convention", max_length=20, choices=TypeConvention.choices)
    epci = models.ForeignKey(EPCI, on_delete=models.PROTECT, related_name="conventions", verbose_name="EPCI")
    intitule = models.CharField("intitulé", max_length=250, blank=True)
    date_debut = models.DateField("début de validité")
    date_fin = models.DateField("fin de validité")
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.PROJET)
    signee_le = models.DateField("signée le", null=True, blank=True)
    resiliee_le = models.DateField("résiliée le", null=True, blank=True)
    motif_resiliation = models.TextField("motif de la résiliation", blank=True)
    signataire_region = models.CharField("signataire pour la Région", max_length=200, blank=True)
    signataire_epci = models.CharField("signataire pour l'EPCI", max_length=200, blank=True)
    notes = models.TextField("notes internes", blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now, editable=False)

    objects = ConventionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["cree_le", "demo"])

    class Meta:
        ordering = ["type", "-date_debut"]
        verbose_name = "convention territoriale"
        verbose_name_plural = "conventions territoriales"
        indexes = [models.Index(fields=["statut", "date_fin"], name="convention_statut_fin")]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_fin__gte=F("date_debut")),
                name="convention_dates_ordonnees",
                violation_error_message="La fin de validité doit être postérieure au début.",
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=["signee", "resiliee"]) | Q(signee_le__isnull=False),
                name="convention_signee_datee",
                violation_error_message="Une convention signée (ou résiliée) doit avoir sa date de signature.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="resiliee") | (Q(resiliee_le__isnull=False) & ~Q(motif_resiliation="")),
                name="convention_resiliee_motivee",
                violation_error_message="Une convention résiliée doit avoir sa date et son motif de résiliation.",
            ),
            ExclusionConstraint(
                name="convention_sans_chevauchement",
                expressions=[
                    ("epci", RangeOperators.EQUAL),
                    ("type", RangeOperators.EQUAL),
                    (DateRange("date_debut", "date_fin", Value("[]")), RangeOperators.OVERLAPS),
                ],
                condition=Q(statut="signee"),
                violation_error_message=(
                    "Une convention signée du même type couvre déjà tout ou partie de cette période pour "
                    "cet EPCI : résiliez-la ou modifiez les dates."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.intitule or f"{self.get_type_display()} – {self.epci.nom}"

    def etat_le(self, le: date | None = None) -> str:
        le = le or timezone.localdate()
        if self.statut == self.Statut.SIGNEE:
            if self.date_fin < le:
                return EtatConvention.EXPIREE
            if self.date_debut <= le:
                return EtatConvention.EN_VIGUEUR
        return self.statut

    @property
    def etat(self) -> str:
        """The state today; uses the annotation when the row came from `avec_etat()`."""
        return getattr(self, "etat_calcule", None) or self.etat_le()

    @property
    def etat_libelle(self) -> str:
        return EtatConvention(self.etat).label

    @property
    def est_en_vigueur(self) -> bool:
        return self.etat == EtatConvention.EN_VIGUEUR

    @property
    def avant_signature(self) -> bool:
        """A projet or a convention in negotiation: lists say « à signer »."""
        return self.statut in (self.Statut.PROJET, self.Statut.EN_NEGOCIATION)

    @property
    def jours_restants(self) -> int:
        return (self.date_fin - timezone.localdate()).days


class EngagementAnnuel(models.Model):
    """The amounts the Région and the EPCI commit under a convention for one calendar year."""

    convention = models.ForeignKey(ConventionTerritoriale, on_delete=models.CASCADE, related_name="engagements")
    annee = models.PositiveSmallIntegerField("année")
    montant_region = models.DecimalField(
        "engagé par la Région (€)", max_digits=12, decimal_places=2, default=Decimal("0")
    )
    montant_epci = models.DecimalField("engagé par l'EPCI (€)", max_digits=12, decimal_places=2, default=Decimal("0"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["annee"]
        verbose_name = "engagement annuel"
        verbose_name_plural = "engagements annuels"
        constraints = [
            models.UniqueConstraint(fields=["convention", "annee"], name="engagement_annee_unique"),
            models.CheckConstraint(
                condition=Q(montant_region__gte=0, montant_epci__gte=0),
                name="engagement_montants_positifs",
                violation_error_message="Les montants ne peuvent pas être négatifs.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention} – {self.annee}"


def _chemin_piece(piece: "PieceConvention", nom: str) -> str:
    """The files' old names (now portal.Documents; kept for the migrations that name it)."""
    return f"conventions/{uuid.uuid4().hex}.pdf"


class PieceConvention(models.Model):
    """A PDF attached to a convention: a portal.Document (stored under a name chosen by the server),
    served to agents only."""

    convention = models.ForeignKey(ConventionTerritoriale, on_delete=models.CASCADE, related_name="pieces")
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="piece_convention_epci", verbose_name="fichier"
    )
    nom_original = models.CharField("nom du fichier", max_length=200)
    description = models.CharField("description", max_length=200, blank=True)
    taille = models.PositiveIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    ajoutee_par = models.ForeignKey(
        "portal.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="ajoutée par"
    )
    ajoutee_le = models.DateTimeField("ajoutée le", default=timezone.now)

    class Meta:
        ordering = ["-ajoutee_le"]
        verbose_name = "pièce de convention"

    def __str__(self) -> str:
        return self.nom_original


class AlerteConvention(models.Model):
    """An expiry alert already sent for a convention and a threshold (in days): each is sent once."""

    convention = models.ForeignKey(ConventionTerritoriale, on_delete=models.CASCADE, related_name="alertes")
    seuil = models.PositiveSmallIntegerField("seuil (jours avant la fin)")
    envoyee_le = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        verbose_name = "alerte d'échéance de convention"
        constraints = [models.UniqueConstraint(fields=["convention", "seuil"], name="alerte_convention_unique")]

    def __str__(self) -> str:
        return f"{self.convention} – J-{self.seuil}"


class EcheanceConventionnementQuerySet(models.QuerySet):
    def actives(self):
        return self.filter(actif=True)


class EcheanceConventionnement(models.Model):
    """A date before which every EPCI needs a convention of a type in force (e.g. 1 January)."""

    type = models.CharField("type de convention requis", max_length=20, choices=TypeConvention.choices)
    date = models.DateField("date butoir")
    libelle = models.CharField("libellé", max_length=200, blank=True)
    actif = models.BooleanField("active", default=True)

    objects = EcheanceConventionnementQuerySet.as_manager()

    class Meta:
        ordering = ["date", "type"]
        verbose_name = "échéance de conventionnement"
        verbose_name_plural = "échéances de conventionnement"
        constraints = [models.UniqueConstraint(fields=["type", "date"], name="echeance_unique")]

    def __str__(self) -> str:
        return self.libelle or f"{TypeConvention(self.type).label} au {self.date:%d/%m/%Y}"

import uuid
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Func, Q, Value, When
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .normalisation import normaliser


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    """An intercommunalité (CC, CA, CU or métropole), identified by its SIREN."""

    class Type(models.TextChoices):
        CC = "CC", "Communauté de communes"
        CA = "CA", "Communauté d'agglomération"
        CU = "CU", "Communauté urbaine"
        ME = "ME", "Métropole"

    siren = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("nature juridique", max_length=2, choices=Type.choices)
    departements = models.ManyToManyField(Departement, verbose_name="départements", related_name="epcis")
    population = models.PositiveIntegerField("population municipale", default=0)
    nb_communes = models.PositiveIntegerField("nombre de communes", default=0)
    # Outline, GeoJSON geometry in WGS84 (lon/lat), simplified: enough for the server-drawn maps.
    contour = models.JSONField("contour", null=True, blank=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.nom


class CommuneQuerySet(models.QuerySet):
    def avec_territoire(self):
        return self.select_related("departement", "epci")


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField("nom", max_length=200)
    # The name without accents, hyphens, apostrophes or case, for search ("saint quentin").
    nom_recherche = models.CharField(max_length=200, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(EPCI, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField("population municipale", default=0)
    codes_postaux = models.CharField("codes postaux", max_length=100, help_text="Séparés par des espaces.")

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [
            GinIndex(name="commune_nom_trgm", fields=["nom_recherche"], opclasses=["gin_trgm_ops"]),
            GinIndex(name="commune_cp_trgm", fields=["codes_postaux"], opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code_insee})"

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)

    @property
    def liste_codes_postaux(self) -> list[str]:
        return self.codes_postaux.split()


class AffectationQuerySet(models.QuerySet):
    def pour(self, *, epci: EPCI, direction=None):
        qs = self.filter(epci=epci, agent__is_active=True)
        return qs.filter(direction=direction) if direction is not None else qs


class Affectation(models.Model):
    """Who does what on a territory: a staff member, an EPCI, a direction.

    Incoming requests for a commune go to the agents assigned to its EPCI for the relevant direction.
    """

    agent = models.ForeignKey(
        "portal.User", on_delete=models.CASCADE, related_name="affectations", limit_choices_to={"is_staff": True}
    )
    epci = models.ForeignKey(EPCI, on_delete=models.CASCADE, related_name="affectations")
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="affectations")
    mission = models.CharField("mission sur ce territoire", max_length=200, blank=True)

    objects = AffectationQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation territoriale"
        constraints = [
            models.UniqueConstraint(fields=["agent", "epci", "direction"], name="affectation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} – {self.epci} ({self.direction.code})"


# --- EPCI conventions ---------------------------------------------------------------------------


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
    return f"conventions/{uuid.uuid4().hex}.pdf"


class PieceConvention(models.Model):
    """A PDF attached to a convention; the file is stored under a generated name, served to agents only."""

    convention = models.ForeignKey(ConventionTerritoriale, on_delete=models.CASCADE, related_name="pieces")
    fichier = models.FileField("fichier", upload_to=_chemin_piece, max_length=200)
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


# --- Project reviews ------------------------------------------------------------------------------

# A review is held every 6 to 8 weeks per territory: the next one is suggested in that window.
SEMAINES_PROCHAINE_REVUE_MIN = 6
SEMAINES_PROCHAINE_REVUE = 7
SEMAINES_PROCHAINE_REVUE_MAX = 8


class RevueDeProjetsQuerySet(models.QuerySet):
    def planifiees(self):
        return self.filter(statut=RevueDeProjets.Statut.PLANIFIEE)

    def a_venir(self, le: date | None = None):
        return self.planifiees().filter(date__gte=le or timezone.localdate())

    def passees(self, le: date | None = None):
        return self.filter(date__lt=le or timezone.localdate())


class RevueDeProjets(models.Model):
    """A project review: a meeting with one or several EPCI and partners, every 6–8 weeks.

    Its agenda (companies, minutes, decisions) belongs to the CRM, which adds it to the review page
    through `territoires.extensions` (PAGE_REVUE): territoires knows nothing of companies.
    """

    class Statut(models.TextChoices):
        PLANIFIEE = "planifiee", "Planifiée"
        TENUE = "tenue", "Tenue"

    date = models.DateField("date")
    heure = models.TimeField("heure", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200, help_text="Adresse, salle ou « visioconférence ».")
    epcis = models.ManyToManyField(EPCI, verbose_name="EPCI concernés", related_name="revues")
    participants_internes = models.ManyToManyField(
        "portal.User",
        verbose_name="participants de la Région",
        related_name="revues_projets",
        blank=True,
        limit_choices_to={"is_staff": True},
    )
    participants_partenaires = models.TextField(
        "participants partenaires",
        blank=True,
        help_text="Un participant par ligne, avec sa structure : « Marie Durand, CCI Amiens-Picardie ».",
    )
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.PLANIFIEE)
    rappel_envoye_le = models.DateTimeField("rappel envoyé le", null=True, blank=True, editable=False)
    creee_par = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="créée par"
    )
    cree_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    demo = models.BooleanField("donnée de démonstration", default=False)

    objects = RevueDeProjetsQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-heure", "-pk"]
        verbose_name = "revue de projets"
        verbose_name_plural = "revues de projets"
        indexes = [models.Index(fields=["statut", "date"], name="revue_statut_date")]

    def __str__(self) -> str:
        return f"Revue de projets du {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.statut == self.Statut.TENUE and self.date and self.date > timezone.localdate():
            raise ValidationError(
                {
                    "statut": f"La revue du {self.date:%d/%m/%Y} ne peut pas être déclarée tenue avant le "
                    f"{self.date:%d/%m/%Y}."
                }
            )

    @property
    def prochaine_date_suggeree(self) -> date:
        return self.date + timedelta(weeks=SEMAINES_PROCHAINE_REVUE)

    @property
    def prochaine_fenetre(self) -> tuple[date, date]:
        """The 6–8 weeks window after this review in which the next one should be held."""
        return (
            self.date + timedelta(weeks=SEMAINES_PROCHAINE_REVUE_MIN),
            self.date + timedelta(weeks=SEMAINES_PROCHAINE_REVUE_MAX),
        )

    @property
    def liste_partenaires(self) -> list[str]:
        return [ligne.strip() for ligne in self.participants_partenaires.splitlines() if ligne.strip()]

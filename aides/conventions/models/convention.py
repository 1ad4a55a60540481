"""Aid conventions (ConventionAide), their signature circuit, payments (Versement) and FEDER operations.

Invariants held by PostgreSQL itself: the number is unique, financing parts add up to the amount,
the payments recorded never exceed the amount (denormalised `total_versements` with a CHECK, kept
in the same transaction as the payment under a row lock), the step history is append-only.
"""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from aides.demandes.models.demande import AjoutSeulError
from aides.demandes.models.demande import montant as champ_montant

ZERO = Decimal("0")


class Etape(models.TextChoices):
    """The signature circuit and the life of a convention, in order."""

    A_EDITER = "a_editer", "À éditer"
    EDITEE = "editee", "Éditée"
    ENVOYEE = "envoyee", "Envoyée au bénéficiaire"
    SIGNEE_BENEFICIAIRE = "signee_beneficiaire", "Signée par le bénéficiaire"
    SIGNEE_REGION = "signee_region", "Signée par la Région"
    NOTIFIEE = "notifiee", "Notifiée"
    EN_EXECUTION = "en_execution", "En exécution"
    SOLDEE = "soldee", "Soldée"
    CADUQUE = "caduque", "Caduque"
    RESILIEE = "resiliee", "Résiliée"


CIRCUIT = [
    Etape.A_EDITER,
    Etape.EDITEE,
    Etape.ENVOYEE,
    Etape.SIGNEE_BENEFICIAIRE,
    Etape.SIGNEE_REGION,
    Etape.NOTIFIEE,
    Etape.EN_EXECUTION,
    Etape.SOLDEE,
]
ETAPES_FINALES = {Etape.SOLDEE, Etape.CADUQUE, Etape.RESILIEE}
# Steps a convention may be waiting in (stall detection applies to them).
ETAPES_EN_COURS = [e for e in CIRCUIT if e not in ETAPES_FINALES]

# Each step goes to the next one only; a convention never signed lapses (caduque) and one in force
# may be terminated (résiliée).
TRANSITIONS_CONVENTION: dict[str, set[str]] = {
    Etape.A_EDITER: {Etape.EDITEE, Etape.CADUQUE},
    Etape.EDITEE: {Etape.ENVOYEE, Etape.CADUQUE},
    Etape.ENVOYEE: {Etape.SIGNEE_BENEFICIAIRE, Etape.CADUQUE},
    Etape.SIGNEE_BENEFICIAIRE: {Etape.SIGNEE_REGION, Etape.CADUQUE},
    Etape.SIGNEE_REGION: {Etape.NOTIFIEE},
    Etape.NOTIFIEE: {Etape.EN_EXECUTION, Etape.CADUQUE, Etape.RESILIEE},
    Etape.EN_EXECUTION: {Etape.SOLDEE, Etape.CADUQUE, Etape.RESILIEE},
    Etape.SOLDEE: set(),
    Etape.CADUQUE: set(),
    Etape.RESILIEE: set(),
}


class CompteurConvention(models.Model):
    """The last number given per (year, direction); incremented by one atomic upsert."""

    annee = models.PositiveSmallIntegerField()
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="+")
    dernier = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["annee", "direction"], name="compteur_convention_unique")]

    def __str__(self) -> str:
        return f"{self.annee} : {self.dernier}"


# How long a convention is expected to wait in each step, in multiples of SAF_JOURS_BLOCAGE: the
# company is given twice the time of an internal step to sign; « en exécution » lasts as long as the
# project (years) and is never stalled, nor are the final steps.
DELAI_ATTENDU_FACTEUR: dict[str, int] = {
    Etape.A_EDITER: 1,
    Etape.EDITEE: 1,
    Etape.ENVOYEE: 2,
    Etape.SIGNEE_BENEFICIAIRE: 1,
    Etape.SIGNEE_REGION: 1,
    Etape.NOTIFIEE: 1,
}


def delai_attendu_jours(etape: str, jours: int) -> int | None:
    """Days a convention may wait in `etape` before it shows as stalled; None: never stalled."""
    facteur = DELAI_ATTENDU_FACTEUR.get(etape)
    return None if facteur is None else facteur * jours


def condition_bloquee(jours: int, maintenant=None) -> Q:
    """The one definition of « bloquée »: in a watched step for longer than that step's expected delay."""
    maintenant = maintenant or timezone.now()
    condition = Q(pk__in=[])
    for etape, facteur in DELAI_ATTENDU_FACTEUR.items():
        condition |= Q(etape=etape, etape_depuis__lt=maintenant - timezone.timedelta(days=facteur * jours))
    return condition


class ConventionQuerySet(models.QuerySet):
    def en_cours(self):
        return self.filter(en_cours=True)

    def bloquees(self, jours: int, maintenant=None):
        """Waiting in a step for longer than its expected delay (`condition_bloquee`)."""
        return self.filter(condition_bloquee(jours, maintenant))

    def de_l_entreprise(self, entreprise_id: int):
        return self.filter(etablissement__entreprise_id=entreprise_id)


class ConventionAide(models.Model):
    """The legal convention of a granted application (written convention mandatory above €23,000)."""

    Etape = Etape

    numero = models.CharField("numéro", max_length=30, unique=True)
    annee = models.PositiveSmallIntegerField("année")
    direction = models.ForeignKey(
        "portal.Direction", on_delete=models.PROTECT, related_name="conventions_aide", verbose_name="direction"
    )
    demande = models.OneToOneField(
        "aides.Demande", on_delete=models.PROTECT, related_name="convention", verbose_name="demande"
    )
    dispositif = models.ForeignKey(
        "aides.Dispositif", on_delete=models.PROTECT, related_name="conventions", verbose_name="dispositif"
    )
    etablissement = models.ForeignKey(
        "crm.Etablissement", on_delete=models.PROTECT, related_name="conventions_aide", verbose_name="bénéficiaire"
    )
    objet = models.TextField("objet")
    nature = models.CharField("nature de l'aide", max_length=30)
    montant = champ_montant("montant accordé (€)")
    part_region = champ_montant("part Région (€)")
    part_feder = champ_montant("part FEDER (€)", default=ZERO)
    part_epci = champ_montant("part EPCI (€)", default=ZERO)
    epci = models.ForeignKey(
        "territoires.EPCI",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conventions_aide",
        verbose_name="EPCI cofinanceur",
    )
    # [{"type": "avance", "pourcentage": 30, "condition": "à la signature"}, ...]
    echeancier = models.JSONField("échéancier des versements", default=list, blank=True)
    duree_mois = models.PositiveSmallIntegerField("durée de validité (mois)", default=36)
    date_caducite = models.DateField("date de caducité", null=True, blank=True)
    date_decision = models.DateField("date de la décision", null=True, blank=True)
    reference_decision = models.CharField("référence de la délibération", max_length=50, blank=True)
    etape = models.CharField("étape", max_length=30, choices=Etape.choices, default=Etape.A_EDITER)
    etape_depuis = models.DateTimeField("dans cette étape depuis", default=timezone.now)
    # Kept by PostgreSQL: not in a final step. The dashboard lists in-progress conventions oldest
    # first (so the stalled ones lead) through the index `convention_tableau`.
    en_cours = models.GeneratedField(
        expression=models.ExpressionWrapper(
            Q(etape__in=[e.value for e in ETAPES_EN_COURS]), output_field=models.BooleanField()
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    total_versements = champ_montant("total des versements enregistrés (€)", default=ZERO)
    gestionnaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conventions_gerees",
        verbose_name="gestionnaire SAF",
    )
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "convention d'aide"
        verbose_name_plural = "conventions d'aide"
        permissions = [("signer_convention_region", "Signer les conventions d'aide au nom de la Région")]
        indexes = [
            models.Index(fields=["etape", "etape_depuis"], name="convention_etape"),
            models.Index(F("en_cours").desc(), F("etape_depuis").asc(), F("id").asc(), name="convention_tableau"),
            models.Index(fields=["etablissement"], name="convention_etablissement"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(montant__gt=0), name="convention_montant_positif"),
            models.CheckConstraint(
                condition=Q(part_region__gte=0, part_feder__gte=0, part_epci__gte=0), name="convention_parts_positives"
            ),
            models.CheckConstraint(
                condition=Q(montant=F("part_region") + F("part_feder") + F("part_epci")),
                name="convention_parts_egales_montant",
            ),
            models.CheckConstraint(
                condition=Q(total_versements__gte=0, total_versements__lte=F("montant")),
                name="convention_versements_plafonnes",
            ),
            models.CheckConstraint(condition=Q(part_epci=0) | Q(epci__isnull=False), name="convention_epci_nomme"),
        ]

    def __str__(self) -> str:
        return self.numero

    @property
    def cofinancee_feder(self) -> bool:
        return self.part_feder > 0

    @property
    def est_finale(self) -> bool:
        return self.etape in ETAPES_FINALES

    def etapes_suivantes(self) -> set[str]:
        return TRANSITIONS_CONVENTION[self.etape]

    def age_etape_jours(self, maintenant=None) -> int:
        return ((maintenant or timezone.now()) - self.etape_depuis).days

    @property
    def taux_region(self) -> Decimal:
        return (self.part_region / self.montant * 100).quantize(Decimal("0.01")) if self.montant else ZERO


class EtapeConvention(models.Model):
    """One step of a convention's history, dated. Append-only (model guard and database trigger)."""

    convention = models.ForeignKey(ConventionAide, on_delete=models.CASCADE, related_name="etapes")
    de = models.CharField("de", max_length=30, choices=Etape.choices, blank=True)
    vers = models.CharField("vers", max_length=30, choices=Etape.choices)
    le = models.DateTimeField("le", default=timezone.now)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    motif = models.TextField("motif", blank=True)
    # Time spent in the step left (`de`), written with the row: delays per step need no window query;
    # the convention's direction and dispositif are copied (they never change) so the dashboard's
    # statistics read this table alone.
    duree_de = models.DurationField("durée de l'étape quittée", null=True, blank=True)
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="+", null=True)
    dispositif = models.ForeignKey("aides.Dispositif", on_delete=models.PROTECT, related_name="+", null=True)

    class Meta:
        ordering = ["le", "pk"]
        verbose_name = "étape de convention"
        verbose_name_plural = "étapes de convention"
        indexes = [models.Index(fields=["le"], name="etape_convention_le")]

    def __str__(self) -> str:
        return f"{self.get_vers_display()} le {timezone.localtime(self.le):%d/%m/%Y}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AjoutSeulError("L'historique d'une convention ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AjoutSeulError("L'historique d'une convention ne se supprime pas.")


# Where the files of conventions were stored before they moved to portal.Document: the migrations that
# created those fields name these functions.
def chemin_convention(instance, nom: str) -> str:
    return f"conventions/{uuid.uuid4().hex}.pdf"


def chemin_piece_convention(instance, nom: str) -> str:
    extension = PurePosixPath(nom).suffix.lower()[:8]
    return f"conventions/pieces/{uuid.uuid4().hex}{extension}"


class VersionConvention(models.Model):
    """One PDF of a convention, a portal.Document rendered in the background (kind « aides.convention »,
    aides.conventions.services.convention.version_demander). Every generation is a new version; the
    last ready one is current."""

    convention = models.ForeignKey(ConventionAide, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveSmallIntegerField("version")
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="version_convention", verbose_name="document"
    )

    class Meta:
        ordering = ["convention", "-numero"]
        constraints = [models.UniqueConstraint(fields=["convention", "numero"], name="version_convention_unique")]

    def __str__(self) -> str:
        return f"{self.convention.numero} v{self.numero}"


class Signature(models.Model):
    """A simple electronic signature (who, when, IP, SHA-256 of the exact version) or a signed scan."""

    class Partie(models.TextChoices):
        BENEFICIAIRE = "beneficiaire", "Bénéficiaire"
        REGION = "region", "Région"

    class Mode(models.TextChoices):
        ELECTRONIQUE = "electronique", "Signature électronique simple"
        SCAN = "scan", "Exemplaire signé numérisé"

    convention = models.ForeignKey(ConventionAide, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(VersionConvention, on_delete=models.PROTECT, related_name="signatures")
    partie = models.CharField(max_length=20, choices=Partie.choices)
    mode = models.CharField(max_length=20, choices=Mode.choices)
    signataire = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    qualite = models.CharField(
        "qualité du signataire",
        max_length=300,
        blank=True,
        help_text="« représentant légal » ou « par délégation de … du … » (capacité vérifiée le jour de la signature).",
    )
    le = models.DateTimeField(default=timezone.now)
    adresse_ip = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    sha256_version = models.CharField("empreinte de la version signée", max_length=64)
    scan = models.OneToOneField(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signature_scan",
        verbose_name="exemplaire signé",
    )
    second_facteur = models.BooleanField(
        "mot de passe et second facteur vérifiés",
        default=False,
        help_text="La Région signe après avoir ressaisi son mot de passe et un code de son second facteur.",
    )

    class Meta:
        ordering = ["le"]
        constraints = [models.UniqueConstraint(fields=["convention", "partie"], name="signature_une_par_partie")]

    def __str__(self) -> str:
        return f"{self.get_partie_display()} : {self.signataire} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"

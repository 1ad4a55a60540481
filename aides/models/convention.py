"""Aid conventions (ConventionAide), their signature circuit, payments (Versement) and FEDER operations.

Invariants held by PostgreSQL itself: the number is unique, financing parts add up to the amount,
the payments recorded never exceed the amount (denormalised `total_versements` with a CHECK, kept
in the same transaction as the payment under a row lock), the step history is append-only.
"""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .demande import AjoutSeulError
from .demande import montant as champ_montant

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
    pdf_demande_le = models.DateTimeField("génération du PDF demandée le", null=True, blank=True)
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


def chemin_convention(instance, nom: str) -> str:
    return f"conventions/{uuid.uuid4().hex}.pdf"


def chemin_piece_convention(instance, nom: str) -> str:
    extension = PurePosixPath(nom).suffix.lower()[:8]
    return f"conventions/pieces/{uuid.uuid4().hex}{extension}"


class VersionConvention(models.Model):
    """One generated PDF of a convention. Every generation is a new version; the last one is current."""

    convention = models.ForeignKey(ConventionAide, on_delete=models.CASCADE, related_name="versions")
    numero = models.PositiveSmallIntegerField("version")
    fichier = models.FileField("fichier", upload_to=chemin_convention, max_length=200)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    taille = models.PositiveIntegerField("taille (octets)")
    genere_le = models.DateTimeField("générée le", default=timezone.now)

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
    scan = models.FileField("exemplaire signé", upload_to=chemin_piece_convention, blank=True, max_length=200)
    scan_sha256 = models.CharField(max_length=64, blank=True)
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


class Versement(models.Model):
    class Type(models.TextChoices):
        AVANCE = "avance", "Avance"
        ACOMPTE = "acompte", "Acompte"
        SOLDE = "solde", "Solde"

    class Etat(models.TextChoices):
        DEMANDE = "demande", "Demandé"
        CONTROLE = "controle", "Contrôlé"
        MANDATE = "mandate", "Mandaté"
        PAYE = "paye", "Payé"

    SUIVANT = {Etat.DEMANDE: Etat.CONTROLE, Etat.CONTROLE: Etat.MANDATE, Etat.MANDATE: Etat.PAYE}

    convention = models.ForeignKey(ConventionAide, on_delete=models.PROTECT, related_name="versements")
    type = models.CharField("type", max_length=10, choices=Type.choices)
    montant = champ_montant("montant (€)")
    etat = models.CharField("état", max_length=10, choices=Etat.choices, default=Etat.DEMANDE)
    demande_le = models.DateTimeField("demandé le", default=timezone.now)
    controle_le = models.DateTimeField("contrôlé le", null=True, blank=True)
    mandate_le = models.DateTimeField("mandaté le", null=True, blank=True)
    paye_le = models.DateTimeField("payé le", null=True, blank=True)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    commentaire = models.TextField("commentaire", blank=True)
    # Four eyes above VERSEMENT_SEUIL_DOUBLE_CONTROLE (decided when the payment is requested): the
    # agent who marks it « mandaté » is not the one who marked it « contrôlé » (service + constraint).
    double_controle = models.BooleanField("double contrôle", default=False)
    controle_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name="contrôlé par",
    )  # fmt: skip
    mandate_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True,
        verbose_name="mandaté par",
    )  # fmt: skip

    class Meta:
        ordering = ["demande_le", "pk"]
        # Pilotage: payments of a period.
        indexes = [models.Index(fields=["paye_le"], name="versement_paye", condition=Q(etat="paye"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(double_controle=False) | Q(mandate_par__isnull=True) | ~Q(mandate_par=F("controle_par")),
                name="versement_double_controle",
            ),
            models.CheckConstraint(condition=Q(montant__gt=0), name="versement_montant_positif"),
            models.UniqueConstraint(fields=["convention"], condition=Q(type="solde"), name="versement_un_seul_solde"),
            models.CheckConstraint(condition=~Q(etat="paye") | Q(paye_le__isnull=False), name="versement_paye_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} de {self.montant} €"

    @property
    def etat_suivant_libelle(self) -> str:
        """« contrôlé », « mandaté », « payé »: the state « avancer » moves it to (the button says it)."""
        suivant = self.SUIVANT.get(self.etat)
        return self.Etat(suivant).label.lower() if suivant else ""


class PieceVersement(models.Model):
    """A proof attached to a payment (expense statement, invoices, final report)."""

    versement = models.ForeignKey(Versement, on_delete=models.CASCADE, related_name="pieces")
    fichier = models.FileField(upload_to=chemin_piece_convention, max_length=200)
    nom_original = models.CharField(max_length=200)
    taille = models.PositiveBigIntegerField()
    type_mime = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.nom_original


# --- FEDER -------------------------------------------------------------------------------------


class ObjectifSpecifique(models.TextChoices):
    """Specific objectives of the FEDER programme 2021-2027 relevant to companies (regulation 2021/1058)."""

    OS_1_1 = "1.1", "OS 1.1 – Recherche, innovation et technologies de pointe"
    OS_1_2 = "1.2", "OS 1.2 – Numérisation au bénéfice des entreprises"
    OS_1_3 = "1.3", "OS 1.3 – Croissance et compétitivité des PME"
    OS_1_4 = "1.4", "OS 1.4 – Compétences pour la spécialisation intelligente"
    OS_2_1 = "2.1", "OS 2.1 – Efficacité énergétique"
    OS_2_6 = "2.6", "OS 2.6 – Économie circulaire"


# Costs above this, for infrastructure or construction, call for a permanent plaque or billboard.
SEUIL_PLAQUE_FEDER = Decimal("500000")


class OperationFeder(models.Model):
    """A FEDER co-financed operation, linked to one convention."""

    convention = models.OneToOneField(ConventionAide, on_delete=models.PROTECT, related_name="operation_feder")
    reference_programme = models.CharField(
        "programme", max_length=100, default="Programme régional FEDER-FSE+ Hauts-de-France 2021-2027"
    )
    code_operation = models.CharField("référence de l'opération", max_length=30, unique=True)
    objectif_specifique = models.CharField("objectif spécifique", max_length=5, choices=ObjectifSpecifique.choices)
    taux_ue = models.DecimalField("taux de cofinancement UE (%)", max_digits=5, decimal_places=2)
    cout_total_eligible = champ_montant("coût total éligible (€)")
    montant_ue = champ_montant("montant UE programmé (€)")
    infrastructure = models.BooleanField("investissement en infrastructure ou construction", default=False)
    mention_site_web = models.BooleanField("mention du soutien de l'UE sur le site web du bénéficiaire", default=False)
    dernier_paiement_le = models.DateField("dernier paiement au bénéficiaire", null=True, blank=True)
    demo = models.BooleanField(default=False)

    class Meta:
        verbose_name = "opération FEDER"
        verbose_name_plural = "opérations FEDER"
        constraints = [
            models.CheckConstraint(condition=Q(taux_ue__gt=0, taux_ue__lte=100), name="feder_taux_borne"),
            models.CheckConstraint(condition=Q(montant_ue__lte=F("cout_total_eligible")), name="feder_ue_plafonne"),
        ]

    def __str__(self) -> str:
        return self.code_operation

    @property
    def support_publicite(self) -> str:
        """Regulation (EU) 2021/1060, art. 50(1)(c)-(e): an operation involving physical investment or
        equipment whose total cost exceeds €500,000 displays a durable plaque or billboard; every
        other operation displays at least one A3 poster (or equivalent electronic display)."""
        if self.infrastructure and self.cout_total_eligible > SEUIL_PLAQUE_FEDER:
            return PreuvePublicite.Type.PLAQUE
        return PreuvePublicite.Type.AFFICHE

    @property
    def archiver_jusqu_au(self) -> date | None:
        return date_archivage(self.dernier_paiement_le)


def date_archivage(dernier_paiement: date | None) -> date | None:
    """Keep documents for 5 years from 31 December of the year of the last payment to the beneficiary
    (regulation (EU) 2021/1060, art. 82)."""
    if dernier_paiement is None:
        return None
    return date(dernier_paiement.year + 5, 12, 31)


class AppelDeFonds(models.Model):
    """A payment claim of the FEDER operation, backed by an expense statement."""

    class Etat(models.TextChoices):
        DEPOSE = "depose", "Déposé"
        CONTROLE = "controle", "Contrôlé (service fait)"
        CERTIFIE = "certifie", "Certifié"
        PAYE = "paye", "Payé"
        REJETE = "rejete", "Rejeté"

    operation = models.ForeignKey(OperationFeder, on_delete=models.CASCADE, related_name="appels")
    numero = models.PositiveSmallIntegerField("n°")
    depose_le = models.DateField("déposé le", default=timezone.localdate)
    depenses_declarees = champ_montant("dépenses déclarées (€)")
    depenses_retenues = champ_montant("dépenses retenues (€)", null=True, blank=True)
    montant_ue = champ_montant("montant UE demandé (€)")
    etat = models.CharField("état", max_length=10, choices=Etat.choices, default=Etat.DEPOSE)
    paye_le = models.DateField("payé le", null=True, blank=True)
    # Issue 17: the company's accepted payment request the claim is made from (its retained lines).
    demande_versement = models.OneToOneField(
        "aides.DemandeVersement", on_delete=models.PROTECT, null=True, blank=True, related_name="appel_feder"
    )

    SUIVANT = {"depose": "controle", "controle": "certifie", "certifie": "paye"}

    class Meta:
        ordering = ["operation", "numero"]
        verbose_name = "appel de fonds FEDER"
        verbose_name_plural = "appels de fonds FEDER"
        constraints = [models.UniqueConstraint(fields=["operation", "numero"], name="appel_feder_unique")]

    def __str__(self) -> str:
        return f"Appel de fonds n° {self.numero}"

    @property
    def etat_suivant_libelle(self) -> str:
        """« contrôlé », « certifié », « payé »: the state « avancer » moves it to (the button says it)."""
        suivant = self.SUIVANT.get(self.etat)
        return {"controle": "contrôlé", "certifie": "certifié", "paye": "payé"}.get(suivant, "")


class LigneEtatDepenses(models.Model):
    appel = models.ForeignKey(AppelDeFonds, on_delete=models.CASCADE, related_name="lignes")
    fournisseur = models.CharField(max_length=200)
    piece = models.CharField("facture ou pièce", max_length=100)
    date_piece = models.DateField()
    montant_ht = champ_montant("montant HT (€)")

    class Meta:
        verbose_name = "ligne de l'état des dépenses"

    def __str__(self) -> str:
        return f"{self.fournisseur} {self.piece}"


class ControleFeder(models.Model):
    class Type(models.TextChoices):
        ADMINISTRATIF = "administratif", "Contrôle administratif"
        SUR_PLACE = "sur_place", "Visite sur place"
        AUDIT = "audit", "Audit (CICC, Commission)"

    class Resultat(models.TextChoices):
        EN_COURS = "en_cours", "En cours"
        CONFORME = "conforme", "Conforme"
        CORRECTION = "correction", "Correction financière"

    operation = models.ForeignKey(OperationFeder, on_delete=models.CASCADE, related_name="controles")
    type = models.CharField(max_length=20, choices=Type.choices)
    le = models.DateField("date")
    resultat = models.CharField("résultat", max_length=20, choices=Resultat.choices, default=Resultat.EN_COURS)
    observations = models.TextField(blank=True)

    class Meta:
        verbose_name = "contrôle FEDER"

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {self.le:%d/%m/%Y}"


class PreuvePublicite(models.Model):
    class Type(models.TextChoices):
        AFFICHE = "affiche", "Affiche A3"
        PLAQUE = "plaque", "Plaque ou panneau permanent"
        SITE_WEB = "site_web", "Mention sur le site web"

    operation = models.ForeignKey(OperationFeder, on_delete=models.CASCADE, related_name="preuves")
    type = models.CharField(max_length=20, choices=Type.choices)
    fichier = models.FileField(upload_to=chemin_piece_convention, blank=True, max_length=200)
    description = models.CharField(max_length=200, blank=True)
    le = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = "preuve de publicité FEDER"
        verbose_name_plural = "preuves de publicité FEDER"

    def __str__(self) -> str:
        return self.get_type_display()

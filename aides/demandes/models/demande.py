"""Applications (demandes) and their instruction: expenses, documents, history, messages, de minimis."""

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone

from portal.models import Document

ZERO = Decimal("0")


class Statut(models.TextChoices):
    """The cycle of Démarches simplifiées."""

    BROUILLON = "brouillon", "Brouillon"
    DEPOSEE = "deposee", "Déposée"
    EN_INSTRUCTION = "en_instruction", "En instruction"
    COMPLEMENT_DEMANDE = "complement_demande", "Complément demandé"
    ACCORDEE = "accordee", "Accordée"
    REFUSEE = "refusee", "Refusée"
    SANS_SUITE = "sans_suite", "Classée sans suite"


STATUTS_DECIDES = {Statut.ACCORDEE, Statut.REFUSEE, Statut.SANS_SUITE}
STATUTS_EN_COURS = {Statut.DEPOSEE, Statut.EN_INSTRUCTION, Statut.COMPLEMENT_DEMANDE}

# Allowed moves; anything else is refused by the services.
TRANSITIONS_PERMISES: dict[str, set[str]] = {
    Statut.BROUILLON: {Statut.DEPOSEE},
    Statut.DEPOSEE: {Statut.EN_INSTRUCTION, Statut.SANS_SUITE},
    Statut.EN_INSTRUCTION: {Statut.COMPLEMENT_DEMANDE, Statut.ACCORDEE, Statut.REFUSEE, Statut.SANS_SUITE},
    Statut.COMPLEMENT_DEMANDE: {Statut.EN_INSTRUCTION, Statut.SANS_SUITE},
    Statut.ACCORDEE: set(),
    Statut.REFUSEE: set(),
    Statut.SANS_SUITE: set(),
}


def montant(nom: str, **options) -> models.DecimalField:
    return models.DecimalField(nom, max_digits=12, decimal_places=2, validators=[MinValueValidator(ZERO)], **options)


class DemandeQuerySet(models.QuerySet):
    def de_l_entreprise(self, entreprise_id: int):
        return self.filter(etablissement__entreprise_id=entreprise_id)

    def deposees(self):
        return self.exclude(statut=Statut.BROUILLON)

    def en_cours(self):
        return self.filter(statut__in=STATUTS_EN_COURS)


class Demande(models.Model):
    """An application of an establishment for a dispositif."""

    Statut = Statut

    etablissement = models.ForeignKey(
        "crm.Etablissement", on_delete=models.PROTECT, related_name="demandes", verbose_name="établissement"
    )
    dispositif = models.ForeignKey(
        "aides.Dispositif", on_delete=models.PROTECT, related_name="demandes", verbose_name="dispositif"
    )
    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="demandes", verbose_name="demandeur"
    )
    projet = models.TextField("description du projet", blank=True)
    intitule = models.CharField("intitulé du projet", max_length=200, blank=True)
    date_debut_projet = models.DateField("date de début du projet", null=True, blank=True)
    montant_demande = montant("montant demandé (€)", null=True, blank=True)
    montant_accorde = montant("montant accordé (€)", null=True, blank=True)
    declaration_de_minimis_faite = models.BooleanField(
        "déclaration des aides de minimis des trois dernières années faite", default=False
    )
    statut = models.CharField("état", max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    numero_depot = models.CharField("numéro de dépôt", max_length=20, unique=True, null=True, blank=True)
    # The token of the form that created the application: a second submission of the same form
    # (double click, back button) finds the application instead of creating another one.
    jeton_creation = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    depose_le = models.DateTimeField("déposée le", null=True, blank=True)
    instructeur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="demandes_instruites",
        verbose_name="instructeur",
        limit_choices_to={"is_staff": True},
    )
    decidee_le = models.DateTimeField("décidée le", null=True, blank=True)
    date_commission = models.DateField("date de la commission permanente", null=True, blank=True)
    numero_deliberation = models.CharField("numéro de délibération", max_length=50, blank=True)
    motif_decision = models.TextField("motif de la décision", blank=True)
    # Optimistic locking: every write of the instruction bumps it; a form carries the version it read.
    version = models.PositiveIntegerField("version", default=1)
    # The deposit receipt (a PDF rendered in the background), from the deposit on.
    recepisse = models.OneToOneField(
        "portal.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demande_recepisse",
        verbose_name="récépissé",
    )
    # The form version the application was started with (kept whatever is published later), and the
    # answers to its questions that have no column of their own (JSON, see aides.demandes.formulaire).
    version_formulaire = models.ForeignKey(
        "formulaires.Version", on_delete=models.PROTECT, null=True, blank=True, related_name="demandes"
    )
    reponses = models.JSONField("réponses au formulaire", default=dict, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = DemandeQuerySet.as_manager()

    class Meta:
        ordering = ["-depose_le", "-cree_le"]
        verbose_name = "demande d'aide"
        verbose_name_plural = "demandes d'aide"
        indexes = [
            models.Index(fields=["statut", "dispositif"], name="demande_statut_dispositif"),
            models.Index(fields=["etablissement", "statut"], name="demande_etablissement"),
            # The instruction inbox: deposited files, oldest first.
            models.Index(fields=["depose_le", "id"], name="demande_boite", condition=~Q(statut="brouillon")),
            # Pilotage: decisions of a period (grants, refusals, delays).
            models.Index(
                fields=["decidee_le"],
                name="demande_decision",
                condition=Q(statut__in=["accordee", "refusee", "sans_suite"]),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(montant_demande__isnull=True) | Q(montant_demande__gte=0), name="demande_montant_positif"
            ),
            models.CheckConstraint(
                condition=Q(montant_accorde__isnull=True) | Q(montant_accorde__gte=0),
                name="demande_accorde_positif",
            ),
            models.CheckConstraint(
                condition=Q(montant_accorde__isnull=True) | Q(montant_accorde__lte=F("montant_demande")),
                name="demande_accorde_inferieur_demande",
            ),
            models.CheckConstraint(
                condition=Q(statut="brouillon") | Q(numero_depot__isnull=False, depose_le__isnull=False),
                name="demande_deposee_numerotee",
            ),
            models.CheckConstraint(
                condition=~Q(statut="accordee") | Q(montant_accorde__isnull=False), name="demande_accordee_montant"
            ),
        ]

    def __str__(self) -> str:
        return self.numero_depot or f"Brouillon n° {self.pk}"

    @property
    def est_brouillon(self) -> bool:
        return self.statut == Statut.BROUILLON

    @property
    def est_decidee(self) -> bool:
        return self.statut in STATUTS_DECIDES

    @property
    def lettres_pretes(self):
        """The versions of the decision letter that can be downloaded, the latest first."""
        return self.lettres.filter(document__statut=Document.Statut.PRET).select_related("document")

    @property
    def modifiable_par_entreprise(self) -> bool:
        return self.statut == Statut.BROUILLON

    def total_depenses(self) -> Decimal:
        if hasattr(self, "_prefetched_objects_cache") and "lignes" in self._prefetched_objects_cache:
            return sum((ligne.montant_ht for ligne in self.lignes.all()), ZERO)
        return self.lignes.aggregate(total=Sum("montant_ht"))["total"] or ZERO

    def clean(self) -> None:
        if (
            self.montant_accorde is not None
            and self.montant_demande is not None
            and self.montant_accorde > self.montant_demande
        ):
            raise ValidationError({"montant_accorde": "Le montant accordé ne peut pas dépasser le montant demandé."})


class LigneDepense(models.Model):
    """One line of the expense table (amount before tax)."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="lignes")
    nature = models.CharField("nature de la dépense", max_length=200)
    montant_ht = montant("montant HT (€)")
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "ligne de dépense"
        constraints = [models.CheckConstraint(condition=Q(montant_ht__gte=0), name="ligne_depense_positive")]

    def __str__(self) -> str:
        return f"{self.nature} : {self.montant_ht} €"


def chemin_piece(instance: "PieceJointe", nom: str) -> str:
    """Generated name (the file is now a portal.Document; kept for the migrations that name it)."""
    extension = PurePosixPath(nom).suffix.lower()[:8]
    return f"demandes/{uuid.uuid4().hex}{extension}"


class PieceJointe(models.Model):
    """A document of an application (required document, or attached to an answer). Its file is a
    portal.Document, which a document of the company's safe may share (taken from the safe): it is
    deleted only when no row uses it any more (aides.demandes.documents.documents_liberer)."""

    AUTRE = "autre"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="pieces")
    message = models.ForeignKey("aides.Message", on_delete=models.CASCADE, related_name="pieces", null=True, blank=True)
    type_piece = models.CharField("pièce", max_length=200, default=AUTRE)
    document = models.ForeignKey(
        "portal.Document", on_delete=models.PROTECT, related_name="pieces_demande", verbose_name="fichier"
    )
    nom_original = models.CharField("nom du fichier", max_length=200)
    taille = models.PositiveBigIntegerField("taille (octets)")
    type_mime = models.CharField("type détecté", max_length=100)
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("déposée le", default=timezone.now)
    # A document of the file the company replaced in an answer to a complement request (kept, marked).
    remplacee_par = models.ForeignKey(
        "aides.Message",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pieces_remplacees",
        verbose_name="remplacée par la réponse",
    )

    class Meta:
        ordering = ["cree_le", "pk"]
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        constraints = [models.CheckConstraint(condition=Q(taille__gt=0), name="piece_non_vide")]

    def __str__(self) -> str:
        return self.nom_original


class AjoutSeulError(Exception):
    pass


class Transition(models.Model):
    """One step of an application's history. Append-only: the model and a database trigger forbid
    any update or delete (migration 0002)."""

    demande = models.ForeignKey(Demande, on_delete=models.PROTECT, related_name="transitions")
    de = models.CharField("de", max_length=20, choices=Statut.choices)
    vers = models.CharField("vers", max_length=20, choices=Statut.choices)
    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    le = models.DateTimeField("le", default=timezone.now)
    motif = models.TextField("motif", blank=True)
    public = models.BooleanField("visible par l'entreprise", default=True)

    class Meta:
        ordering = ["le", "pk"]
        verbose_name = "étape de l'historique"
        verbose_name_plural = "historique"

    def __str__(self) -> str:
        return f"{self.get_de_display()} → {self.get_vers_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AjoutSeulError("L'historique d'une demande ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AjoutSeulError("L'historique d'une demande ne se supprime pas.")


class Message(models.Model):
    """The thread of an application between the company and the instruction: a request for
    complements by staff (it changes the state), the company's answer to it (it changes it back), or
    a free message of either side at any time of the file's life (it changes nothing)."""

    class Genre(models.TextChoices):
        DEMANDE_COMPLEMENT = "demande_complement", "Demande de complément"
        REPONSE = "reponse", "Réponse de l'entreprise"
        ECHANGE = "echange", "Message"

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="messages")
    genre = models.CharField(max_length=20, choices=Genre.choices)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("message")
    cree_le = models.DateTimeField("envoyé le", default=timezone.now)
    # A complement request's deadline (COMPLEMENT_DELAI_JOURS after it) and its reminder, sent once.
    repondre_avant = models.DateField("à fournir avant le", null=True, blank=True)
    rappel_envoye_le = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    # Which side wrote it, and when the other side first read it (the read receipt).
    de_l_instruction = models.BooleanField("écrit par l'instruction", default=False)
    lu_le = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        ordering = ["cree_le", "pk"]
        indexes = [models.Index(fields=["demande", "de_l_instruction"], name="message_non_lu", condition=Q(lu_le=None))]
        constraints = [
            models.CheckConstraint(
                condition=~Q(genre="demande_complement") | Q(de_l_instruction=True),
                name="message_complement_instruction",
            ),
            models.CheckConstraint(
                condition=~Q(genre="reponse") | Q(de_l_instruction=False), name="message_reponse_entreprise"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_genre_display()} du {self.cree_le:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        # A complement request is always the instruction's: older callers do not say so.
        if self.genre == self.Genre.DEMANDE_COMPLEMENT:
            self.de_l_instruction = True
        super().save(*args, **kwargs)


class Annotation(models.Model):
    """A private note of staff on an application: never shown to the company."""

    demande = models.ForeignKey(Demande, on_delete=models.CASCADE, related_name="annotations")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("annotation")
    cree_le = models.DateTimeField("écrite le", default=timezone.now)

    class Meta:
        ordering = ["cree_le", "pk"]

    def __str__(self) -> str:
        return f"Annotation du {self.cree_le:%d/%m/%Y}"


class DeclarationDeMinimis(models.Model):
    """A de minimis aid received elsewhere, as declared by the company (self-declaration)."""

    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="declarations_de_minimis")
    demande = models.ForeignKey(
        Demande, on_delete=models.SET_NULL, null=True, blank=True, related_name="declarations_de_minimis"
    )
    organisme = models.CharField("organisme qui a accordé l'aide", max_length=200)
    date_octroi = models.DateField("date d'octroi")
    montant = montant("montant (€)")
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date_octroi"]
        verbose_name = "aide de minimis déclarée"
        verbose_name_plural = "aides de minimis déclarées"
        constraints = [models.CheckConstraint(condition=Q(montant__gte=0), name="de_minimis_montant_positif")]

    def __str__(self) -> str:
        return f"{self.organisme} – {self.montant} € le {self.date_octroi:%d/%m/%Y}"

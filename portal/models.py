import uuid
from pathlib import PurePosixPath

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .roles import ROLES_AGENTS, Role


class Direction(models.Model):
    """A direction of the Région (DAEN, DPEAP...). Reference data, edited in the admin."""

    code = models.SlugField("code", max_length=10, unique=True)
    nom = models.CharField("nom", max_length=200)
    email_partage = models.EmailField(
        "boîte partagée", blank=True, help_text="Reçoit ce qui ne peut être attribué à une personne."
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "direction"

    def __str__(self) -> str:
        """« Direction de l'accompagnement des entreprises (DAEN) »: the name, then the code."""
        return self.nom if self.nom == self.code else f"{self.nom} ({self.code})"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("L'adresse électronique est obligatoire.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str):
        return self.get(email__iexact=username)

    def agents(self):
        return self.filter(is_active=True, is_staff=True)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email: a company representative or a staff member."""

    email = models.EmailField("adresse électronique", unique=True)
    first_name = models.CharField("prénom", max_length=150, blank=True)
    last_name = models.CharField("nom", max_length=150, blank=True)
    fonction = models.CharField("fonction", max_length=200, blank=True)
    telephone = models.CharField("téléphone professionnel", max_length=30, blank=True)
    direction = models.ForeignKey(
        Direction, verbose_name="direction", null=True, blank=True, on_delete=models.PROTECT, related_name="agents"
    )
    is_staff = models.BooleanField(
        "agent de la Région", default=False, help_text="Donne accès à l'espace agents (/agents/)."
    )
    is_active = models.BooleanField("actif", default=True)
    date_joined = models.DateTimeField("inscrit le", default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "utilisateur"
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_insensible_casse")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        if self.is_staff and not self.is_superuser and self.direction_id is None:
            raise ValidationError({"direction": "Un agent de la Région doit être rattaché à une direction."})

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def est_agent(self) -> bool:
        return self.is_active and self.is_staff

    def noms_groupes(self) -> set[str]:
        """The user's group names, read once per user object (one query per request)."""
        if "_noms_groupes" not in self.__dict__:
            self.__dict__["_noms_groupes"] = {groupe.name for groupe in self.groups.all()}
        return self.__dict__["_noms_groupes"]

    def a_role(self, *roles: Role) -> bool:
        """Whether the user holds one of these roles (superusers hold them all)."""
        if self.is_superuser:
            return True
        return any(role.value in self.noms_groupes() for role in roles)

    def roles_agent(self) -> list[str]:
        noms = {groupe.name for groupe in self.groups.all()}
        return [role.label for role in ROLES_AGENTS if role.value in noms]


class NotificationQuerySet(models.QuerySet):
    def en_attente(self):
        return self.filter(statut=Notification.Statut.EN_ATTENTE)


class Notification(models.Model):
    """An email in the outbox: written in the caller's transaction, sent once by a Celery task."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "Envoi en cours"
        ENVOYEE = "envoyee", "Envoyée"
        ECHEC = "echec", "Échec"

    destinataire = models.EmailField("destinataire")
    utilisateur = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )
    gabarit = models.CharField("gabarit", max_length=100)
    sujet = models.CharField("sujet", max_length=250)
    corps_texte = models.TextField("corps (texte)")
    corps_html = models.TextField("corps (HTML)")
    # Extra headers of the email, e.g. List-Unsubscribe for the alerts' digests.
    entetes = models.JSONField("en-têtes", default=dict, blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    tentatives = models.PositiveSmallIntegerField(default=0)
    derniere_erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    prise_le = models.DateTimeField("prise en charge le", null=True, blank=True)
    echec_signale = models.BooleanField("échec signalé aux administrateurs", default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        indexes = [
            models.Index(fields=["cree_le"], name="notification_en_attente", condition=models.Q(statut="en_attente"))
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(statut="envoyee", envoyee_le__isnull=False) | ~models.Q(statut="envoyee"),
                name="notification_envoyee_datee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.sujet} → {self.destinataire}"


class EnvoiPeriodique(models.Model):
    """A claim: this periodic send (`cle`, e.g. « alerte:42 ») was done for this period (« 2026-12-06 »,
    « 2026-W49 »). The unique row makes a job that runs twice, or on two workers, send once."""

    cle = models.CharField("clé", max_length=200)
    periode = models.CharField("période", max_length=20)
    cree_le = models.DateTimeField("réclamé le", default=timezone.now)

    class Meta:
        verbose_name = "envoi périodique"
        constraints = [models.UniqueConstraint(fields=["cle", "periode"], name="envoi_periodique_unique")]

    def __str__(self) -> str:
        return f"{self.cle} – {self.periode}"


class DemandeReinitialisation(models.Model):
    """A password-reset request, written the same way whether the address has an account or not
    (same answer, same work, same time: nothing tells them apart); a Celery task looks the address
    up and writes the email to the outbox, then deletes the row (no typed address is kept)."""

    email = models.EmailField("adresse saisie")
    cree_le = models.DateTimeField("demandée le", default=timezone.now)

    class Meta:
        verbose_name = "demande de réinitialisation"
        verbose_name_plural = "demandes de réinitialisation"
        indexes = [models.Index(fields=["cree_le"], name="reinitialisation_cree_le")]

    def __str__(self) -> str:
        return f"Réinitialisation demandée le {timezone.localtime(self.cree_le):%d/%m/%Y %H:%M}"


class TelechargementAgent(models.Model):
    """One download of a company's document by a staff member (who, what, when, from where).

    Written by `portal.journal.telechargement_journaliser`, never edited; read-only in the admin."""

    agent = models.ForeignKey(User, on_delete=models.PROTECT, related_name="telechargements", verbose_name="agent")
    le = models.DateTimeField("le", default=timezone.now, db_index=True)
    objet = models.CharField("type de document", max_length=60)
    objet_id = models.CharField("identifiant", max_length=64)
    nom_fichier = models.CharField("fichier", max_length=255)
    entreprise = models.CharField("entreprise (SIREN)", max_length=9, blank=True, db_index=True)
    adresse = models.GenericIPAddressField("adresse", null=True, blank=True)

    class Meta:
        ordering = ["-le", "-pk"]
        verbose_name = "téléchargement par un agent"
        verbose_name_plural = "téléchargements par les agents"

    def __str__(self) -> str:
        return f"{self.nom_fichier} par {self.agent} le {timezone.localtime(self.le):%d/%m/%Y %H:%M}"


class Battement(models.Model):
    """The last time a periodic job really ran in a worker (readiness: is the scheduler alive?)."""

    nom = models.CharField(max_length=100, primary_key=True)
    le = models.DateTimeField()

    class Meta:
        verbose_name = "dernier passage"
        verbose_name_plural = "derniers passages"

    def __str__(self) -> str:
        return f"{self.nom} {self.le:%Y-%m-%d %H:%M}"


class Travail(models.Model):
    """A background job (PDF to render…) requested by a row written in the caller's transaction.

    Dispatched to Celery after commit without waiting on the broker; a sweep re-dispatches whatever
    is late; the task claims the row, so a redelivered message does the work once.
    """

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours"
        FAIT = "fait", "Fait"
        ECHEC = "echec", "Échec"

    tache = models.CharField("tâche", max_length=200)
    arguments = models.JSONField("arguments", default=list, blank=True)
    file = models.CharField("file Celery", max_length=50, default="documents")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    tentatives = models.PositiveSmallIntegerField(default=0)
    derniere_erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField("demandé le", default=timezone.now)
    prise_le = models.DateTimeField("pris en charge le", null=True, blank=True)
    fini_le = models.DateTimeField("fini le", null=True, blank=True)

    class Meta:
        verbose_name = "travail en arrière-plan"
        verbose_name_plural = "travaux en arrière-plan"
        ordering = ["-cree_le"]
        indexes = [
            models.Index(
                fields=["cree_le"], name="travail_a_faire", condition=models.Q(statut__in=["en_attente", "en_cours"])
            )
        ]

    def __str__(self) -> str:
        return f"{self.tache}{tuple(self.arguments)} ({self.get_statut_display()})"


def chemin_document(document: "Document", nom: str) -> str:
    """The server names every stored file: documents/<kind>/<uuid>.<ext>, never the user's name."""
    extension = "".join(c for c in PurePosixPath(nom).suffix.lower()[:8] if c.isalnum() or c == ".")
    return f"documents/{document.genre.replace('.', '-')}/{uuid.uuid4().hex}{extension}"


class Document(models.Model):
    """A stored file owned by a row of another app (which points to it), and, for a file rendered by
    Celery, its one state machine: en attente → en cours → prêt | échec (portal.documents)."""

    class Statut(models.TextChoices):
        EN_ATTENTE = "en_attente", "En attente"
        EN_COURS = "en_cours", "En cours de préparation"
        PRET = "pret", "Prêt"
        ECHEC = "echec", "Échec"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    genre = models.CharField("type de document", max_length=60)
    # What makes two requests the same document (a double click): one pending document per key.
    cle = models.CharField("clé de la demande", max_length=200, blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    fichier = models.FileField("fichier", upload_to=chemin_document, blank=True, max_length=200)
    type_mime = models.CharField("type MIME", max_length=100, default="application/pdf")
    taille = models.PositiveBigIntegerField("taille (octets)", null=True, blank=True)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    erreur = models.TextField(blank=True)
    # How far a long job is (0–100 %), for the poller; empty for a document whose generator says nothing.
    progression = models.PositiveSmallIntegerField("avancement (%)", null=True, blank=True)
    demande_par = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cree_le = models.DateTimeField("demandé le", default=timezone.now)
    pret_le = models.DateTimeField("prêt le", null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "document"
        indexes = [models.Index(fields=["genre", "cree_le"], name="document_genre_cree_le")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(statut="pret")
                | (models.Q(pret_le__isnull=False) & ~models.Q(sha256="") & ~models.Q(fichier="")),
                name="document_pret_complet",
                violation_error_message="Un document prêt a un fichier, son empreinte et sa date.",
            ),
            models.UniqueConstraint(
                fields=["genre", "cle"],
                condition=models.Q(statut__in=["en_attente", "en_cours"]) & ~models.Q(cle=""),
                name="document_une_demande_en_cours",
            ),
            models.CheckConstraint(
                condition=models.Q(progression__isnull=True) | models.Q(progression__lte=100),
                name="document_progression_pourcentage",
                violation_error_message="L'avancement d'un document est un pourcentage (0 à 100).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.genre} {self.pk} ({self.get_statut_display()})"

    @property
    def pret(self) -> bool:
        return self.statut == self.Statut.PRET

    @property
    def en_preparation(self) -> bool:
        return self.statut in (self.Statut.EN_ATTENTE, self.Statut.EN_COURS)

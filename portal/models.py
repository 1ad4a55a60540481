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
        return self.nom


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

    def a_role(self, *roles: Role) -> bool:
        """Whether the user holds one of these roles (superusers hold them all)."""
        if self.is_superuser:
            return True
        noms = {role.value for role in roles}
        return any(groupe.name in noms for groupe in self.groups.all())

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
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.EN_ATTENTE)
    tentatives = models.PositiveSmallIntegerField(default=0)
    derniere_erreur = models.TextField(blank=True)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    envoyee_le = models.DateTimeField("envoyée le", null=True, blank=True)
    prise_le = models.DateTimeField("prise en charge le", null=True, blank=True)

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
    """A periodic digest or list claimed for one period (`portal.periodes.periode_reclamer`).

    The unique constraint makes « sent once per period » hold whatever runs the job (beat, a second
    beat, a command typed by hand, two workers): the second claim of a period finds the row.
    """

    cle = models.CharField("envoi", max_length=100)
    periode = models.CharField("période", max_length=40, help_text="Ex. : 2026-12-06 (jour) ou 2026-W49 (semaine).")
    reclame_le = models.DateTimeField("réclamé le", default=timezone.now)

    class Meta:
        verbose_name = "envoi périodique"
        verbose_name_plural = "envois périodiques"
        ordering = ["-reclame_le"]
        constraints = [models.UniqueConstraint(fields=["cle", "periode"], name="envoi_periodique_unique")]

    def __str__(self) -> str:
        return f"{self.cle} – {self.periode}"

"""Partners (crm Structure) and EPCI users: who belongs where, invitations, referrals, prescriptions,
the embeds partner sites include, and the EPCI's training resources."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Adhesion(models.Model):
    """A person's membership: a partner structure (role « partenaire ») or an EPCI (role « epci »)."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partenariat", verbose_name="personne"
    )
    structure = models.ForeignKey(
        "crm.Structure", null=True, blank=True, on_delete=models.PROTECT, related_name="membres"
    )
    epci = models.ForeignKey(
        "territoires.EPCI", null=True, blank=True, on_delete=models.PROTECT, related_name="membres", verbose_name="EPCI"
    )
    cree_le = models.DateTimeField(default=timezone.now)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "membre d'une structure partenaire ou d'un EPCI"
        verbose_name_plural = "membres des structures partenaires et des EPCI"
        constraints = [
            models.CheckConstraint(
                condition=Q(structure__isnull=True, epci__isnull=False) | Q(structure__isnull=False, epci__isnull=True),
                name="adhesion_structure_ou_epci",
                violation_error_message="Une personne appartient soit à une structure, soit à un EPCI.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} – {self.structure or self.epci}"


class Invitation(models.Model):
    """An invitation sent by a Région agent; its signed link is single-use and expires."""

    email = models.EmailField("courriel")
    structure = models.ForeignKey("crm.Structure", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    epci = models.ForeignKey(
        "territoires.EPCI", null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name="EPCI"
    )
    jeton = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)
    expire_le = models.DateTimeField()
    utilisee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-cree_le"]
        constraints = [
            models.CheckConstraint(
                condition=Q(structure__isnull=True, epci__isnull=False) | Q(structure__isnull=False, epci__isnull=True),
                name="invitation_structure_ou_epci",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation de {self.email} ({self.structure or self.epci})"


class OrientationQuerySet(models.QuerySet):
    def pour_structure(self, structure_id):
        return self.filter(structure_id=structure_id)

    def en_attente(self):
        return self.filter(statut=Orientation.Statut.TRANSMISE)


class Orientation(models.Model):
    """A request (crm Sollicitation) re-oriented by a Région agent to a partner structure."""

    class Statut(models.TextChoices):
        TRANSMISE = "transmise", "Transmise, en attente"
        PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"
        TRAITEE = "traitee", "Traitée"
        PAS_POUR_NOUS = "pas_pour_nous", "Pas pour nous"

    sollicitation = models.ForeignKey("crm.Sollicitation", on_delete=models.CASCADE, related_name="orientations")
    structure = models.ForeignKey("crm.Structure", on_delete=models.PROTECT, related_name="orientations")
    motif = models.TextField("motif de la réorientation", blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.TRANSMISE)
    note = models.TextField("note du partenaire", blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField("transmise le", default=timezone.now)
    prise_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prise_le = models.DateTimeField(null=True, blank=True)
    repondue_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repondue_le = models.DateTimeField(null=True, blank=True)
    relance_le = models.DateTimeField("relance envoyée le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    objects = OrientationQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        constraints = [
            models.UniqueConstraint(fields=["sollicitation", "structure"], name="orientation_unique"),
            models.CheckConstraint(
                condition=Q(statut="transmise") | Q(prise_le__isnull=False), name="orientation_prise_datee"
            ),
            models.CheckConstraint(
                condition=~Q(statut__in=["traitee", "pas_pour_nous"]) | Q(repondue_le__isnull=False),
                name="orientation_reponse_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sollicitation} → {self.structure}"

    @property
    def repondue(self) -> bool:
        return self.statut in {self.Statut.TRAITEE, self.Statut.PAS_POUR_NOUS}


class Prescription(models.Model):
    """A request a partner submitted for a company it accompanies (a crm Sollicitation, origin partner)."""

    sollicitation = models.OneToOneField("crm.Sollicitation", on_delete=models.CASCADE, related_name="prescription")
    structure = models.ForeignKey("crm.Structure", on_delete=models.PROTECT, related_name="prescriptions")
    prescripteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-cree_le"]

    def __str__(self) -> str:
        return f"Prescription de {self.structure} : {self.sollicitation}"


class SiteIntegration(models.Model):
    """A partner or EPCI site allowed to frame the embeds (CSP frame-ancestors)."""

    cle = models.SlugField(
        "clé de l'intégration", max_length=50, unique=True, help_text="Dans l'adresse : /integration/<clé>/…"
    )
    origine = models.CharField(
        "origine du site", max_length=200, help_text="Schéma, hôte et port : https://www.bge-hdf.fr"
    )
    structure = models.ForeignKey("crm.Structure", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    epci = models.ForeignKey("territoires.EPCI", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actif = models.BooleanField(default=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "site partenaire autorisé à intégrer"
        verbose_name_plural = "sites partenaires autorisés à intégrer"

    def __str__(self) -> str:
        return self.origine


class ProvenanceIntegration(models.Model):
    """Where an embedded « Être contacté » request came from."""

    sollicitation = models.OneToOneField("crm.Sollicitation", on_delete=models.CASCADE, related_name="provenance")
    site = models.ForeignKey(SiteIntegration, null=True, on_delete=models.SET_NULL, related_name="sollicitations")
    origine = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.origine


class Ressource(models.Model):
    """A training resource on the Région's schemes for EPCI: a document or an information session."""

    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    lien = models.URLField("lien vers le document", blank=True)
    session_le = models.DateTimeField("date de la session d'information", null=True, blank=True)
    lieu = models.CharField(max_length=200, blank=True)
    places = models.PositiveIntegerField(default=30)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["session_le", "titre"]

    def __str__(self) -> str:
        return self.titre


class Inscription(models.Model):
    ressource = models.ForeignKey(Ressource, on_delete=models.CASCADE, related_name="inscriptions")
    utilisateur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ressource", "utilisateur"], name="inscription_unique")]

    def __str__(self) -> str:
        return f"{self.utilisateur} – {self.ressource}"


class AccordDiffusionQuerySet(models.QuerySet):
    def en_vigueur(self, portee: str | None = None):
        qs = self.filter(retire_le__isnull=True)
        return qs.filter(portee=portee) if portee else qs


class AccordDiffusion(models.Model):
    """A company's consent to be named as helped by the Région, given and withdrawn by the
    administrator of its account (partenaires.services_diffusion); staff read it only."""

    class Portee(models.TextChoices):
        PARTENAIRES = "partenaires", "Auprès de l'EPCI de son territoire et des partenaires de la Région"
        PUBLIC = "public", "Sur les listes publiques des entreprises aidées par la Région"

    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="accords_diffusion")
    portee = models.CharField("portée", max_length=20, choices=Portee.choices, default=Portee.PARTENAIRES)
    accorde_le = models.DateTimeField("accord donné le", default=timezone.now)
    accorde_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="accord donné par",
    )
    retire_le = models.DateTimeField("accord retiré le", null=True, blank=True)
    retire_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="accord retiré par",
    )

    objects = AccordDiffusionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["entreprise", "portee"]
        verbose_name = "accord de l'entreprise pour être citée"
        verbose_name_plural = "accords des entreprises pour être citées"
        constraints = [
            models.UniqueConstraint(fields=["entreprise", "portee"], name="accord_diffusion_unique"),
            models.CheckConstraint(
                condition=Q(retire_le__isnull=True) | Q(retire_le__gte=models.F("accorde_le")),
                name="accord_diffusion_retrait_apres_accord",
            ),
        ]

    def __str__(self) -> str:
        return f"Accord de {self.entreprise} ({self.get_portee_display().lower()})"

    @property
    def en_vigueur(self) -> bool:
        return self.retire_le is None

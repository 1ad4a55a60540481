"""Company accounts: the members of a company (SIREN), their role in the account, their attachment
(verified or not) and, independently, their capacity to sign for the company.

A person may be a member of several companies (an accountant, a consultant, a group with several
SIREN); the company space works on one « current » company at a time (kept in the session).
Nothing of a company is visible through an attachment that is not verified (see aides/demandes/acces.py).
"""

import uuid
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


def chemin_justificatif(instance, nom: str) -> str:
    """The files' old names (now portal.Documents; kept for the migrations that name it)."""
    extension = PurePosixPath(nom).suffix.lower()[:8]
    return f"espace/justificatifs/{uuid.uuid4().hex}{extension}"


class MembreQuerySet(models.QuerySet):
    def verifies(self):
        return self.filter(statut=Membre.Statut.VERIFIE)

    def a_verifier(self):
        return self.filter(statut=Membre.Statut.A_VERIFIER)

    def actifs(self):
        """The attachments that open the company space (verified, or waiting for verification)."""
        return self.filter(statut__in=[Membre.Statut.VERIFIE, Membre.Statut.A_VERIFIER])

    def administrateurs(self):
        return self.verifies().filter(role=Membre.Role.ADMINISTRATEUR)


class Membre(models.Model):
    """A person attached to a company's account.

    `role` is what they do in the account; `statut` says whether the attachment is verified;
    `capacite` (with the delegation's document and dates) says whether they may sign for the
    company. `email_verifie_le` is set by the link sent at sign-up (or by an accepted invitation).
    """

    class Role(models.TextChoices):
        ADMINISTRATEUR = "administrateur", "Administrateur du compte"
        MEMBRE = "membre", "Membre"
        LECTEUR = "lecteur", "Lecteur"

    class Statut(models.TextChoices):
        A_VERIFIER = "a_verifier", "À vérifier"
        VERIFIE = "verifie", "Vérifié"
        REFUSE = "refuse", "Refusé"
        RETIRE = "retire", "Retiré du compte"

    class Capacite(models.TextChoices):
        AUCUNE = "", "Aucune"
        REPRESENTANT_LEGAL = "representant_legal", "Représentant légal"
        DELEGATAIRE = "delegataire", "Délégataire de signature"

    class Voie(models.TextChoices):
        INVITATION = "invitation", "Invitation d'un administrateur"
        ADMINISTRATEUR = "administrateur", "Accord d'un administrateur"
        AGENTS = "agents", "Validation par la Région"
        MIGRATION = "migration", "Compte existant avant les comptes à plusieurs membres"
        DEMO = "demo", "Démonstration"

    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adhesions", verbose_name="utilisateur"
    )
    entreprise = models.ForeignKey(
        "crm.Entreprise", on_delete=models.PROTECT, related_name="membres", verbose_name="entreprise"
    )
    etablissement = models.ForeignKey(
        "crm.Etablissement", on_delete=models.PROTECT, related_name="membres", verbose_name="établissement"
    )
    role = models.CharField("rôle dans le compte", max_length=20, choices=Role.choices, default=Role.MEMBRE)
    statut = models.CharField("rattachement", max_length=20, choices=Statut.choices, default=Statut.A_VERIFIER)
    justificatif = models.OneToOneField(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membre_justificatif",
        verbose_name="justificatif (Kbis, mandat)",
    )
    justificatif_nom = models.CharField("nom du justificatif", max_length=255, blank=True)
    message = models.TextField("message du demandeur", blank=True, max_length=2000)
    verifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verifie_le = models.DateTimeField("décidé le", null=True, blank=True)
    voie = models.CharField("vérifié par", max_length=20, choices=Voie.choices, blank=True)
    motif_refus = models.TextField("motif du refus", blank=True)
    capacite = models.CharField(
        "capacité de signature", max_length=20, choices=Capacite.choices, blank=True, default=Capacite.AUCUNE
    )
    delegation_de = models.CharField(
        "délégation donnée par", max_length=200, blank=True, help_text="Nom et qualité du délégant."
    )
    delegation_debut = models.DateField("délégation du", null=True, blank=True)
    delegation_fin = models.DateField("délégation au", null=True, blank=True)
    delegation_document = models.OneToOneField(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="membre_delegation",
        verbose_name="acte de délégation",
    )
    capacite_donnee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    capacite_le = models.DateTimeField("capacité enregistrée le", null=True, blank=True)
    email_verifie_le = models.DateTimeField("adresse vérifiée le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("demandé le", default=timezone.now)

    objects = MembreQuerySet.as_manager()

    class Meta:
        verbose_name = "membre d'un compte entreprise"
        verbose_name_plural = "membres des comptes entreprise"
        constraints = [
            models.UniqueConstraint(fields=["utilisateur", "entreprise"], name="membre_une_fois_par_entreprise"),
            models.CheckConstraint(
                condition=~Q(capacite="delegataire")
                | (Q(delegation_debut__isnull=False) & Q(delegation_fin__isnull=False) & ~Q(delegation_de="")),
                name="membre_delegation_complete",
            ),
            models.CheckConstraint(
                condition=Q(delegation_fin__isnull=True)
                | Q(delegation_debut__isnull=True)
                | Q(delegation_fin__gte=models.F("delegation_debut")),
                name="membre_delegation_dates",
            ),
            models.CheckConstraint(
                condition=~Q(statut="verifie") | Q(verifie_le__isnull=False), name="membre_verifie_date"
            ),
        ]
        indexes = [
            models.Index(fields=["cree_le"], name="membre_a_verifier", condition=Q(statut="a_verifier")),
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} pour {self.entreprise_id}"

    @property
    def email_verifie(self) -> bool:
        return self.email_verifie_le is not None

    @property
    def est_verifie(self) -> bool:
        return self.statut == self.Statut.VERIFIE

    @property
    def est_administrateur(self) -> bool:
        return self.est_verifie and self.role == self.Role.ADMINISTRATEUR

    @property
    def peut_deposer(self) -> bool:
        """A verified membre or administrateur; an unverified requester, for their own drafts only."""
        return self.statut == self.Statut.A_VERIFIER or (self.est_verifie and self.role != self.Role.LECTEUR)

    def capacite_valide(self, le: date | None = None) -> bool:
        """May sign for the company on that day: verified, and legal representative or delegate
        whose delegation covers the day."""
        if not self.est_verifie:
            return False
        if self.capacite == self.Capacite.REPRESENTANT_LEGAL:
            return True
        if self.capacite == self.Capacite.DELEGATAIRE:
            le = le or timezone.localdate()
            return bool(self.delegation_debut and self.delegation_fin) and (
                self.delegation_debut <= le <= self.delegation_fin
            )
        return False

    @property
    def qualite(self) -> str:
        """The capacity as the signature and the PDF state it."""
        if self.capacite == self.Capacite.REPRESENTANT_LEGAL:
            return "représentant légal"
        if self.capacite == self.Capacite.DELEGATAIRE and self.delegation_debut:
            return f"par délégation de {self.delegation_de} du {self.delegation_debut:%d/%m/%Y}"
        return ""


class Invitation(models.Model):
    """An invitation by a verified administrator: a link by email, single use, that expires."""

    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse invitée")
    role = models.CharField("rôle", max_length=20, choices=Membre.Role.choices, default=Membre.Role.MEMBRE)
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    jeton_sha256 = models.CharField(max_length=64, unique=True)
    expire_le = models.DateTimeField("expire le")
    utilisee_le = models.DateTimeField("acceptée le", null=True, blank=True)
    utilisee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    annulee_le = models.DateTimeField("annulée le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("envoyée le", default=timezone.now)

    class Meta:
        ordering = ["-cree_le"]
        verbose_name = "invitation à un compte entreprise"
        verbose_name_plural = "invitations aux comptes entreprise"

    def __str__(self) -> str:
        return f"{self.email} → {self.entreprise_id}"

    @property
    def en_attente(self) -> bool:
        return self.utilisee_le is None and self.annulee_le is None and self.expire_le > timezone.now()

"""The beneficiary's side of the money (issue 17): payment requests with their spending statement
and proofs, the final report, and the repayment schedule of repayable advances and loans.

A payment request (DemandeVersement) is prepared by the company, deposited, then checked by SAF;
an accepted request becomes a Versement (the existing ceiling guarantees apply: the trigger keeps the
convention's running total under its CHECK). Every state change goes through aides.conventions.services.paiement.
"""

import uuid
from datetime import date
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from aides.demandes.models.demande import montant as champ_montant

ZERO = Decimal("0")


def chemin_piece_paiement(instance, nom: str) -> str:
    """Where payment files were stored before portal.Document (named by the migrations that made them)."""
    extension = PurePosixPath(nom).suffix.lower()[:8]
    return f"paiements/{uuid.uuid4().hex}{extension}"


class DemandeVersement(models.Model):
    """A payment request of the company on one instalment of its convention's plan."""

    class Etat(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        DEPOSEE = "deposee", "Déposée, en vérification"
        COMPLEMENT = "complement", "Complément demandé"
        ACCEPTEE = "acceptee", "Acceptée, versement enregistré"
        REFUSEE = "refusee", "Refusée"

    EN_VERIFICATION = (Etat.DEPOSEE, Etat.COMPLEMENT)

    convention = models.ForeignKey(
        "aides.ConventionAide", on_delete=models.PROTECT, related_name="demandes_versement", verbose_name="convention"
    )
    # Index of the instalment in the convention's `echeancier` (0 = the first line).
    tranche = models.PositiveSmallIntegerField("tranche de l'échéancier")
    type = models.CharField(
        "type", max_length=10, choices=[("avance", "Avance"), ("acompte", "Acompte"), ("solde", "Solde")]
    )
    etat = models.CharField("état", max_length=12, choices=Etat.choices, default=Etat.BROUILLON)
    demandeur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    certifie = models.BooleanField("certifié sur l'honneur", default=False)
    certifie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    commentaire = models.TextField("commentaire de l'entreprise", blank=True, max_length=4000)
    # Computed by the service at deposit (never typed) and at the decision.
    montant_demande = champ_montant("montant demandé (€)", null=True, blank=True)
    depenses_declarees = champ_montant("dépenses déclarées HT (€)", null=True, blank=True)
    montant_retenu = champ_montant("montant retenu (€)", null=True, blank=True)
    depenses_retenues = champ_montant("dépenses retenues HT (€)", null=True, blank=True)
    versement = models.OneToOneField(
        "aides.Versement", on_delete=models.PROTECT, null=True, blank=True, related_name="demande_entreprise"
    )
    motif = models.TextField("motif (refus, complément, réfactions)", blank=True)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    modifie_le = models.DateTimeField("modifiée le", default=timezone.now)
    depose_le = models.DateTimeField("déposée le", null=True, blank=True)
    decide_le = models.DateTimeField("décidée le", null=True, blank=True)
    decide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "demande de versement"
        verbose_name_plural = "demandes de versement"
        indexes = [
            models.Index(fields=["depose_le"], name="dv_file_saf", condition=Q(etat__in=["deposee", "complement"])),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(etat="brouillon") | (Q(depose_le__isnull=False) & Q(certifie=True)),
                name="dv_deposee_certifiee",
            ),
            models.CheckConstraint(
                condition=~Q(etat="acceptee") | Q(versement__isnull=False), name="dv_acceptee_versement"
            ),
            # Two requests on one instalment may not be in progress together.
            models.UniqueConstraint(
                fields=["convention", "tranche"],
                condition=Q(etat__in=["brouillon", "deposee", "complement", "acceptee"]),
                name="dv_une_par_tranche",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} – {self.convention}"

    @property
    def libelle(self) -> str:
        """« demande d'avance », « demande d'acompte », « demande de solde »."""
        return {"avance": "demande d'avance", "acompte": "demande d'acompte"}.get(self.type, "demande de solde")

    @property
    def est_brouillon(self) -> bool:
        return self.etat == self.Etat.BROUILLON

    def age_jours(self, maintenant=None) -> int:
        return ((maintenant or timezone.now()) - (self.depose_le or self.cree_le)).days


class DepenseJustifiee(models.Model):
    """One line of the spending statement. Blank fields are allowed in a draft (nothing typed is
    lost); the deposit checks completeness, dates and amounts."""

    demande_versement = models.ForeignKey(DemandeVersement, on_delete=models.CASCADE, related_name="lignes")
    fournisseur = models.CharField("fournisseur", max_length=200, blank=True)
    numero_facture = models.CharField("n° de facture", max_length=100, blank=True)
    date_facture = models.DateField("date de la facture", null=True, blank=True)
    montant_ht = champ_montant("montant HT (€)", null=True, blank=True)
    montant_ttc = champ_montant("montant TTC (€)", null=True, blank=True)
    ligne_depense = models.ForeignKey(
        "aides.LigneDepense",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="depenses_justifiees",
        verbose_name="dépense prévue",
    )
    retenue = models.BooleanField("retenue", default=True)
    motif_rejet = models.CharField("motif du rejet", max_length=500, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "dépense justifiée"
        verbose_name_plural = "dépenses justifiées"
        constraints = [
            models.CheckConstraint(condition=Q(retenue=True) | ~Q(motif_rejet=""), name="depense_rejet_motive"),
        ]

    def __str__(self) -> str:
        return f"{self.fournisseur} {self.numero_facture}"


class EchangeVersement(models.Model):
    """A message on a payment request: SAF asks a complement, the company answers (with files)."""

    class Sens(models.TextChoices):
        SAF = "saf", "Service des aides (SAF)"
        ENTREPRISE = "entreprise", "Entreprise"

    demande_versement = models.ForeignKey(DemandeVersement, on_delete=models.CASCADE, related_name="echanges")
    sens = models.CharField(max_length=12, choices=Sens.choices)
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    texte = models.TextField("message", max_length=4000)
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["le", "pk"]
        verbose_name = "échange sur une demande de versement"

    def __str__(self) -> str:
        return f"{self.get_sens_display()} le {timezone.localtime(self.le):%d/%m/%Y}"


class PieceDemandeVersement(models.Model):
    """An invoice or proof of a payment request (checked by portal.verification.fichier_verifier)."""

    demande_versement = models.ForeignKey(DemandeVersement, on_delete=models.CASCADE, related_name="pieces")
    echange = models.ForeignKey(
        EchangeVersement, on_delete=models.CASCADE, null=True, blank=True, related_name="pieces"
    )
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="piece_demande_versement", verbose_name="document"
    )
    nom_original = models.CharField(max_length=200)
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cree_le", "pk"]
        verbose_name = "pièce d'une demande de versement"

    def __str__(self) -> str:
        return self.nom_original


class RapportFinal(models.Model):
    """The company's final report, required for the balance: realised indicators and publicity proof."""

    class Etat(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        DEPOSE = "depose", "Déposé"
        VALIDE = "valide", "Validé"
        A_CORRIGER = "a_corriger", "À corriger"

    convention = models.OneToOneField("aides.ConventionAide", on_delete=models.PROTECT, related_name="rapport_final")
    etat = models.CharField("état", max_length=12, choices=Etat.choices, default=Etat.BROUILLON)
    bilan = models.TextField("bilan de l'opération", blank=True, max_length=8000)
    preuve = models.OneToOneField(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rapport_final_preuve",
        verbose_name="preuve de publicité (photo, capture d'écran)",
    )
    preuve_nom = models.CharField(max_length=200, blank=True)
    depose_le = models.DateTimeField("déposé le", null=True, blank=True)
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    valide_le = models.DateTimeField("décidé le", null=True, blank=True)
    valide_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    motif = models.TextField("observations de la Région", blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        verbose_name = "rapport final"
        verbose_name_plural = "rapports finaux"
        constraints = [
            models.CheckConstraint(
                condition=Q(etat="brouillon") | Q(depose_le__isnull=False, preuve__isnull=False),
                name="rapport_depose_preuve",
            ),
        ]

    def __str__(self) -> str:
        return f"Rapport final {self.convention}"

    @property
    def depose(self) -> bool:
        return self.etat in (self.Etat.DEPOSE, self.Etat.VALIDE)


class IndicateurRealiseI17(models.Model):
    """A realised value of the final report, keyed by a FREE label for now.

    To connect at merge with i16's indicator types per dispositif (expected values at deposit):
    replace `libelle` by a foreign key to their indicator type and keep `valeur`."""

    rapport = models.ForeignKey(RapportFinal, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("indicateur", max_length=200)
    valeur = models.DecimalField("valeur réalisée", max_digits=14, decimal_places=2)
    unite = models.CharField("unité", max_length=30, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "indicateur réalisé (libellé libre, à relier aux indicateurs du dispositif)"
        constraints = [models.UniqueConstraint(fields=["rapport", "libelle"], name="indicateur_i17_unique")]

    def __str__(self) -> str:
        return f"{self.libelle} : {self.valeur}"


class EcheanceRemboursement(models.Model):
    """One instalment of the repayment of a repayable advance or a loan."""

    class Statut(models.TextChoices):
        A_VENIR = "a_venir", "À venir"
        ECHUE = "echue", "Échue"
        PAYEE = "payee", "Payée"
        EN_RETARD = "en_retard", "En retard"

    convention = models.ForeignKey(
        "aides.ConventionAide", on_delete=models.PROTECT, related_name="remboursements", verbose_name="convention"
    )
    numero = models.PositiveSmallIntegerField("n°")
    date_echeance = models.DateField("échéance")
    montant = champ_montant("montant dû (€)")
    paye_le = models.DateField("payée le", null=True, blank=True)
    montant_paye = champ_montant("montant payé (€)", default=ZERO)
    source = models.CharField("saisie", max_length=20, blank=True)  # "saisie" or "import"
    relance_avant_le = models.DateTimeField("rappel avant échéance envoyé le", null=True, blank=True)
    relance_apres_le = models.DateTimeField("relance après échéance envoyée le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["convention", "numero"]
        verbose_name = "échéance de remboursement"
        verbose_name_plural = "échéances de remboursement"
        constraints = [
            models.UniqueConstraint(fields=["convention", "numero"], name="echeance_remboursement_unique"),
            models.CheckConstraint(condition=Q(montant__gt=0), name="echeance_montant_positif"),
            models.CheckConstraint(condition=Q(montant_paye__gte=0), name="echeance_paye_positif"),
        ]
        indexes = [models.Index(fields=["date_echeance"], name="echeance_due", condition=Q(paye_le__isnull=True))]

    def __str__(self) -> str:
        return f"Échéance {self.numero} du {self.date_echeance:%d/%m/%Y}"

    def statut(self, aujourd_hui: date | None = None) -> str:
        """Payée once paid in full; échue from the due date, en retard after the grace period."""
        aujourd_hui = aujourd_hui or timezone.localdate()
        if self.paye_le and self.montant_paye >= self.montant:
            return self.Statut.PAYEE
        if aujourd_hui < self.date_echeance:
            return self.Statut.A_VENIR
        if (aujourd_hui - self.date_echeance).days > settings.REMBOURSEMENT_JOURS_GRACE:
            return self.Statut.EN_RETARD
        return self.Statut.ECHUE

    def statut_libelle(self, aujourd_hui: date | None = None) -> str:
        return self.Statut(self.statut(aujourd_hui)).label

    @property
    def reste_du(self) -> Decimal:
        return max(self.montant - self.montant_paye, ZERO)

"""Payments of an aid convention (the SAF's instalments) and their proofs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from aides.conventions.models.convention import ConventionAide
from aides.demandes.models.demande import montant as champ_montant


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
    document = models.OneToOneField(
        "portal.Document", on_delete=models.CASCADE, related_name="piece_versement", verbose_name="document"
    )
    nom_original = models.CharField(max_length=200)
    depose_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.nom_original

"""FEDER (ERDF) co-financing of aid conventions: operations, claims to the managing authority,
controls and publicity proofs."""

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from aides.conventions.models.convention import ConventionAide
from aides.demandes.models.demande import montant as champ_montant

# Costs above this, for infrastructure or construction, call for a permanent plaque or billboard.
SEUIL_PLAQUE_FEDER = Decimal("500000")


class ObjectifSpecifique(models.TextChoices):
    """Specific objectives of the FEDER programme 2021-2027 relevant to companies (regulation 2021/1058)."""

    OS_1_1 = "1.1", "OS 1.1 – Recherche, innovation et technologies de pointe"
    OS_1_2 = "1.2", "OS 1.2 – Numérisation au bénéfice des entreprises"
    OS_1_3 = "1.3", "OS 1.3 – Croissance et compétitivité des PME"
    OS_1_4 = "1.4", "OS 1.4 – Compétences pour la spécialisation intelligente"
    OS_2_1 = "2.1", "OS 2.1 – Efficacité énergétique"
    OS_2_6 = "2.6", "OS 2.6 – Économie circulaire"


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
    document = models.OneToOneField(
        "portal.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="preuve_publicite_feder",
        verbose_name="fichier",
    )
    description = models.CharField(max_length=200, blank=True)
    le = models.DateField(default=timezone.localdate)

    class Meta:
        verbose_name = "preuve de publicité FEDER"
        verbose_name_plural = "preuves de publicité FEDER"

    def __str__(self) -> str:
        return self.get_type_display()

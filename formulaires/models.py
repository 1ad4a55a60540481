"""A form built by staff without code: a draft (sections and fields, editable) and its published
versions (a frozen JSON schema each). A published version is never edited: publishing a change
creates the next version, and whatever was started with an older version keeps it.

This app knows nothing of aids or applications: the host app points at a `Version` and keeps the
answers (see `formulaires.moteur`)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class TypeChamp(models.TextChoices):
    TEXTE = "texte", "Texte court"
    TEXTE_LONG = "texte_long", "Texte long"
    NOMBRE = "nombre", "Nombre"
    MONTANT = "montant", "Montant (€)"
    DATE = "date", "Date"
    OUI_NON = "oui_non", "Oui / non"
    CHOIX = "choix", "Choix (une réponse)"
    CHOIX_MULTIPLE = "choix_multiple", "Choix multiple"
    SIRET = "siret", "SIRET"
    COMMUNE = "commune", "Commune"
    FICHIER = "fichier", "Fichier"
    BLOC = "bloc", "Bloc répété (lignes de dépenses, partenaires…)"


class Preremplissage(models.TextChoices):
    """Company data the host app knows (SIRENE / CRM) and puts in a question as its first value."""

    AUCUN = "", "Rien"
    RAISON_SOCIALE = "raison_sociale", "Raison sociale"
    SIRET = "siret", "SIRET de l'établissement"
    ADRESSE = "adresse", "Adresse de l'établissement"
    COMMUNE = "commune", "Commune de l'établissement"
    NAF = "naf", "Code NAF"
    FORME_JURIDIQUE = "forme_juridique", "Forme juridique"
    TRANCHE_EFFECTIF = "tranche_effectif", "Tranche d'effectif"


class DocumentCoffre(models.TextChoices):
    """Company documents kept once in the company's account and reused (a file question)."""

    AUCUN = "", "Aucun (fichier propre à la demande)"
    KBIS = "kbis", "Extrait Kbis"
    RIB = "rib", "RIB"
    STATUTS = "statuts", "Statuts"
    ATTESTATION_FISCALE = "attestation_fiscale", "Attestation de régularité fiscale"
    ATTESTATION_SOCIALE = "attestation_sociale", "Attestation de vigilance URSSAF"


TYPES_A_OPTIONS = {TypeChamp.CHOIX, TypeChamp.CHOIX_MULTIPLE}
TYPES_CONDITION = {TypeChamp.OUI_NON, TypeChamp.CHOIX, TypeChamp.CHOIX_MULTIPLE}
# Inside a repeated block: one line of simple answers (no file, no block in a block).
TYPES_SOUS_CHAMP = [t for t in TypeChamp if t not in (TypeChamp.FICHIER, TypeChamp.BLOC)]


class Formulaire(models.Model):
    nom = models.CharField("nom", max_length=200)
    description = models.TextField("description (pour les agents)", blank=True)
    code = models.SlugField("code technique", max_length=50, unique=True, null=True, blank=True, editable=False)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    modifie_le = models.DateTimeField("brouillon modifié le", default=timezone.now)

    class Meta:
        verbose_name = "formulaire"
        verbose_name_plural = "formulaires"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom

    def version_courante(self) -> "Version | None":
        return self.versions.order_by("-numero").first()


class Section(models.Model):
    """A section of the draft. `condition_*`: shown only when an earlier answer has this value."""

    formulaire = models.ForeignKey(Formulaire, on_delete=models.CASCADE, related_name="sections")
    ordre = models.PositiveIntegerField("ordre", default=0)
    titre = models.CharField("titre", max_length=200)
    aide = models.TextField("texte d'aide", blank=True)
    eligibilite = models.BooleanField(
        "questions d'éligibilité",
        default=False,
        help_text="Posées avant le reste du formulaire ; une réponse bloquante arrête la demande avec son motif.",
    )
    condition_champ = models.CharField("afficher si la question (code)", max_length=50, blank=True)
    condition_valeur = models.CharField("a pour réponse", max_length=200, blank=True)

    class Meta:
        verbose_name = "section"
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.titre


class Champ(models.Model):
    """A question of the draft; `parent` set: a column of a repeated block."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="champs")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="sous_champs")
    ordre = models.PositiveIntegerField("ordre", default=0)
    code = models.SlugField("code", max_length=50)
    libelle = models.CharField("libellé", max_length=300)
    type = models.CharField("type", max_length=20, choices=TypeChamp.choices, default=TypeChamp.TEXTE)
    aide = models.TextField("texte d'aide", blank=True)
    requis = models.BooleanField("obligatoire", default=False)
    options = models.JSONField("choix possibles", default=list, blank=True)
    minimum = models.DecimalField("minimum", max_digits=14, decimal_places=2, null=True, blank=True)
    maximum = models.DecimalField("maximum", max_digits=14, decimal_places=2, null=True, blank=True)
    date_min = models.CharField(
        "date au plus tôt", max_length=50, blank=True, help_text="AAAA-MM-JJ, « aujourdhui » ou le code d'une date."
    )
    date_max = models.CharField("date au plus tard", max_length=50, blank=True)
    valeurs_bloquantes = models.JSONField("réponses qui arrêtent la demande", default=list, blank=True)
    motif_blocage = models.CharField("motif montré quand la demande est arrêtée", max_length=500, blank=True)
    # For the host app: where the answer goes (a column of its own), what prefills it, which
    # document of the company's safe a file question reuses.
    cible = models.CharField("enregistré dans", max_length=50, blank=True, editable=False)
    preremplir = models.CharField("prérempli avec", max_length=50, blank=True, choices=Preremplissage.choices)
    coffre = models.CharField("document du coffre", max_length=50, blank=True, choices=DocumentCoffre.choices)

    class Meta:
        verbose_name = "question"
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.libelle


class VersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("Une version publiée d'un formulaire ne se modifie pas : publiez-en une nouvelle.")


class Version(models.Model):
    """A published version: the frozen schema that applications started with it keep."""

    formulaire = models.ForeignKey(Formulaire, on_delete=models.PROTECT, related_name="versions")
    numero = models.PositiveIntegerField("version")
    schema = models.JSONField("schéma")
    publiee_le = models.DateTimeField("publiée le", default=timezone.now)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version publiée"
        verbose_name_plural = "versions publiées"
        ordering = ["formulaire", "-numero"]
        constraints = [models.UniqueConstraint(fields=["formulaire", "numero"], name="version_unique_par_formulaire")]

    def __str__(self) -> str:
        return f"{self.formulaire} — version {self.numero}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Une version publiée d'un formulaire ne se modifie pas : publiez-en une nouvelle.")
        super().save(*args, **kwargs)

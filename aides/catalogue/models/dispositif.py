import re

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from aides.catalogue.referentiels import Nature, Operateur, Public, RegimeAide, Stade, Thematique
from territoires.models import EPCI

CONFIG_RECHERCHE = "french_unaccent"  # created by portal's first migration

# The placeholders a decision letter's Markdown may use (filled by aides.demandes.lettres).
CHAMPS_LETTRE = ("entreprise", "montant", "dispositif", "date_decision", "motif", "numero", "deliberation")
LISTE_CHAMPS_LETTRE = ", ".join("{" + champ + "}" for champ in CHAMPS_LETTRE)


def valider_modele_lettre(texte: str) -> None:
    """Refuse a letter template naming a placeholder that does not exist (it would be printed as is)."""
    inconnus = sorted(set(re.findall(r"\{(\w+)\}", texte or "")) - set(CHAMPS_LETTRE))
    if inconnus:
        raise ValidationError(
            "Champ inconnu : %(champs)s. Champs possibles : %(possibles)s.",
            params={
                "champs": ", ".join("{" + nom + "}" for nom in inconnus),
                "possibles": LISTE_CHAMPS_LETTRE,
            },
        )


def liste_de(choix: type[models.TextChoices], verbose_name: str) -> ArrayField:
    return ArrayField(
        models.CharField(max_length=30, choices=choix.choices), verbose_name=verbose_name, default=list, blank=True
    )


def bornes_ordonnees(minimum: str, maximum: str, *, name: str, message: str) -> models.CheckConstraint:
    """A range given by two optional fields: when both are filled, the minimum does not exceed the
    maximum (the error goes on the maximum's field)."""
    return models.CheckConstraint(
        condition=Q(**{f"{minimum}__isnull": True})
        | Q(**{f"{maximum}__isnull": True})
        | Q(**{f"{minimum}__lte": models.F(maximum)}),
        name=name,
        violation_error_message=message,
        violation_error_code=maximum,
    )


def condition_couverture(lieu) -> Q:
    """Region-wide aids, and aids limited to the place's département(s) or EPCI; nothing limited elsewhere.

    `lieu` is a commune (its département and EPCI) or an EPCI (the départements it lies in and itself):
    the one rule for every page that asks « which aids cover here » (catalogue, parcours' commune,
    an EPCI's public page). Written with EXISTS so that it neither duplicates rows nor needs DISTINCT
    (which would break ranking and counting).
    """
    if isinstance(lieu, EPCI):
        departements = Dispositif.departements.through.objects.filter(
            dispositif_id=OuterRef("pk"), departement_id__in=lieu.departements.values("pk")
        )
        epci_id = lieu.pk
    else:
        departements = Dispositif.departements.through.objects.filter(
            dispositif_id=OuterRef("pk"), departement_id=lieu.departement_id
        )
        epci_id = lieu.epci_id
    epcis = Dispositif.epcis.through.objects.filter(dispositif_id=OuterRef("pk"), epci_id=epci_id)
    return Q(couvre_region=True) | Exists(departements) | Exists(epcis)


class DispositifQuerySet(models.QuerySet):
    def publies(self):
        return self.filter(statut=Dispositif.Statut.PUBLIE)

    def ouverts(self, le=None):
        """Open on that day: opened (or no opening date) and not closed (or no closing date)."""
        jour = le or timezone.localdate()
        return self.filter(Q(date_ouverture__isnull=True) | Q(date_ouverture__lte=jour)).filter(
            Q(date_cloture__isnull=True) | Q(date_cloture__gte=jour)
        )

    def deposables_sur_portail(self):
        """Aids applied for on the portal (not on a partner operator's site)."""
        return self.filter(modalite_depot=Dispositif.ModaliteDepot.PORTAIL)

    def couvrant(self, lieu):
        """Aids covering a commune or an EPCI: region-wide, or its département(s), or the EPCI."""
        return self.filter(condition_couverture(lieu))


class Dispositif(models.Model):
    """An aid scheme of the Région's catalogue."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        PUBLIE = "publie", "Publié"
        ARCHIVE = "archive", "Archivé"

    class ModaliteDepot(models.TextChoices):
        # A partner-run aid (Bpifrance, Réseau Entreprendre, ADIE…) is applied for on the operator's site.
        PORTAIL = "portail", "Sur le portail de la Région"
        EXTERNE = "externe", "Sur le site de l'opérateur"

    nom = models.CharField("nom", max_length=200)
    slug = models.SlugField("adresse", max_length=220, unique=True)
    resume = models.CharField("résumé", max_length=400)
    description = models.TextField("description (Markdown)", blank=True)

    thematiques = liste_de(Thematique, "thématiques")
    nature = models.CharField("nature de l'aide", max_length=30, choices=Nature.choices)
    publics = liste_de(Public, "publics")
    stades = liste_de(Stade, "stades de l'entreprise")
    effectif_min = models.PositiveIntegerField("effectif minimum", null=True, blank=True)
    effectif_max = models.PositiveIntegerField("effectif maximum", null=True, blank=True)
    naf_inclus = ArrayField(
        models.CharField(max_length=6),
        verbose_name="secteurs NAF éligibles",
        default=list,
        blank=True,
        help_text="Sections (C), divisions (10) ou codes (10.71C). Vide : tous les secteurs.",
    )
    naf_exclus = ArrayField(
        models.CharField(max_length=6), verbose_name="secteurs NAF exclus", default=list, blank=True
    )

    couvre_region = models.BooleanField("toute la région", default=True)
    departements = models.ManyToManyField(
        "territoires.Departement", verbose_name="départements couverts", blank=True, related_name="dispositifs"
    )
    epcis = models.ManyToManyField(
        "territoires.EPCI", verbose_name="EPCI couverts", blank=True, related_name="dispositifs"
    )
    # The EPCI conventions that cover this dispositif (declared here: territoires imports no other app).
    conventions_territoriales = models.ManyToManyField(
        "territoires.ConventionTerritoriale",
        verbose_name="conventions EPCI qui le couvrent",
        blank=True,
        related_name="dispositifs",
    )

    direction = models.ForeignKey(
        "portal.Direction", verbose_name="direction pilote", on_delete=models.PROTECT, related_name="dispositifs"
    )
    operateur = models.CharField("opérateur", max_length=20, choices=Operateur.choices, default=Operateur.REGION)
    operateur_nom = models.CharField("nom de l'opérateur partenaire", max_length=200, blank=True)

    montant_min = models.DecimalField("montant minimum (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    montant_max = models.DecimalField("montant maximum (€)", max_digits=12, decimal_places=2, null=True, blank=True)
    taux_max = models.DecimalField("taux maximum (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    regime = models.CharField(
        "régime d'aide d'État", max_length=20, choices=RegimeAide.choices, default=RegimeAide.AUCUN
    )
    regime_reference = models.CharField("référence du régime", max_length=200, blank=True)
    eligible_feder = models.BooleanField("éligible au FEDER", default=False)

    date_ouverture = models.DateField("ouverture", null=True, blank=True)
    date_cloture = models.DateField("clôture", null=True, blank=True)
    modalite_depot = models.CharField(
        "où déposer la demande", max_length=10, choices=ModaliteDepot.choices, default=ModaliteDepot.PORTAIL
    )
    url_depot_externe = models.URLField("adresse du dépôt chez l'opérateur", max_length=500, blank=True)
    documents_requis = ArrayField(
        models.CharField(max_length=200), verbose_name="pièces à fournir", default=list, blank=True
    )
    contact_nom = models.CharField("contact", max_length=200, blank=True)
    contact_email = models.EmailField("courriel du contact", blank=True)
    contact_telephone = models.CharField("téléphone du contact", max_length=30, blank=True)

    # Pilotage: the instruction delay aimed at (deposit → decision) and the impact indicators tracked.
    delai_instruction_cible_jours = models.PositiveSmallIntegerField(
        "délai d'instruction cible (jours)",
        default=60,
        help_text="Du dépôt à la décision. Le tableau de bord signale les dossiers qui le dépassent.",
    )
    # Decision letters: empty, the portal's default letter; else Markdown with {placeholders}.
    lettre_accord_modele = models.TextField(
        "modèle de lettre d'accord",
        blank=True,
        validators=[valider_modele_lettre],
        help_text="Markdown. Vide : la lettre par défaut. Champs : " + LISTE_CHAMPS_LETTRE,
    )
    lettre_refus_modele = models.TextField(
        "modèle de lettre de refus",
        blank=True,
        validators=[valider_modele_lettre],
        help_text="Markdown. Vide : la lettre par défaut. Champs : " + LISTE_CHAMPS_LETTRE,
    )
    indicateurs = models.ManyToManyField(
        "aides.TypeIndicateur",
        verbose_name="indicateurs d'impact suivis",
        blank=True,
        related_name="dispositifs",
    )

    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    # An aid imported from another catalogue (« aides-territoires ») and its id there; empty: ours.
    source = models.CharField("source", max_length=50, blank=True)
    source_id = models.CharField("identifiant dans la source", max_length=100, blank=True)
    # The application form (formulaires): none chosen or never published, the default form.
    formulaire = models.ForeignKey(
        "formulaires.Formulaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispositifs",
        verbose_name="formulaire de demande",
        help_text="Vide : le formulaire par défaut. Les formulaires se construisent dans « Formulaires de demande ».",
    )
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    publie_le = models.DateTimeField("publié le", null=True, blank=True)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    # Kept by PostgreSQL itself from the text columns: it can never go stale.
    recherche = models.GeneratedField(
        expression=SearchVector("nom", weight="A", config=CONFIG_RECHERCHE)
        + SearchVector("resume", weight="B", config=CONFIG_RECHERCHE)
        + SearchVector("description", weight="C", config=CONFIG_RECHERCHE),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    historique = HistoricalRecords(excluded_fields=["recherche", "modifie_le"], m2m_fields=[departements, epcis])
    objects = DispositifQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [
            GinIndex(fields=["recherche"], name="dispositif_recherche"),
            GinIndex(fields=["thematiques"], name="dispositif_thematiques"),
            models.Index(fields=["date_cloture"], name="dispositif_publie_cloture", condition=Q(statut="publie")),
            # The catalogue's default order (by name) without a sort of every published row.
            models.Index(fields=["nom", "id"], name="dispositif_publie_nom", condition=Q(statut="publie")),
        ]
        constraints = [
            bornes_ordonnees(
                "montant_min",
                "montant_max",
                name="dispositif_montants_ordonnes",
                message="Le montant maximum doit être supérieur ou égal au montant minimum.",
            ),
            bornes_ordonnees(
                "effectif_min",
                "effectif_max",
                name="dispositif_effectifs_ordonnes",
                message="L'effectif maximum doit être supérieur ou égal à l'effectif minimum.",
            ),
            models.CheckConstraint(
                condition=Q(taux_max__isnull=True) | Q(taux_max__gte=0, taux_max__lte=100),
                name="dispositif_taux_borne",
                violation_error_message="Le taux maximum est un pourcentage entre 0 et 100.",
                violation_error_code="taux_max",
            ),
            models.CheckConstraint(
                condition=Q(date_ouverture__isnull=True)
                | Q(date_cloture__isnull=True)
                | Q(date_cloture__gte=models.F("date_ouverture")),
                name="dispositif_dates_ordonnees",
                violation_error_message="La date de clôture ne peut pas précéder la date d'ouverture.",
                violation_error_code="date_cloture",
            ),
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source=""), name="dispositif_source_unique"
            ),
            models.CheckConstraint(
                condition=~Q(modalite_depot="externe") | ~Q(url_depot_externe=""),
                name="dispositif_depot_externe_url",
                violation_error_message=(
                    "Indiquez l'adresse où déposer la demande chez l'opérateur (dépôt sur son site)."
                ),
                violation_error_code="url_depot_externe",
            ),
            # Whatever writes the row (services, admin, scripts): a published dispositif is dated and
            # has at least one theme (the other rules of completeness need the M2M: see services).
            models.CheckConstraint(
                condition=~Q(statut="publie") | Q(publie_le__isnull=False),
                name="dispositif_publie_date",
                violation_error_message="Un dispositif publié doit avoir une date de publication.",
            ),
            models.CheckConstraint(
                condition=~Q(statut="publie") | ~Q(thematiques=[]),
                name="dispositif_publie_thematique",
                violation_error_message="Un dispositif publié doit avoir au moins une thématique.",
            ),
        ]

    def __str__(self) -> str:
        return self.nom

    def validate_constraints(self, exclude=None) -> None:
        """The coherence rules are the CHECK constraints above, each with its French message; a
        constraint whose `violation_error_code` names a field puts its message next to that field
        (forms, admin and services all read them from here)."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as erreur:
            champs = {champ.name for champ in self._meta.fields}
            erreurs: dict[str, list[ValidationError]] = {}
            for cle, liste in erreur.error_dict.items():
                for e in liste:
                    champ = e.code if cle == NON_FIELD_ERRORS and e.code in champs else cle
                    erreurs.setdefault(champ, []).append(e)
            raise ValidationError(erreurs) from erreur

    @property
    def depot_externe(self) -> bool:
        return self.modalite_depot == self.ModaliteDepot.EXTERNE

    def est_ouvert(self, le=None) -> bool:
        jour = le or timezone.localdate()
        return (self.date_ouverture is None or self.date_ouverture <= jour) and (
            self.date_cloture is None or self.date_cloture >= jour
        )

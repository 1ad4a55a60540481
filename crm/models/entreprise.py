from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from crm.referentiels import (
    TrancheEffectifs,
    naf_libelle,
    valider_naf,
    valider_sans_balise,
    valider_siren,
    valider_siret,
)


class EntrepriseQuerySet(models.QuerySet):
    def accompagnees_par(self, direction):
        return self.filter(Exists(Accompagnement.objects.filter(entreprise=OuterRef("pk"), direction=direction)))


class Entreprise(models.Model):
    """A legal unit (unité légale SIRENE), identified by its SIREN."""

    class Etat(models.TextChoices):
        ACTIVE = "A", "Active"
        CESSEE = "C", "Cessée"

    siren = models.CharField("SIREN", max_length=9, unique=True, validators=[valider_siren])
    denomination = models.CharField("dénomination", max_length=250, validators=[valider_sans_balise])
    sigle = models.CharField("sigle", max_length=50, blank=True, validators=[valider_sans_balise])
    categorie_juridique = models.CharField(
        "forme juridique (code INSEE)", max_length=4, blank=True, help_text="Code à 4 chiffres, par ex. 5710 (SAS)."
    )
    naf = models.CharField("code NAF", max_length=6, blank=True, validators=[valider_naf], help_text="Ex. : 62.01Z")
    tranche_effectifs = models.CharField(
        "tranche d'effectifs", max_length=2, choices=TrancheEffectifs.choices, blank=True
    )
    categorie_entreprise = models.CharField("catégorie (PME, ETI, GE)", max_length=3, blank=True)
    date_creation = models.DateField("date de création", null=True, blank=True)
    etat = models.CharField("état", max_length=1, choices=Etat.choices, default=Etat.ACTIVE)
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent (chef de file)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entreprises_referent",
        limit_choices_to={"is_staff": True},
    )
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    objects = EntrepriseQuerySet.as_manager()

    class Meta:
        ordering = ["denomination"]
        verbose_name = "entreprise"

    def __str__(self) -> str:
        return f"{self.denomination} ({self.siren})"

    def get_absolute_url(self) -> str:

        return reverse("crm_agents:entreprise", args=[self.siren])

    @property
    def naf_libelle(self) -> str:
        return naf_libelle(self.naf)


class EtablissementQuerySet(models.QuerySet):
    def avec_territoire(self):
        return self.select_related("entreprise", "commune__epci", "commune__departement")


class Etablissement(models.Model):
    """An establishment (SIRET) of a company, located in a commune of the region."""

    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[valider_siret])
    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="etablissements")
    enseigne = models.CharField("enseigne", max_length=250, blank=True, validators=[valider_sans_balise])
    adresse = models.CharField("adresse", max_length=300, blank=True, validators=[valider_sans_balise])
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, related_name="etablissements", null=True, blank=True
    )
    siege = models.BooleanField("siège social", default=False)
    actif = models.BooleanField("actif", default=True, help_text="Décoché : établissement fermé.")
    naf = models.CharField("code NAF", max_length=6, blank=True, validators=[valider_naf])
    tranche_effectifs = models.CharField(
        "tranche d'effectifs", max_length=2, choices=TrancheEffectifs.choices, blank=True
    )
    date_creation = models.DateField("date de création", null=True, blank=True)
    # Company name, acronym and sign without accents or punctuation, for trigram search. Written in
    # SQL by crm_normaliser() (import and services) so the query side normalises the same way.
    nom_recherche = models.TextField(editable=False, blank=True, default="")
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créé le", default=timezone.now)
    modifie_le = models.DateTimeField("modifié le", auto_now=True)

    objects = EtablissementQuerySet.as_manager()

    class Meta:
        ordering = ["nom_recherche", "siret"]
        verbose_name = "établissement"
        indexes = [
            GinIndex(name="crm_etab_nom_trgm", fields=["nom_recherche"], opclasses=["gin_trgm_ops"]),
            models.Index(name="crm_etab_siret_prefixe", fields=["siret"], opclasses=["varchar_pattern_ops"]),
            models.Index(name="crm_etab_naf", fields=["naf"], opclasses=["varchar_pattern_ops"]),
            models.Index(name="crm_etab_tri", fields=["nom_recherche", "siret"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(siret__regex=r"^[0-9]{14}$"), name="crm_etablissement_siret_14_chiffres"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nom} – {self.siret}"

    @property
    def nom(self) -> str:
        return self.enseigne or self.entreprise.denomination

    @property
    def naf_libelle(self) -> str:
        return naf_libelle(self.naf)


class Accompagnement(models.Model):
    """Which direction already worked with which company, and when last (kept by the services).

    Denormalised on purpose: the search filter « accompagnée par ma direction / une autre / jamais »
    and the badges read it without walking every interaction.
    """

    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="accompagnements")
    direction = models.ForeignKey("portal.Direction", on_delete=models.CASCADE, related_name="+")
    dernier_le = models.DateField("dernier contact le")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entreprise", "direction"], name="crm_accompagnement_unique")]

    def __str__(self) -> str:
        return f"{self.entreprise_id} × {self.direction_id}"


class ChangementReferent(models.Model):
    """Trace of every change of référent (chef de file)."""

    entreprise = models.ForeignKey(Entreprise, on_delete=models.CASCADE, related_name="changements_referent")
    ancien = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nouveau = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    motif = models.CharField("motif", max_length=300, blank=True)
    le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-le"]

    def __str__(self) -> str:
        return f"Référent de {self.entreprise_id} changé le {self.le:%d/%m/%Y}"

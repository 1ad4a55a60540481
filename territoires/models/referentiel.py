from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Func

from territoires.normalisation import normaliser


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


class Departement(models.Model):
    code = models.CharField("code", max_length=3, primary_key=True)
    nom = models.CharField("nom", max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = "département"

    def __str__(self) -> str:
        return f"{self.nom} ({self.code})"


class EPCI(models.Model):
    """An intercommunalité (CC, CA, CU or métropole), identified by its SIREN."""

    class Type(models.TextChoices):
        CC = "CC", "Communauté de communes"
        CA = "CA", "Communauté d'agglomération"
        CU = "CU", "Communauté urbaine"
        ME = "ME", "Métropole"

    siren = models.CharField("SIREN", max_length=9, unique=True)
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("nature juridique", max_length=2, choices=Type.choices)
    departements = models.ManyToManyField(Departement, verbose_name="départements", related_name="epcis")
    population = models.PositiveIntegerField("population municipale", default=0)
    nb_communes = models.PositiveIntegerField("nombre de communes", default=0)
    # Outline, GeoJSON geometry in WGS84 (lon/lat), simplified: enough for the server-drawn maps.
    contour = models.JSONField("contour", null=True, blank=True)

    class Meta:
        ordering = ["nom"]
        verbose_name = "EPCI"
        verbose_name_plural = "EPCI"

    def __str__(self) -> str:
        return self.nom


class CommuneQuerySet(models.QuerySet):
    def avec_territoire(self):
        return self.select_related("departement", "epci")


class Commune(models.Model):
    code_insee = models.CharField("code INSEE", max_length=5, unique=True)
    nom = models.CharField("nom", max_length=200)
    # The name without accents, hyphens, apostrophes or case, for search ("saint quentin").
    nom_recherche = models.CharField(max_length=200, editable=False)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(EPCI, on_delete=models.PROTECT, related_name="communes")
    population = models.PositiveIntegerField("population municipale", default=0)
    codes_postaux = models.CharField("codes postaux", max_length=100, help_text="Séparés par des espaces.")

    objects = CommuneQuerySet.as_manager()

    class Meta:
        ordering = ["nom"]
        indexes = [
            GinIndex(name="commune_nom_trgm", fields=["nom_recherche"], opclasses=["gin_trgm_ops"]),
            GinIndex(name="commune_cp_trgm", fields=["codes_postaux"], opclasses=["gin_trgm_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.nom} ({self.code_insee})"

    def save(self, *args, **kwargs):
        self.nom_recherche = normaliser(self.nom)
        super().save(*args, **kwargs)

    @property
    def liste_codes_postaux(self) -> list[str]:
        return self.codes_postaux.split()


class AffectationQuerySet(models.QuerySet):
    def pour(self, *, epci: EPCI, direction=None):
        qs = self.filter(epci=epci, agent__is_active=True)
        return qs.filter(direction=direction) if direction is not None else qs


class Affectation(models.Model):
    """Who does what on a territory: a staff member, an EPCI, a direction.

    Incoming requests for a commune go to the agents assigned to its EPCI for the relevant direction.
    """

    agent = models.ForeignKey(
        "portal.User", on_delete=models.CASCADE, related_name="affectations", limit_choices_to={"is_staff": True}
    )
    epci = models.ForeignKey(EPCI, on_delete=models.CASCADE, related_name="affectations")
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="affectations")
    mission = models.CharField("mission sur ce territoire", max_length=200, blank=True)

    objects = AffectationQuerySet.as_manager()

    class Meta:
        verbose_name = "affectation territoriale"
        constraints = [
            models.UniqueConstraint(fields=["agent", "epci", "direction"], name="affectation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agent} – {self.epci} ({self.direction.code})"

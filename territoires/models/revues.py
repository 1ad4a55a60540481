from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from territoires.models.referentiel import EPCI

# A review is held every 6 to 8 weeks per territory: the next one is suggested in that window.
SEMAINES_PROCHAINE_REVUE_MIN = 6


SEMAINES_PROCHAINE_REVUE = 7


SEMAINES_PROCHAINE_REVUE_MAX = 8


class RevueDeProjetsQuerySet(models.QuerySet):
    def planifiees(self):
        return self.filter(statut=RevueDeProjets.Statut.PLANIFIEE)

    def a_venir(self, le: date | None = None):
        return self.planifiees().filter(date__gte=le or timezone.localdate())

    def passees(self, le: date | None = None):
        return self.filter(date__lt=le or timezone.localdate())


class RevueDeProjets(models.Model):
    """A project review: a meeting with one or several EPCI and partners, every 6–8 weeks.

    Its agenda (companies, minutes, decisions) belongs to the CRM, which adds it to the review page
    through `territoires.extensions` (PAGE_REVUE): territoires knows nothing of companies.
    """

    class Statut(models.TextChoices):
        PLANIFIEE = "planifiee", "Planifiée"
        TENUE = "tenue", "Tenue"

    date = models.DateField("date")
    heure = models.TimeField("heure", null=True, blank=True)
    lieu = models.CharField("lieu", max_length=200, help_text="Adresse, salle ou « visioconférence ».")
    epcis = models.ManyToManyField(EPCI, verbose_name="EPCI concernés", related_name="revues")
    participants_internes = models.ManyToManyField(
        "portal.User",
        verbose_name="participants de la Région",
        related_name="revues_projets",
        blank=True,
        limit_choices_to={"is_staff": True},
    )
    participants_partenaires = models.TextField(
        "participants partenaires",
        blank=True,
        help_text="Un participant par ligne, avec sa structure : « Marie Durand, CCI Amiens-Picardie ».",
    )
    statut = models.CharField("statut", max_length=20, choices=Statut.choices, default=Statut.PLANIFIEE)
    rappel_envoye_le = models.DateTimeField("rappel envoyé le", null=True, blank=True, editable=False)
    creee_par = models.ForeignKey(
        "portal.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="créée par"
    )
    cree_le = models.DateTimeField("créée le", default=timezone.now, editable=False)
    demo = models.BooleanField("donnée de démonstration", default=False)

    objects = RevueDeProjetsQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-heure", "-pk"]
        verbose_name = "revue de projets"
        verbose_name_plural = "revues de projets"
        indexes = [models.Index(fields=["statut", "date"], name="revue_statut_date")]

    def __str__(self) -> str:
        return f"Revue de projets du {self.date:%d/%m/%Y}"

    def clean(self) -> None:
        if self.statut == self.Statut.TENUE and self.date and self.date > timezone.localdate():
            raise ValidationError(
                {
                    "statut": f"La revue du {self.date:%d/%m/%Y} ne peut pas être déclarée tenue avant le "
                    f"{self.date:%d/%m/%Y}."
                }
            )

    @property
    def prochaine_date_suggeree(self) -> date:
        return self.date + timedelta(weeks=SEMAINES_PROCHAINE_REVUE)

    @property
    def prochaine_fenetre(self) -> tuple[date, date]:
        """The 6–8 weeks window after this review in which the next one should be held."""
        return (
            self.date + timedelta(weeks=SEMAINES_PROCHAINE_REVUE_MIN),
            self.date + timedelta(weeks=SEMAINES_PROCHAINE_REVUE_MAX),
        )

    @property
    def liste_partenaires(self) -> list[str]:
        return [ligne.strip() for ligne in self.participants_partenaires.splitlines() if ligne.strip()]

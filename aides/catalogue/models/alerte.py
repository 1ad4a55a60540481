from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone


class Alerte(models.Model):
    """« Recevoir les nouvelles aides » of one catalogue search, by email (no account needed).

    Double opt-in: nothing is sent before `confirmee_le`. `requete` is the search's normalised query
    string (filters only, sorted), read back by the catalogue's own FilterSet for every digest.
    """

    class Frequence(models.TextChoices):
        QUOTIDIENNE = "quotidienne", "Chaque jour"
        HEBDOMADAIRE = "hebdomadaire", "Chaque semaine"

    email = models.EmailField("adresse électronique")
    utilisateur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="alertes"
    )
    requete = models.CharField("recherche", max_length=2000, blank=True)
    frequence = models.CharField("fréquence", max_length=15, choices=Frequence.choices, default=Frequence.HEBDOMADAIRE)
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    confirmee_le = models.DateTimeField("confirmée le", null=True, blank=True)
    # Last click on a link of the alert's emails: a year without one and the person is asked again.
    derniere_ouverture_le = models.DateTimeField("dernière ouverture le", null=True, blank=True)
    reconfirmation_demandee_le = models.DateTimeField("reconfirmation demandée le", null=True, blank=True)
    # What the last digest covered: new aids are those published after it.
    dernier_envoi_le = models.DateTimeField("dernier envoi le", null=True, blank=True)

    class Meta:
        verbose_name = "alerte"
        ordering = ["cree_le"]
        constraints = [
            models.UniqueConstraint(Lower("email"), "requete", name="alerte_unique_par_email_et_recherche"),
        ]
        indexes = [models.Index(fields=["cree_le"], name="alerte_non_confirmee", condition=models.Q(confirmee_le=None))]

    def __str__(self) -> str:
        return f"{self.email} – {self.requete or 'toutes les aides'}"

    @property
    def est_confirmee(self) -> bool:
        return self.confirmee_le is not None

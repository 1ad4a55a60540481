"""Company accounts: a user who represents a company (SIREN) through one of its establishments."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class RepresentantQuerySet(models.QuerySet):
    def a_verifier(self):
        return self.filter(a_verifier=True)


class Representant(models.Model):
    """Links a company user to the CRM company it acts for. Several users may represent one company.

    `a_verifier` is set when sign-up created the company or the establishment in the CRM (unknown
    SIRET): staff check it before trusting it. `email_verifie_le` is set by the link sent at sign-up;
    until then the company space asks for the confirmation.
    """

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="representant", verbose_name="utilisateur"
    )
    entreprise = models.ForeignKey(
        "crm.Entreprise", on_delete=models.PROTECT, related_name="representants", verbose_name="entreprise"
    )
    etablissement = models.ForeignKey(
        "crm.Etablissement", on_delete=models.PROTECT, related_name="representants", verbose_name="établissement"
    )
    a_verifier = models.BooleanField(
        "à vérifier", default=False, help_text="Entreprise ou établissement créé à l'inscription : à contrôler."
    )
    email_verifie_le = models.DateTimeField("adresse vérifiée le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("inscrit le", default=timezone.now)

    objects = RepresentantQuerySet.as_manager()

    class Meta:
        verbose_name = "représentant d'entreprise"
        verbose_name_plural = "représentants d'entreprise"
        indexes = [
            models.Index(fields=["cree_le"], name="representant_a_verifier", condition=models.Q(a_verifier=True))
        ]

    def __str__(self) -> str:
        return f"{self.utilisateur} pour {self.entreprise_id}"

    @property
    def email_verifie(self) -> bool:
        return self.email_verifie_le is not None

"""Expert opinions on an application: an instructeur asks an agent of another direction, or a user of
the EPCI or of a partner structure, a question with a deadline. The opinion stays in the file and is
private to staff: the company never sees it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AvisExpertQuerySet(models.QuerySet):
    def en_attente(self):
        return self.filter(rendu_le__isnull=True)

    def de_l_expert(self, user):
        return self.filter(expert=user)


class AvisExpert(models.Model):
    demande = models.ForeignKey("aides.Demande", on_delete=models.CASCADE, related_name="avis_experts")
    demande_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="demandé par"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="avis_a_rendre", verbose_name="expert"
    )
    question = models.TextField("question posée")
    rendre_avant = models.DateField("à rendre avant le")
    avis = models.TextField("avis", blank=True)
    rendu_le = models.DateTimeField("rendu le", null=True, blank=True)
    rappel_envoye_le = models.DateTimeField("rappel envoyé le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("demandé le", default=timezone.now)

    objects = AvisExpertQuerySet.as_manager()

    class Meta:
        ordering = ["cree_le", "pk"]
        verbose_name = "avis d'expert"
        verbose_name_plural = "avis d'experts"
        indexes = [
            models.Index(
                fields=["rendre_avant"], name="avis_a_rappeler", condition=Q(rendu_le=None, rappel_envoye_le=None)
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rendu_le__isnull=True, avis="") | (Q(rendu_le__isnull=False) & ~Q(avis="")),
                name="avis_rendu_avec_texte",
            ),
        ]

    def __str__(self) -> str:
        return f"Avis demandé à {self.expert} le {self.cree_le:%d/%m/%Y}"

    @property
    def est_rendu(self) -> bool:
        return self.rendu_le is not None

    @property
    def en_retard(self) -> bool:
        return not self.est_rendu and self.rendre_avant < timezone.localdate()

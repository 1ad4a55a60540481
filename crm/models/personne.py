from django.db import models
from django.utils import timezone

from crm.referentiels import BaseLegale, TypeStructure, valider_sans_balise


class Structure(models.Model):
    """A partner or operator (CCI, CMA, BGE, France Active, an EPCI...) present at interactions."""

    nom = models.CharField("nom", max_length=200, unique=True, validators=[valider_sans_balise])
    sigle = models.CharField("sigle", max_length=30, blank=True)
    type = models.CharField("type", max_length=20, choices=TypeStructure.choices)
    epci = models.ForeignKey(
        "territoires.EPCI", null=True, blank=True, on_delete=models.SET_NULL, related_name="structures_crm"
    )
    email = models.EmailField("courriel", blank=True)
    site_web = models.URLField("site web", blank=True)
    active = models.BooleanField("active", default=True)
    demo = models.BooleanField("donnée de démonstration", default=False)

    class Meta:
        ordering = ["nom"]
        verbose_name = "structure partenaire"
        verbose_name_plural = "structures partenaires"

    def __str__(self) -> str:
        return self.sigle or self.nom


class ContactQuerySet(models.QuerySet):
    def actifs(self):
        return self.filter(anonymise_le__isnull=True)

    def expires(self, aujourdhui=None):
        return self.actifs().filter(conserver_jusquau__lt=aujourdhui or timezone.localdate())


class Contact(models.Model):
    """A person met at a company. Personal data: legal basis and retention date (GDPR)."""

    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="contacts")
    prenom = models.CharField("prénom", max_length=100, blank=True, validators=[valider_sans_balise])
    nom = models.CharField("nom", max_length=100, validators=[valider_sans_balise])
    fonction = models.CharField("fonction", max_length=150, blank=True, validators=[valider_sans_balise])
    email = models.EmailField("courriel", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    base_legale = models.CharField(
        "base légale", max_length=20, choices=BaseLegale.choices, default=BaseLegale.INTERET_LEGITIME
    )
    conserver_jusquau = models.DateField(
        "conserver jusqu'au", help_text="Par défaut trois ans après la dernière interaction."
    )
    anonymise_le = models.DateTimeField("anonymisé le", null=True, blank=True)
    demo = models.BooleanField("donnée de démonstration", default=False)
    cree_le = models.DateTimeField("créé le", default=timezone.now)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["nom", "prenom"]
        verbose_name = "contact"
        indexes = [models.Index(name="crm_contact_email", fields=["email"])]

    def __str__(self) -> str:
        if self.anonymise_le:
            return "Contact anonymisé"
        return " ".join(filter(None, [self.prenom, self.nom])) + (f" ({self.fonction})" if self.fonction else "")

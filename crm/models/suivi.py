from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from crm.jours_ouvres import jours_ouvres_entre, retirer_jours_ouvres
from crm.referentiels import Besoin, Theme, TypeInteraction, valider_sans_balise


class Interaction(models.Model):
    """A visit, meeting, call, email or event with a company. Every version is kept."""

    type = models.CharField("type", max_length=20, choices=TypeInteraction.choices, default=TypeInteraction.VISITE)
    date = models.DateField("date")
    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="interactions")
    etablissement = models.ForeignKey(
        "crm.Etablissement", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="interactions_ecrites")
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="agents présents", related_name="interactions"
    )
    contacts = models.ManyToManyField("crm.Contact", verbose_name="personnes rencontrées", blank=True)
    structures = models.ManyToManyField("crm.Structure", verbose_name="partenaires présents", blank=True)
    themes = ArrayField(
        models.CharField(max_length=20, choices=Theme.choices), verbose_name="thèmes", default=list, blank=True
    )
    objet = models.CharField("objet", max_length=200, validators=[valider_sans_balise])
    notes = models.TextField("notes", blank=True)
    sollicitation = models.ForeignKey(
        "crm.Sollicitation", null=True, blank=True, on_delete=models.SET_NULL, related_name="interactions"
    )
    cree_le = models.DateTimeField("créée le", default=timezone.now)
    modifie_le = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(m2m_fields=[agents, contacts, structures])

    class Meta:
        ordering = ["-date", "-cree_le"]
        indexes = [models.Index(name="crm_interaction_entreprise", fields=["entreprise", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y} – {self.objet}"


class TacheQuerySet(models.QuerySet):
    def ouvertes(self):
        return self.filter(faite_le__isnull=True)


class Tache(models.Model):
    """A follow-up: something someone must do for a company by a date."""

    entreprise = models.ForeignKey("crm.Entreprise", on_delete=models.CASCADE, related_name="taches")
    interaction = models.ForeignKey(Interaction, null=True, blank=True, on_delete=models.CASCADE, related_name="taches")
    # A decision taken at a project review, on one item of its agenda.
    point_revue = models.ForeignKey(
        "crm.PointRevue",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name="décision de la revue de projets",
    )
    titre = models.CharField("suite à donner", max_length=250, validators=[valider_sans_balise])
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="qui", on_delete=models.PROTECT, related_name="taches_crm"
    )
    echeance = models.DateField("échéance")
    faite_le = models.DateTimeField("faite le", null=True, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)

    objects = TacheQuerySet.as_manager()

    class Meta:
        ordering = ["echeance"]
        verbose_name = "tâche"

    def __str__(self) -> str:
        return f"{self.titre} ({self.echeance:%d/%m/%Y})"

    @property
    def en_retard(self) -> bool:
        return self.faite_le is None and self.echeance < timezone.localdate()


class SollicitationQuerySet(models.QuerySet):
    def ouvertes(self):
        return self.filter(statut__in=[Sollicitation.Statut.NOUVELLE, Sollicitation.Statut.PRISE_EN_CHARGE])

    def pour_agent(self, agent):
        return self.filter(assignes=agent)

    def en_retard(self, maintenant=None):
        """Past their deadline: not taken within 2 working days, or taken but unanswered after 10
        (the delays of the reminders and of the alert to pilotage, crm.services)."""

        local = timezone.localtime(maintenant or timezone.now())
        return self.filter(
            models.Q(statut=Sollicitation.Statut.NOUVELLE, cree_le__lte=retirer_jours_ouvres(local, 2))
            | models.Q(statut=Sollicitation.Statut.PRISE_EN_CHARGE, cree_le__lte=retirer_jours_ouvres(local, 10))
        )

    def boite_direction(self, direction):
        """Requests routed to the direction's shared inbox (no agent on the territory)."""
        return self.filter(direction=direction, assignes__isnull=True)


class Sollicitation(models.Model):
    """An incoming request (« Être contacté » or entered by staff), routed to the territory's agents."""

    class Statut(models.TextChoices):
        NOUVELLE = "nouvelle", "Nouvelle"
        PRISE_EN_CHARGE = "prise_en_charge", "Prise en charge"
        REPONDUE = "repondue", "Réponse apportée"
        REORIENTEE = "reorientee", "Réorientée"
        CLOSE = "close", "Close"

    class Origine(models.TextChoices):
        FORMULAIRE = "formulaire", "Formulaire « Être contacté »"
        AGENT = "agent", "Saisie par un agent"
        PARTENAIRE = "partenaire", "Transmise par un partenaire"

    origine = models.CharField(max_length=20, choices=Origine.choices, default=Origine.FORMULAIRE)
    nom = models.CharField("nom et prénom", max_length=200, validators=[valider_sans_balise])
    email = models.EmailField("courriel")
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    entreprise_saisie = models.CharField(
        "entreprise ou SIRET", max_length=250, blank=True, validators=[valider_sans_balise]
    )
    entreprise = models.ForeignKey(
        "crm.Entreprise", null=True, blank=True, on_delete=models.SET_NULL, related_name="sollicitations"
    )
    etablissement = models.ForeignKey(
        "crm.Etablissement", null=True, blank=True, on_delete=models.SET_NULL, related_name="sollicitations"
    )
    commune = models.ForeignKey("territoires.Commune", on_delete=models.PROTECT, related_name="sollicitations_crm")
    besoin = models.CharField("besoin", max_length=20, choices=Besoin.choices)
    message = models.TextField("précisions", blank=True)
    consentement = models.BooleanField("consentement", default=False)
    direction = models.ForeignKey("portal.Direction", on_delete=models.PROTECT, related_name="sollicitations_crm")
    assignes = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="sollicitations_assignees")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.NOUVELLE)
    cree_le = models.DateTimeField("reçue le", default=timezone.now)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prise_en_charge_le = models.DateTimeField(null=True, blank=True)
    prise_en_charge_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    repondue_le = models.DateTimeField("réponse apportée le", null=True, blank=True)
    reponse = models.TextField("réponse apportée", blank=True)
    reorientee_vers_direction = models.ForeignKey(
        "portal.Direction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reorientee_vers_structure = models.ForeignKey(
        "crm.Structure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_le = models.DateTimeField(null=True, blank=True)

    class Acheminement(models.TextChoices):
        """Who received the request when it arrived (portal.destinataires' fallback chain)."""

        AGENTS = "personnes", "Chargés de mission du territoire"
        BOITE_DIRECTION = "boite_direction", "Boîte partagée de la direction"
        PILOTAGE = "pilotage", "Pilotage"
        AUCUN = "aucun", "Personne (aucun destinataire configuré)"

    acheminement = models.CharField(
        "reçue par", max_length=20, choices=Acheminement.choices, default=Acheminement.AGENTS
    )
    relance_le = models.DateTimeField("relance envoyée le", null=True, blank=True)
    alerte_le = models.DateTimeField("alerte pilotage envoyée le", null=True, blank=True)
    anonymisee_le = models.DateTimeField(null=True, blank=True)

    objects = SollicitationQuerySet.as_manager()

    class Meta:
        ordering = ["-cree_le"]
        indexes = [
            models.Index(
                name="crm_sollicitation_ouverte",
                fields=["cree_le"],
                condition=models.Q(statut__in=["nouvelle", "prise_en_charge"]),
            ),
            models.Index(name="crm_sollicitation_email", fields=["email"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(statut="prise_en_charge") | models.Q(prise_en_charge_le__isnull=False),
                name="crm_sollicitation_prise_datee",
            ),
        ]

    def __str__(self) -> str:
        return f"Demande de {self.nom} ({self.get_besoin_display()}) du {timezone.localtime(self.cree_le):%d/%m/%Y}"

    @property
    def delai_prise_en_charge(self) -> int | None:
        """Working days from receipt to being taken (so far when not taken yet)."""
        fin = self.prise_en_charge_le or timezone.now()
        return jours_ouvres_entre(timezone.localdate(self.cree_le), timezone.localdate(fin))

    @property
    def delai_reponse(self) -> int:
        fin = self.repondue_le or self.close_le or timezone.now()
        return jours_ouvres_entre(timezone.localdate(self.cree_le), timezone.localdate(fin))

    @property
    def est_ouverte(self) -> bool:
        return self.statut in {self.Statut.NOUVELLE, self.Statut.PRISE_EN_CHARGE}

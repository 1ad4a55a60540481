"""Roles are Django groups; a person may hold several. Staff roles open /agents/."""

from django.db import models


class Role(models.TextChoices):
    ENTREPRISE = "entreprise", "Entreprise"
    CHARGE_DE_MISSION = "charge_de_mission", "Chargé·e de mission territorial"
    INSTRUCTEUR = "instructeur", "Instructeur·rice"
    GESTIONNAIRE_SAF = "gestionnaire_saf", "Gestionnaire SAF"
    SERVICE_FEDER = "service_feder", "Service FEDER"
    PILOTAGE = "pilotage", "Pilotage"
    ADMINISTRATEUR = "administrateur", "Administrateur·rice"
    DPD = "dpd", "Délégué·e à la protection des données"
    # Outside the Région: a partner structure's member, an EPCI's economic service (/partenaires/).
    PARTENAIRE = "partenaire", "Partenaire"
    EPCI = "epci", "EPCI"


ROLES_EXTERNES = [Role.PARTENAIRE, Role.EPCI]
ROLES_AGENTS = [role for role in Role if role != Role.ENTREPRISE and role not in ROLES_EXTERNES]

# The Région's directions of the pôle « Travail : entreprises et emploi ». Companies read the names
# (never a bare code): where the Région's own wording is not known, a descriptive name; the code
# follows in parentheses (`Direction.__str__`). Names can be edited in the admin.
DIRECTIONS = [
    ("DAEN", "Direction de l'accompagnement des entreprises"),
    ("DPEAP", "Direction de l'économie de proximité et de l'artisanat"),
    ("DIPI", "Direction de l'innovation et des projets industriels"),
    ("DTRI", "Direction des transitions et de l'international"),
    ("DPRE", "Direction Proch'emploi"),
    ("DFP", "Direction de la formation professionnelle"),
    ("NFI", "Nord France Invest"),
    ("HDFID", "Hauts-de-France Investissement et Développement"),
]
# Names first given to the directions (the bare code): replaced by the names above after migrate.
NOMS_PROVISOIRES = {"DPRE / Proch'emploi"}

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
    # Outside the Région: a partner structure's member, an EPCI's economic service (/partenaires/).
    PARTENAIRE = "partenaire", "Partenaire"
    EPCI = "epci", "EPCI"


ROLES_EXTERNES = [Role.PARTENAIRE, Role.EPCI]
ROLES_AGENTS = [role for role in Role if role != Role.ENTREPRISE and role not in ROLES_EXTERNES]

# The Région's directions of the pôle « Travail : entreprises et emploi », as named in its diagnosis.
DIRECTIONS = [
    ("DAEN", "DAEN"),
    ("DPEAP", "DPEAP"),
    ("DIPI", "DIPI"),
    ("DTRI", "DTRI"),
    ("DPRE", "DPRE / Proch'emploi"),
    ("DFP", "DFP"),
    ("NFI", "NFI"),
    ("HDFID", "HDFID"),
]

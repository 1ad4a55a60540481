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


ROLES_AGENTS = [role for role in Role if role != Role.ENTREPRISE]

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

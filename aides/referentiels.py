"""Vocabularies of the catalogue, shared by the catalogue, the applications and the parcours."""

from django.db import models


class Thematique(models.TextChoices):
    # The home page links to /aides/?thematique=<code>: keep the codes stable.
    CREATION_REPRISE = "creation-reprise", "Création et reprise"
    TPE_PROXIMITE = "tpe-proximite", "TPE et économie de proximité"
    INNOVATION = "innovation", "Innovation"
    FILIERES = "filieres", "Filières et industrie"
    EXPORT_ATTRACTIVITE = "export-attractivite", "Export et attractivité"
    EMPLOI_RH = "emploi-rh", "Emploi et ressources humaines"
    FORMATION = "formation", "Formation"
    TRANSITION_ECOLOGIQUE = "transition-ecologique", "Transition écologique"
    NUMERIQUE = "numerique", "Numérique"

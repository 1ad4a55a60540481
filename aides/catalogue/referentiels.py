"""Vocabularies of the catalogue, shared by the catalogue, the applications and the parcours."""

from django.db import models


class Thematique(models.TextChoices):
    # The home page links to /aides/?thematique=<code>: keep the codes stable.
    CREATION_REPRISE = "creation-reprise", "Création et reprise"
    TPE_PROXIMITE = "tpe-proximite", "TPE et économie de proximité"
    INNOVATION = "innovation", "Innovation"
    FILIERES = "filieres", "Filières et industrie"
    # The code predates the split of « export » and « implantation »: kept for the links to it.
    EXPORT_ATTRACTIVITE = "export-attractivite", "Export et international"
    IMPLANTATION = "implantation", "Implantation et extension"
    EMPLOI_RH = "emploi-rh", "Emploi et ressources humaines"
    FORMATION = "formation", "Formation"
    TRANSITION_ECOLOGIQUE = "transition-ecologique", "Transition écologique"
    NUMERIQUE = "numerique", "Numérique"


class Nature(models.TextChoices):
    SUBVENTION = "subvention", "Subvention"
    PRET = "pret", "Prêt"
    AVANCE_REMBOURSABLE = "avance-remboursable", "Avance remboursable"
    GARANTIE = "garantie", "Garantie"
    FONDS_PROPRES = "fonds-propres", "Fonds propres"
    ACCOMPAGNEMENT = "accompagnement", "Accompagnement et conseil"


class Public(models.TextChoices):
    CREATEUR = "createur", "Créateur ou repreneur"
    TPE = "tpe", "TPE"
    PME = "pme", "PME"
    ETI = "eti", "ETI"
    ARTISAN = "artisan", "Artisan"
    COMMERCANT = "commercant", "Commerçant"
    ESS = "ess", "Structure de l'ESS"
    STARTUP = "startup", "Start-up innovante"


class Stade(models.TextChoices):
    CREATION = "creation", "Création"
    DEVELOPPEMENT = "developpement", "Développement"
    TRANSMISSION = "transmission", "Transmission et reprise"
    DIFFICULTE = "difficulte", "Difficulté"


class TailleEntreprise(models.TextChoices):
    """Size bands used by the filters and the parcours (employees)."""

    ZERO = "0", "Sans salarié"
    MICRO = "1-9", "1 à 9 salariés"
    PETITE = "10-49", "10 à 49 salariés"
    MOYENNE = "50-249", "50 à 249 salariés"
    GRANDE = "250+", "250 salariés et plus"


BORNES_TAILLE = {
    TailleEntreprise.ZERO: (0, 0),
    TailleEntreprise.MICRO: (1, 9),
    TailleEntreprise.PETITE: (10, 49),
    TailleEntreprise.MOYENNE: (50, 249),
    TailleEntreprise.GRANDE: (250, None),
}


class Operateur(models.TextChoices):
    REGION = "region", "Région (en direct)"
    HDFID = "hdfid", "Hauts-de-France Innovation Développement"
    BPIFRANCE = "bpifrance", "Bpifrance"
    PARTENAIRE = "partenaire", "Partenaire de la Région"


class RegimeAide(models.TextChoices):
    DE_MINIMIS = "de-minimis", "De minimis (règlement (UE) 2023/2831)"
    RGEC = "rgec", "Règlement général d'exemption par catégorie (RGEC)"
    NOTIFIE = "notifie", "Régime notifié à la Commission européenne (décision SA)"
    AUCUN = "aucun", "Hors aide d'État"

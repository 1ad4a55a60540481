"""Reads on EPCI conventions: the coverage picture of the 92 EPCI, a convention's history, contacts."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from portal.models import Direction
from portal.templatetags.portail import format_euros

from .models import (
    EPCI,
    Affectation,
    ConventionTerritoriale,
    Departement,
    EngagementAnnuel,
    EtatConvention,
    TypeConvention,
)

Statut = ConventionTerritoriale.Statut

JOURS_EXPIRATION_PROCHE = 90


class Categorie:
    """The coverage state of an EPCI, as coloured on the map."""

    EN_VIGUEUR = "en_vigueur"
    EXPIRE_BIENTOT = "expire_bientot"
    EN_NEGOCIATION = "en_negociation"
    AUCUNE = "aucune"

    CHOIX = [
        (EN_VIGUEUR, "En vigueur"),
        (EXPIRE_BIENTOT, f"En vigueur, expire dans moins de {JOURS_EXPIRATION_PROCHE} jours"),
        (EN_NEGOCIATION, "En négociation (projet, négociation ou signée à venir)"),
        (AUCUNE, "Aucune convention"),
    ]
    LIBELLES = dict(CHOIX)


@dataclass
class LigneCouverture:
    epci: EPCI
    en_vigueur: dict[str, ConventionTerritoriale] = field(default_factory=dict)  # by type
    en_cours: dict[str, ConventionTerritoriale] = field(default_factory=dict)  # by type: projet, négo, signée à venir
    categorie: str = Categorie.AUCUNE

    @property
    def categorie_libelle(self) -> str:
        return Categorie.LIBELLES[self.categorie]

    def cellules(self) -> list[tuple[str, ConventionTerritoriale | None, ConventionTerritoriale | None]]:
        """(type, convention in force, convention in progress) for each type, in the types' order."""
        return [(t, self.en_vigueur.get(t), self.en_cours.get(t)) for t in TypeConvention.values]


@dataclass
class Couverture:
    lignes: list[LigneCouverture]  # filtered
    comptes: list[dict]  # per category: code, libelle, nombre, population
    nb_epci: int
    population_couverte: int
    population_totale: int
    aujourd_hui: date


def _categorie(ligne: LigneCouverture, aujourd_hui: date) -> str:
    if ligne.en_vigueur:
        # The soonest end decides: one convention about to lapse is worth a warning.
        fin = min(c.date_fin for c in ligne.en_vigueur.values())
        if fin <= aujourd_hui + timedelta(days=JOURS_EXPIRATION_PROCHE):
            return Categorie.EXPIRE_BIENTOT
        return Categorie.EN_VIGUEUR
    if ligne.en_cours:
        return Categorie.EN_NEGOCIATION
    return Categorie.AUCUNE


def couverture_calculer(
    *,
    departement: Departement | None = None,
    type: str | None = None,
    categorie: str | None = None,
    aujourd_hui: date | None = None,
) -> Couverture:
    """Every EPCI (of the département) with its conventions in force and in progress, per type.

    Three queries whatever the number of EPCI or conventions. Counts and population are computed
    over the département and type filters, before the category filter.
    """
    aujourd_hui = aujourd_hui or timezone.localdate()
    epcis = (
        EPCI.objects.defer("contour")
        .prefetch_related(Prefetch("departements", queryset=Departement.objects.order_by("code")))
        .order_by("nom")
    )
    if departement is not None:
        epcis = epcis.filter(departements=departement)
    conventions = ConventionTerritoriale.objects.filter(
        statut__in=[Statut.PROJET, Statut.EN_NEGOCIATION, Statut.SIGNEE], date_fin__gte=aujourd_hui
    ).only("pk", "epci_id", "type", "statut", "date_debut", "date_fin", "intitule")
    if type:
        conventions = conventions.filter(type=type)
    par_epci: dict[int, list[ConventionTerritoriale]] = defaultdict(list)
    for convention in conventions.order_by("date_debut"):
        par_epci[convention.epci_id].append(convention)

    toutes = []
    for epci in epcis:
        ligne = LigneCouverture(epci)
        for convention in par_epci.get(epci.pk, []):
            if convention.etat_le(aujourd_hui) == EtatConvention.EN_VIGUEUR:
                ligne.en_vigueur[convention.type] = convention
            else:
                ligne.en_cours.setdefault(convention.type, convention)
        ligne.categorie = _categorie(ligne, aujourd_hui)
        toutes.append(ligne)

    comptes = []
    for code, libelle in Categorie.CHOIX:
        dans = [ligne for ligne in toutes if ligne.categorie == code]
        comptes.append(
            {
                "code": code,
                "libelle": libelle,
                "nombre": len(dans),
                "population": sum(ligne.epci.population for ligne in dans),
            }
        )
    couvertes = (Categorie.EN_VIGUEUR, Categorie.EXPIRE_BIENTOT)
    couverte = sum(ligne.epci.population for ligne in toutes if ligne.categorie in couvertes)
    return Couverture(
        lignes=[ligne for ligne in toutes if not categorie or ligne.categorie == categorie],
        comptes=comptes,
        nb_epci=len(toutes),
        population_couverte=couverte,
        population_totale=sum(ligne.epci.population for ligne in toutes),
        aujourd_hui=aujourd_hui,
    )


def conventions_epci(epci: EPCI) -> QuerySet[ConventionTerritoriale]:
    return ConventionTerritoriale.objects.filter(epci=epci).avec_etat().order_by("-date_fin", "type")


def affectations_epci(epci: EPCI) -> QuerySet[Affectation]:
    return (
        Affectation.objects.pour(epci=epci)
        .select_related("agent", "direction")
        .order_by("direction__code", "agent__last_name", "agent__first_name")
    )


@dataclass
class ContactsDirection:
    direction: Direction
    contacts: list[Affectation]


def contacts_publics(epci: EPCI) -> list[ContactsDirection]:
    """The Région's contacts for a territory, per direction, with work data only (one query)."""
    groupes: dict[int, ContactsDirection] = {}
    for affectation in (
        affectations_epci(epci)
        .filter(agent__is_staff=True)
        .only(
            "mission",
            "agent__first_name",
            "agent__last_name",
            "agent__email",
            "agent__telephone",
            "agent__fonction",
            "direction__code",
            "direction__nom",
            "direction__email_partage",
        )
    ):
        groupe = groupes.setdefault(affectation.direction_id, ContactsDirection(affectation.direction, []))
        groupe.contacts.append(affectation)
    return list(groupes.values())


# --- History --------------------------------------------------------------------------------------

TYPES_HISTORIQUE = {"+": "Création", "~": "Modification", "-": "Suppression"}
HISTORIQUE_MAX = 50


def _valeur_lisible(champ, valeur) -> str:
    if valeur in (None, ""):
        return "—"
    if champ.choices:
        return str(dict(champ.flatchoices).get(valeur, valeur))
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if champ.name.startswith("montant"):
        return format_euros(valeur)
    texte = str(valeur)
    return texte if len(texte) <= 120 else texte[:119] + "…"


def _majuscule(texte: str) -> str:
    # str.capitalize() would lower "Région" and "EPCI".
    return texte[:1].upper() + texte[1:]


def _lignes_historique(versions: list, modele, limite: int) -> list[dict]:
    """Rows of the history of one object (versions newest first), field by field."""
    lignes = []
    for rang, version in enumerate(versions[:limite]):
        precedente = versions[rang + 1] if rang + 1 < len(versions) else None
        changements = []
        if precedente is not None and version.history_type == "~":
            for ecart in version.diff_against(precedente).changes:
                champ = modele._meta.get_field(ecart.field)
                changements.append(
                    {
                        "champ": _majuscule(str(champ.verbose_name)),
                        "avant": _valeur_lisible(champ, ecart.old),
                        "apres": _valeur_lisible(champ, ecart.new),
                    }
                )
        lignes.append(
            {
                "date": version.history_date,
                "auteur": version.history_user,
                "action": TYPES_HISTORIQUE.get(version.history_type, version.history_type),
                "changements": changements,
            }
        )
    return lignes


def convention_historique(convention: ConventionTerritoriale, limite: int = HISTORIQUE_MAX) -> list[dict]:
    """Who changed what and when, newest first, field by field: the convention and its yearly
    commitments (two queries)."""
    versions = list(
        convention.history.select_related("history_user").order_by("-history_date", "-history_id")[: limite + 1]
    )
    lignes = _lignes_historique(versions, ConventionTerritoriale, limite)

    par_engagement: dict[int, list] = defaultdict(list)
    for version in (
        EngagementAnnuel.history.filter(convention_id=convention.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: 4 * limite]
    ):
        par_engagement[version.id].append(version)
    champ_region = EngagementAnnuel._meta.get_field("montant_region")
    champ_epci = EngagementAnnuel._meta.get_field("montant_epci")
    for versions_engagement in par_engagement.values():
        for ligne, version in zip(
            _lignes_historique(versions_engagement, EngagementAnnuel, limite), versions_engagement, strict=False
        ):
            if version.history_type == "+":
                ligne["changements"] = [
                    {"champ": "Région", "avant": "—", "apres": _valeur_lisible(champ_region, version.montant_region)},
                    {"champ": "EPCI", "avant": "—", "apres": _valeur_lisible(champ_epci, version.montant_epci)},
                ]
            action = {"+": "ajouté", "~": "modifié", "-": "retiré"}.get(version.history_type, "")
            ligne["action"] = f"Engagement {version.annee} {action}"
            lignes.append(ligne)
    lignes.sort(key=lambda ligne: ligne["date"], reverse=True)
    return lignes[:limite]

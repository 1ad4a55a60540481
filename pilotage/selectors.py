"""Reads of pilotage: the dashboard's figures."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils import timezone

from aides.catalogue.referentiels import RegimeAide, Thematique
from aides.models import Dispositif, Statut
from crm.referentiels import TrancheEffectifs
from parcours.naf import SECTIONS, section_de_division
from portal.models import Direction
from portal.roles import Role
from portal.tableau import Chiffre
from territoires.carte import carte_region_svg
from territoires.models import EPCI, Departement

from . import statistiques
from . import statistiques as s
from . import statistiques_sources as sources
from .a_faire import roles
from .agregats import agregats_calcules_le
from .formats import euros, jours, nombre, pourcentage
from .graphiques import barres_horizontales_svg, histogramme_svg
from .models import Enquete


def chiffres_du_perimetre(user) -> tuple[str, list[Chiffre]] | None:
    """The year's figures of the agent's direction; of every direction for pilotage and administrators."""
    toutes = bool(roles(user) & {Role.PILOTAGE, Role.ADMINISTRATEUR})
    if not toutes and not user.direction_id:
        return None
    annee = timezone.localdate().year
    direction_id = None if toutes else user.direction_id
    c = chiffres_direction(annee, direction_id)
    titre = f"Chiffres {annee} – " + ("toutes directions" if toutes else f"direction {user.direction.code}")
    if c["calcule_le"]:
        titre += f", au {timezone.localtime(c['calcule_le']):%d/%m/%Y à %H:%M}"
    return (
        titre,
        [
            Chiffre("Demandes d'aide déposées", nombre(c["deposees"])),
            Chiffre("Aides accordées", nombre(c["accordees"]), f"taux d'accord {pourcentage(c['taux_accord'])}"),
            Chiffre("Montant accordé", euros(c["montant_accorde"])),
            Chiffre("Montant versé", euros(c["montant_verse"])),
            Chiffre("Délai médian du dépôt à la décision", jours(c["delai_decision_median"])),
            Chiffre("Demandes de contact reçues", nombre(c["sollicitations"])),
            Chiffre("Délai médian de réponse aux demandes de contact", jours(c["delai_reponse_median"])),
            Chiffre(
                "Entreprises accompagnées", nombre(c["entreprises"]), "interactions, demandes d'aide ou de contact"
            ),
        ],
    )


def chiffres_direction(annee: int, direction_id: int | None) -> dict:
    """The year's figures of one direction (None: every direction), kept STATISTIQUES_CACHE_SECONDES."""
    return statistiques.en_cache(
        f"chiffres:{annee}:{direction_id}",
        lambda: statistiques.chiffres_annee(annee=annee, direction_id=direction_id),
    )


# --- One dispositif's statistics --------------------------------------------------------------


def _libelles_territoires(repartition: dict) -> None:
    """Name the départements and EPCI of a breakdown (two queries), and the NAF sections."""

    noms_dep = dict(
        Departement.objects.filter(pk__in=[x["cle"] for x in repartition["departement"]]).values_list("pk", "nom")
    )
    noms_epci = dict(EPCI.objects.filter(pk__in=[x["cle"] for x in repartition["epci"]]).values_list("pk", "nom"))
    for ligne in repartition["departement"]:
        ligne["libelle"] = f"{ligne['cle']} – {noms_dep.get(ligne['cle'], '')}"
    for ligne in repartition["epci"]:
        ligne["libelle"] = noms_epci.get(ligne["cle"], "?")
    tranches = dict(TrancheEffectifs.choices)
    for ligne in repartition["tranche"]:
        ligne["libelle"] = tranches.get(ligne["cle"], ligne["cle"])
    sections: dict[str, dict] = defaultdict(lambda: {"nombre": 0, "part": 0.0})
    for ligne in repartition["division"]:
        section = section_de_division(ligne["cle"]) or "?"
        sections[section]["nombre"] += ligne["nombre"]
        sections[section]["part"] = round(sections[section]["part"] + (ligne["part"] or 0), 1)
    repartition["section"] = sorted(
        (
            {"cle": code, "libelle": f"{code} – {SECTIONS.get(code, 'non renseignée')}", **valeurs}
            for code, valeurs in sections.items()
        ),
        key=lambda x: (-x["nombre"], x["cle"]),
    )
    for dimension in ("departement", "epci", "tranche"):
        repartition[dimension].sort(key=lambda x: (-x["nombre"], str(x["cle"])))


def statistiques_dispositif(dispositif, annee: int) -> dict:
    """Everything the statistics page of a dispositif shows (kept STATISTIQUES_CACHE_SECONDES)."""
    return statistiques.en_cache(
        f"dispositif:{dispositif.pk}:{annee}", lambda: _statistiques_dispositif(dispositif, annee)
    )


def _statistiques_dispositif(dispositif, annee: int) -> dict:
    """Everything the statistics page of a dispositif shows, in a fixed number of queries."""

    par_statut = {
        x["statut"]: x["nombre"] for x in statistiques.demandes_par_statut(dispositif_id=dispositif.pk, annee=annee)
    }
    statuts = [(s.label, par_statut.get(s.value, 0)) for s in Statut if s != Statut.BROUILLON]
    mois = statistiques.demandes_par_mois(dispositif_id=dispositif.pk, annee=annee)
    montants = statistiques.montants_par_annee(dispositif_id=dispositif.pk)
    comparaison = statistiques.comparaison(dispositif_id=dispositif.pk, annee=annee)
    repartition = sources.repartition_entreprises(annee=annee, dispositif_id=dispositif.pk)
    _libelles_territoires(repartition)
    de_minimis = None
    if dispositif.regime == RegimeAide.DE_MINIMIS:
        fin = min(date(annee, 12, 31), timezone.localdate())
        de_minimis = sources.de_minimis(dispositif_id=dispositif.pk, le=fin)
    graphique_mois = histogramme_svg(
        titre=f"Demandes déposées, accordées et refusées par mois en {annee}",
        description="Histogramme ; les valeurs sont dans le tableau qui suit.",
        etiquettes=statistiques.MOIS,
        series=[
            ("Déposées", [x["deposees"] for x in mois]),
            ("Accordées", [x["accordees"] for x in mois]),
            ("Refusées", [x["refusees"] for x in mois]),
        ],
    )
    graphique_montants = histogramme_svg(
        titre="Montants demandés, accordés et versés par année",
        description="Histogramme en euros ; les valeurs sont dans le tableau qui suit.",
        etiquettes=[str(x["annee"]) for x in montants],
        series=[
            ("Demandé", [float(x["demande"]) for x in montants]),
            ("Accordé", [float(x["accorde"]) for x in montants]),
            ("Versé", [float(x["verse"]) for x in montants]),
        ],
    )
    graphique_departements = barres_horizontales_svg(
        titre=f"Entreprises ayant déposé en {annee}, par département",
        description="Diagramme en barres ; les valeurs sont dans le tableau qui suit.",
        lignes=[
            (x["libelle"], x["nombre"], f"{x['nombre']} ({pourcentage(x['part'])})") for x in repartition["departement"]
        ],
    )
    return {
        "annee": annee,
        "chiffres_au": comparaison["calcule_le"],
        "statuts": statuts,
        "deposees": sum(n for _l, n in statuts),
        "mois": [(statistiques.MOIS[x["mois"] - 1], x) for x in mois],
        "montants": montants,
        "delais": statistiques.delais(annee=annee, dispositif_id=dispositif.pk),
        "de_minimis": de_minimis,
        "repartition": repartition,
        "repartitions": [
            ("taille", "tranche", repartition["tranche"]),
            ("section NAF", "section", repartition["section"]),
            ("département", "departement", repartition["departement"]),
            ("EPCI", "epci", repartition["epci"]),
        ],
        "comparaison": comparaison,
        "graphique_mois": graphique_mois,
        "graphique_montants": graphique_montants,
        "graphique_departements": graphique_departements,
        "indicateurs": indicateurs_agreges(par="annee", dispositif_id=dispositif.pk),
        "indicateurs_titre": "Année de la décision",
    }


# --- Cross-tables --------------------------------------------------------------------------------


def libelles_dimension(dimension: str, cles) -> dict:
    """Names of the keys of a dimension (one query for direction, département and EPCI)."""

    cles = [c for c in cles if c is not None]
    if dimension == "direction":
        return {
            pk: f"{code} – {nom}" if nom != code else code
            for pk, code, nom in Direction.objects.filter(pk__in=cles).values_list("pk", "code", "nom")
        }
    if dimension == "departement":
        return {pk: f"{pk} – {nom}" for pk, nom in Departement.objects.filter(pk__in=cles).values_list("pk", "nom")}
    if dimension == "epci":
        return dict(EPCI.objects.filter(pk__in=cles).values_list("pk", "nom"))
    if dimension == "thematique":
        return dict(Thematique.choices)
    return {c: str(c) for c in cles}


NON_RENSEIGNE = {
    "direction": "Sans direction",
    "departement": "Territoire non renseigné",
    "epci": "Territoire non renseigné",
    "thematique": "Sans thématique (demandes de contact, interactions)",
    "annee": "—",
}


def tableau_croise_lignes(criteres: dict) -> tuple[list[dict], dict]:
    """The cross-table's rows with their labels, and the total row."""

    cle = ":".join(f"{k}={v}" for k, v in sorted(criteres.items()))
    lignes = s.en_cache(f"croise:{cle}", lambda: s.tableau_croise(**criteres))
    dimension = criteres["lignes"]
    cle = s.DIMENSIONS[dimension]
    noms = libelles_dimension(dimension, [x[cle] for x in lignes])
    for x in lignes:
        x["libelle"] = NON_RENSEIGNE[dimension] if x[cle] is None else noms.get(x[cle], str(x[cle]))
    total = {m: sum(x[m] for x in lignes) for m in ("sollicitations", "deposees", "accordees", "montant")}
    return lignes, total


def satisfaction_agregats(*, annee: int | None = None, par: str = "direction") -> list[dict]:

    lignes = sources.satisfaction(par=par, annee=annee)
    if par == "dispositif":
        noms = dict(Dispositif.objects.filter(pk__in=[x["cle"] for x in lignes]).values_list("pk", "nom"))
    elif par == "occasion":
        noms = dict(Enquete.Occasion.choices)
    else:
        noms = libelles_dimension(par, [x["cle"] for x in lignes])
    for x in lignes:
        x["libelle"] = (
            noms.get(x["cle"], NON_RENSEIGNE.get(par, "—")) if x["cle"] is not None else NON_RENSEIGNE.get(par, "—")
        )
    return lignes


# --- Map of the amounts granted per inhabitant -----------------------------------------------------

QUARTILES = {
    0: "Aucune aide accordée",
    1: "1er quart (les plus faibles)",
    2: "2e quart",
    3: "3e quart",
    4: "4e quart (les plus élevés)",
}


def carte_montants(annee: int, *, lien=None) -> dict:
    """The 92 EPCI coloured by quartile of the amount granted per inhabitant (population: the
    municipal population of territoires' reference data), with the table equivalent."""

    lignes = s.en_cache(f"carte:{annee}", lambda: s.montants_par_habitant(annee=annee))
    classes = {x["siren"]: f"niveau-{x['quartile']}" for x in lignes}
    comptes = {q: sum(1 for x in lignes if x["quartile"] == q) for q in QUARTILES}
    svg = carte_region_svg(
        classes,
        titre=f"Montant accordé par habitant en {annee}, par EPCI",
        description=(
            ", ".join(f"{QUARTILES[q].lower()} : {n} EPCI" for q, n in comptes.items())
            + ". Le tableau qui suit la carte donne le montant de chaque EPCI."
        ),
        lien=lien,
    )
    return {"svg": svg, "lignes": lignes, "legende": [(q, libelle, comptes[q]) for q, libelle in QUARTILES.items()]}


def indicateurs_agreges(*, par: str, annee: int | None = None, dispositif_id: int | None = None) -> list[dict]:

    lignes = sources.indicateurs(par=par, annee=annee, dispositif_id=dispositif_id)
    if par == "dispositif":
        noms = dict(Dispositif.objects.filter(pk__in=[x["cle"] for x in lignes]).values_list("pk", "nom"))
    else:
        noms = libelles_dimension(par, [x["cle"] for x in lignes])
    for x in lignes:
        x["libelle_cle"] = noms.get(x["cle"], str(x["cle"]))
    return lignes


# --- Public statistics -------------------------------------------------------------------------------


def _secret_secondaire(lignes: list[dict]) -> None:
    """When exactly one cell of a list is hidden, the total would give it away: hide the smallest
    visible cell too (secondary suppression)."""
    masquees = [x for x in lignes if x["masque"]]
    visibles = [x for x in lignes if not x["masque"]]
    if len(masquees) == 1 and visibles:
        plus_petite = min(visibles, key=lambda x: (x["deposees"] or 0, x["accordees"] or 0))
        plus_petite.update(masque=True, deposees=None, accordees=None, secondaire=True)


def statistiques_publiques(annee: int) -> dict:
    """Everything /statistiques/ shows (kept STATISTIQUES_CACHE_SECONDES: a public page)."""

    return s.en_cache(f"publiques:{annee}", lambda: _statistiques_publiques(annee))


def _statistiques_publiques(annee: int) -> dict:
    """Everything /statistiques/ shows (no personal data; cells of fewer than 5 companies hidden)."""

    lignes = s.publiques_demandes(annee=annee)
    themes = dict(Thematique.choices)
    departements = dict(Departement.objects.values_list("code", "nom"))
    par_thematique = [
        {**x, "cle": x["thematique"], "libelle": themes.get(x["thematique"], "Sans thématique")}
        for x in lignes
        if x["departement_id"] is None and x["groupe"] == 1
    ]
    par_departement = [
        {
            **x,
            "cle": x["departement_id"],
            "libelle": f"{x['departement_id']} – {departements.get(x['departement_id'], '')}",
        }
        for x in lignes
        if x["thematique"] is None and x["groupe"] == 2
    ]
    for liste in (par_thematique, par_departement):
        _secret_secondaire(liste)
    publiees = sources.aides_publiees()
    return {
        "annee": annee,
        "chiffres_au": agregats_calcules_le(),
        "seuil": s.SEUIL_SECRET,
        "aides_publiees": [
            {**x, "libelle": themes.get(x["thematique"], x["thematique"])} for x in publiees if x["thematique"]
        ],
        "aides_publiees_total": next((x["nombre"] for x in publiees if x["thematique"] is None), 0),
        "par_thematique": par_thematique,
        "par_departement": par_departement,
        "par_annee": s.publiques_par_annee(),
    }


INDICATEURS_ANNUELS = [
    ("accordees", "aides_masquees"),
    ("montant", "aides_masquees"),
    ("sollicitations", "sollicitations_masquees"),
    ("delai_reponse_median", "sollicitations_masquees"),
    ("avis", "avis_masques"),
    ("utilite", "avis_masques"),
    ("simplicite", "avis_masques"),
]


def donnees_ouvertes(stats: dict) -> list[dict]:
    """The same figures in long format for the CSV and JSON open data: one row per figure."""
    rows = [
        {"indicateur": "aides_publiees", "annee": None, "dimension": "thematique", "cle": x["thematique"],
         "libelle": x["libelle"], "valeur": x["nombre"], "secret": False}
        for x in stats["aides_publiees"]
    ]  # fmt: skip
    for dimension, liste in (("thematique", stats["par_thematique"]), ("departement", stats["par_departement"])):
        for x in liste:
            for indicateur in ("deposees", "accordees"):
                rows.append(
                    {"indicateur": f"demandes_{indicateur}", "annee": stats["annee"], "dimension": dimension,
                     "cle": x["cle"], "libelle": x["libelle"], "valeur": x[indicateur], "secret": x["masque"]}
                )  # fmt: skip
    for x in stats["par_annee"]:
        for indicateur, masque in INDICATEURS_ANNUELS:
            valeur = x[indicateur]
            rows.append(
                {
                    "indicateur": indicateur,
                    "annee": x["annee"],
                    "dimension": "region",
                    "cle": "32",
                    "libelle": "Hauts-de-France",
                    "valeur": float(valeur) if isinstance(valeur, Decimal) else valeur,
                    "secret": valeur is None and bool(x[masque]),
                }
            )
    return rows

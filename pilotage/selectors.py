"""Reads of pilotage: the dashboard's figures."""

from django.utils import timezone

from portal.roles import Role
from portal.tableau import Chiffre

from . import statistiques
from .a_faire import roles
from .formats import euros, jours, nombre, pourcentage


def chiffres_du_perimetre(user) -> tuple[str, list[Chiffre]] | None:
    """The year's figures of the agent's direction; of every direction for pilotage and administrators."""
    toutes = bool(roles(user) & {Role.PILOTAGE, Role.ADMINISTRATEUR})
    if not toutes and not user.direction_id:
        return None
    annee = timezone.localdate().year
    c = statistiques.chiffres_annee(annee=annee, direction_id=None if toutes else user.direction_id)
    titre = f"Chiffres {annee} – " + ("toutes directions" if toutes else f"direction {user.direction.code}")
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


# --- One dispositif's statistics --------------------------------------------------------------


def _libelles_territoires(repartition: dict) -> None:
    """Name the départements and EPCI of a breakdown (two queries), and the NAF sections."""
    from collections import defaultdict

    from crm.referentiels import TrancheEffectifs
    from parcours.naf import SECTIONS, section_de_division
    from territoires.models import EPCI, Departement

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
    """Everything the statistics page of a dispositif shows, in a fixed number of queries."""
    from aides.models import Statut
    from aides.referentiels import RegimeAide

    from .graphiques import barres_horizontales_svg, histogramme_svg

    par_statut = {
        x["statut"]: x["nombre"] for x in statistiques.demandes_par_statut(dispositif_id=dispositif.pk, annee=annee)
    }
    statuts = [(s.label, par_statut.get(s.value, 0)) for s in Statut if s != Statut.BROUILLON]
    mois = statistiques.demandes_par_mois(dispositif_id=dispositif.pk, annee=annee)
    montants = statistiques.montants_par_annee(dispositif_id=dispositif.pk)
    comparaison = statistiques.comparaison(dispositif_id=dispositif.pk, annee=annee)
    repartition = statistiques.repartition_entreprises(annee=annee, dispositif_id=dispositif.pk)
    _libelles_territoires(repartition)
    de_minimis = None
    if dispositif.regime == RegimeAide.DE_MINIMIS:
        from datetime import date

        fin = min(date(annee, 12, 31), timezone.localdate())
        de_minimis = statistiques.de_minimis(dispositif_id=dispositif.pk, le=fin)
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
    }

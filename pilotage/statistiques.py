"""The figures of pilotage, computed by PostgreSQL (aggregates, FILTER, window functions,
percentile_cont) on the table of pre-aggregated facts `pilotage_fait` (pilotage.agregats, rebuilt
every hour: the pages say when), a fixed number of queries whatever the volume.

Definitions (also shown on the pages):
- a year is the calendar year in Europe/Paris; an application counts in the year of its deposit,
  a decision in the year of its decision, a payment in the year it was paid;
- grant rate = applications granted ÷ (granted + refused) among those decided in the period
  (« classée sans suite » is a withdrawal, not a decision on the merits);
- delays are whole calendar days between the Paris dates of two events: deposit → decision,
  decision → signature (the day the convention reached « signée par la Région », both parties
  having signed), signature → first payment (the day the first payment was paid);
- median and 90th percentile are PostgreSQL's `percentile_cont`: with the n delays sorted
  x[0] ≤ … ≤ x[n-1], the p-percentile is read at position p × (n − 1) and interpolated linearly
  between the two nearest values (median of 2, 4, 10, 30 = 7; its 90th percentile = 24); a row of
  `nombre` facts is read `nombre` times (generate_series): exactly the source rows' percentile.
"""

from dataclasses import dataclass
from datetime import date

from . import sql
from .agregats import THEMATIQUES
from .sql import arrondi, en_cache, ligne, lignes, taux  # noqa: F401 (en_cache: statistiques.en_cache)

# A set of facts repeated `nombre` times: what a percentile or a per-fact count reads.
REPETES = "pilotage_fait f CROSS JOIN LATERAL generate_series(1, f.nombre)"


def _annee(annee: int) -> dict:
    return {"debut": date(annee, 1, 1), "fin": date(annee + 1, 1, 1)}


# --- The dashboard's figures -----------------------------------------------------------------------


def chiffres_annee(*, annee: int, direction_id: int | None = None) -> dict:
    """The year's figures of one direction (or all): one query over the year's facts, with the date
    of the table of facts they were read from (`calcule_le`)."""
    resultat = ligne(
        """
        WITH f AS NOT MATERIALIZED (
            SELECT * FROM pilotage_fait
            WHERE jour >= %(debut)s AND jour < %(fin)s
              AND (%(direction)s::bigint IS NULL OR direction_id = %(direction)s)
        )
        SELECT coalesce(sum(nombre) FILTER (WHERE nature = 'depot'), 0) AS deposees,
               coalesce(sum(nombre) FILTER (WHERE nature = 'decision' AND statut = 'accordee'), 0) AS accordees,
               coalesce(sum(nombre) FILTER (WHERE nature = 'decision' AND statut = 'refusee'), 0) AS refusees,
               coalesce(sum(montant) FILTER (WHERE nature = 'decision' AND statut = 'accordee'), 0)
                   AS montant_accorde,
               coalesce(sum(montant) FILTER (WHERE nature = 'versement'), 0) AS montant_verse,
               coalesce(sum(nombre) FILTER (WHERE nature = 'sollicitation'), 0) AS sollicitations,
               count(DISTINCT entreprise_id) FILTER (WHERE nature IN ('depot', 'sollicitation', 'interaction'))
                   AS entreprises,
               (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY f.delai)
                FROM f CROSS JOIN LATERAL generate_series(1, f.nombre)
                WHERE f.nature = 'decision' AND f.statut IN ('accordee', 'refusee')) AS delai_decision_median,
               (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY f.delai)
                FROM f CROSS JOIN LATERAL generate_series(1, f.nombre)
                WHERE f.nature = 'sollicitation') AS delai_reponse_median,
               (SELECT le FROM pilotage_calculagregats WHERE id = 1) AS calcule_le
        FROM f
        """,
        {**_annee(annee), "direction": direction_id},
        gros_tri=True,
    )
    resultat["taux_accord"] = taux(resultat["accordees"], resultat["accordees"] + resultat["refusees"])
    resultat["delai_decision_median"] = arrondi(resultat["delai_decision_median"])
    resultat["delai_reponse_median"] = arrondi(resultat["delai_reponse_median"])
    return resultat


# --- One dispositif ----------------------------------------------------------------------------


MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def demandes_par_statut(*, dispositif_id: int, annee: int) -> list[dict]:
    """Applications deposited in the year, by their state today."""
    return lignes(
        """
        SELECT statut, sum(nombre) AS nombre FROM pilotage_fait
        WHERE nature = 'depot' AND dispositif_id = %(d)s AND jour >= %(debut)s AND jour < %(fin)s
        GROUP BY statut
        """,
        {"d": dispositif_id, **_annee(annee)},
    )


def demandes_par_mois(*, dispositif_id: int, annee: int) -> list[dict]:
    """Per month of the year: applications deposited, granted and refused (decided that month)."""
    return lignes(
        """
        SELECT m.mois,
               coalesce(sum(f.nombre) FILTER (WHERE f.nature = 'depot'), 0) AS deposees,
               coalesce(sum(f.nombre) FILTER (WHERE f.nature = 'decision' AND f.statut = 'accordee'), 0)
                   AS accordees,
               coalesce(sum(f.nombre) FILTER (WHERE f.nature = 'decision' AND f.statut = 'refusee'), 0)
                   AS refusees
        FROM generate_series(1, 12) AS m(mois)
        LEFT JOIN pilotage_fait f ON f.dispositif_id = %(d)s AND f.nature IN ('depot', 'decision')
             AND f.jour >= %(debut)s AND f.jour < %(fin)s AND extract(month FROM f.jour) = m.mois
        GROUP BY m.mois ORDER BY m.mois
        """,
        {"d": dispositif_id, **_annee(annee)},
    )


def montants_par_annee(*, dispositif_id: int | None = None, direction_id: int | None = None) -> list[dict]:
    """Per year: amounts requested (deposit year), granted (decision year), paid (payment year)."""
    return lignes(
        """
        SELECT extract(year FROM jour)::int AS annee,
               coalesce(sum(montant) FILTER (WHERE nature = 'depot'), 0) AS demande,
               coalesce(sum(montant) FILTER (WHERE nature = 'decision' AND statut = 'accordee'), 0) AS accorde,
               coalesce(sum(montant) FILTER (WHERE nature = 'versement'), 0) AS verse
        FROM pilotage_fait
        WHERE (nature IN ('depot', 'versement') OR nature = 'decision' AND statut = 'accordee')
          AND (%(d)s::bigint IS NULL OR dispositif_id = %(d)s)
          AND (%(dir)s::bigint IS NULL OR direction_id = %(dir)s)
        GROUP BY 1 ORDER BY 1
        """,
        {"d": dispositif_id, "dir": direction_id},
    )


@dataclass
class Delai:
    code: str
    libelle: str
    nombre: int
    mediane: float | None
    p90: float | None


LIBELLES_DELAIS = {
    "decision": "Du dépôt à la décision",
    "signature": "De la décision à la signature de la convention",
    "premier_versement": "De la signature au premier versement",
}


def delais(*, annee: int, dispositif_id: int | None = None, direction_id: int | None = None) -> list[Delai]:
    """Median and 90th percentile (percentile_cont) of the three delays ending in the year: one
    scan of the year's facts repeated `nombre` times."""
    rangs = {
        x["nature"]: x
        for x in lignes(
            f"""
            SELECT f.nature, count(*) AS n,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY f.delai) AS p50,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY f.delai) AS p90
            FROM {REPETES}
            WHERE f.jour >= %(debut)s AND f.jour < %(fin)s
              AND (f.nature = 'decision' AND f.statut IN ('accordee', 'refusee')
                   OR f.nature IN ('signature', 'premier_versement'))
              AND (%(d)s::bigint IS NULL OR f.dispositif_id = %(d)s)
              AND (%(dir)s::bigint IS NULL OR f.direction_id = %(dir)s)
            GROUP BY f.nature
            """,
            {"d": dispositif_id, "dir": direction_id, **_annee(annee)},
            gros_tri=True,
        )
    }
    vide = {"n": 0, "p50": None, "p90": None}
    return [
        Delai(
            "paiement" if code == "premier_versement" else code,
            libelle,
            rangs.get(code, vide)["n"],
            arrondi(rangs.get(code, vide)["p50"]),
            arrondi(rangs.get(code, vide)["p90"]),
        )
        for code, libelle in LIBELLES_DELAIS.items()
    ]


def comparaison(*, dispositif_id: int, annee: int) -> dict:
    """The year against the one before: deposits, grants, refusals, amount granted; with the date
    of the table of facts they were read from (`calcule_le`)."""
    resultat = ligne(
        """
        SELECT coalesce(sum(nombre) FILTER (WHERE depot AND NOT avant), 0) AS deposees,
               coalesce(sum(nombre) FILTER (WHERE depot AND avant), 0) AS deposees_avant,
               coalesce(sum(nombre) FILTER (WHERE accordee AND NOT avant), 0) AS accordees,
               coalesce(sum(nombre) FILTER (WHERE accordee AND avant), 0) AS accordees_avant,
               coalesce(sum(nombre) FILTER (WHERE refusee AND NOT avant), 0) AS refusees,
               coalesce(sum(nombre) FILTER (WHERE refusee AND avant), 0) AS refusees_avant,
               coalesce(sum(montant) FILTER (WHERE accordee AND NOT avant), 0) AS montant,
               coalesce(sum(montant) FILTER (WHERE accordee AND avant), 0) AS montant_avant,
               (SELECT le FROM pilotage_calculagregats WHERE id = 1) AS calcule_le
        FROM (
            SELECT nombre, montant, jour < %(milieu)s AS avant, nature = 'depot' AS depot,
                   nature = 'decision' AND statut = 'accordee' AS accordee,
                   nature = 'decision' AND statut = 'refusee' AS refusee
            FROM pilotage_fait
            WHERE dispositif_id = %(d)s AND jour >= %(debut)s AND jour < %(fin)s AND nature IN ('depot', 'decision')
        ) f
        """,
        {"d": dispositif_id, "debut": date(annee - 1, 1, 1), "milieu": date(annee, 1, 1), "fin": date(annee + 1, 1, 1)},
    )
    resultat["taux_accord"] = taux(resultat["accordees"], resultat["accordees"] + resultat["refusees"])
    resultat["taux_accord_avant"] = taux(
        resultat["accordees_avant"], resultat["accordees_avant"] + resultat["refusees_avant"]
    )
    return resultat


# --- Cross-tables of pilotage ------------------------------------------------------------------

# Row dimensions: a whitelisted SQL expression over the `faits` rows (never user text in SQL).
DIMENSIONS = {
    "direction": "direction_id",
    "departement": "departement_id",
    "epci": "epci_id",
    "thematique": "thematique",
    "annee": "annee",
}


def tableau_croise(
    *,
    lignes: str,
    annee: int | None = None,
    direction_id: int | None = None,
    departement: str | None = None,
    epci_id: int | None = None,
    thematique: str | None = None,
    colonnes: tuple[str, ...] = (),
) -> list[dict]:
    """Requests received, applications deposited, aids granted (decision year), amount granted and
    companies accompanied, grouped by the `lignes` dimension (and the extra `colonnes`), for every
    direction unless filtered. One query, on the facts per year (`pilotage_faitannuel`, or
    `pilotage_faitannuelthematique` with a thématique).
    « Entreprises accompagnées »: distinct companies with a request, an application, a grant or an
    interaction in the cell. With a thématique (row or filter), an application counts once in each
    distinct thématique of its dispositif; requests and interactions have none."""
    dimensions = [lignes, *colonnes]
    if any(d not in DIMENSIONS for d in dimensions):
        raise ValueError(f"Dimension inconnue : {dimensions}")
    par_thematique = "thematique" in dimensions or bool(thematique)
    groupe = ", ".join(DIMENSIONS[d] for d in dimensions)
    return sql.lignes(
        f"""
        WITH faits AS (
            SELECT direction_id, departement_id, epci_id,
                   {"thematique" if par_thematique else "NULL::varchar AS thematique"}, annee, entreprise_id,
                   sollicitations AS sollicitation, deposees AS deposee, accordees AS accordee,
                   montant_accorde AS montant
            FROM {"pilotage_faitannuelthematique" if par_thematique else "pilotage_faitannuel"}
            WHERE (%(annee)s::int IS NULL OR annee = %(annee)s)
        )
        , par_entreprise AS (
            -- One row per cell and company (a hash aggregate), then count(entreprise_id) per cell is
            -- count(DISTINCT entreprise_id) without sorting every fact.
            SELECT {groupe}, entreprise_id, sum(sollicitation) AS sollicitations, sum(deposee) AS deposees,
                   sum(accordee) AS accordees, sum(montant) AS montant
            FROM faits
            WHERE (%(direction)s::bigint IS NULL OR direction_id = %(direction)s)
              AND (%(departement)s::varchar IS NULL OR departement_id = %(departement)s)
              AND (%(epci)s::bigint IS NULL OR epci_id = %(epci)s)
              AND (%(thematique)s::varchar IS NULL OR thematique = %(thematique)s)
            GROUP BY {groupe}, entreprise_id
        )
        SELECT {groupe},
               sum(sollicitations) AS sollicitations, sum(deposees) AS deposees, sum(accordees) AS accordees,
               coalesce(sum(montant), 0) AS montant, count(entreprise_id) AS entreprises
        FROM par_entreprise
        GROUP BY {groupe}
        ORDER BY {groupe}
        """,
        {
            "annee": annee,
            "direction": direction_id,
            "departement": departement,
            "epci": epci_id,
            "thematique": thematique,
        },
        gros_tri=True,
    )


def montants_par_habitant(*, annee: int) -> list[dict]:
    """Each EPCI: amount granted in the year to establishments on its territory, its population,
    the amount per inhabitant and its quartile among the EPCI that received something (ntile)."""
    return lignes(
        """
        WITH m AS (
            SELECT epci_id, sum(montant) AS montant, sum(nombre) AS aides
            FROM pilotage_fait
            WHERE nature = 'decision' AND statut = 'accordee' AND jour >= %(debut)s AND jour < %(fin)s
            GROUP BY epci_id
        ), e AS (
            SELECT ep.id, ep.siren, ep.nom, ep.population, coalesce(m.montant, 0) AS montant,
                   coalesce(m.aides, 0) AS aides,
                   round(coalesce(m.montant, 0) / nullif(ep.population, 0), 2) AS par_habitant
            FROM territoires_epci ep LEFT JOIN m ON m.epci_id = ep.id
        )
        SELECT e.*, CASE WHEN montant > 0 THEN ntile(4) OVER (
                   PARTITION BY montant > 0 ORDER BY par_habitant NULLS FIRST) ELSE 0 END AS quartile
        FROM e ORDER BY par_habitant DESC NULLS LAST, nom
        """,
        _annee(annee),
    )


# --- Public statistics ------------------------------------------------------------------------------

SEUIL_SECRET = 5  # no figure is published for a cell of fewer than 5 companies (statistical secrecy)


def publiques_demandes(*, annee: int) -> list[dict]:
    """Applications deposited and aids granted in the year by thématique (groupe 1) and by
    département (groupe 2), with the number of distinct companies of each cell (an application
    deposited or decided in the year); figures of a cell under the threshold are NULL."""
    return lignes(
        f"""
        WITH d AS (
            SELECT nature, statut, nombre, entreprise_id, departement_id, dispositif_id
            FROM pilotage_fait
            WHERE nature IN ('depot', 'decision') AND jour >= %(debut)s AND jour < %(fin)s
        ), cellules AS (
            SELECT th.thematique, NULL::varchar AS departement_id, 1 AS groupe,
                   coalesce(sum(d.nombre) FILTER (WHERE d.nature = 'depot'), 0) AS deposees,
                   coalesce(sum(d.nombre) FILTER (WHERE d.nature = 'decision' AND d.statut = 'accordee'), 0)
                       AS accordees,
                   count(DISTINCT d.entreprise_id) AS entreprises
            FROM d JOIN ({THEMATIQUES}) th ON th.dispositif_id = d.dispositif_id
            GROUP BY th.thematique
            UNION ALL
            SELECT NULL, d.departement_id, 2,
                   coalesce(sum(d.nombre) FILTER (WHERE d.nature = 'depot'), 0),
                   coalesce(sum(d.nombre) FILTER (WHERE d.nature = 'decision' AND d.statut = 'accordee'), 0),
                   count(DISTINCT d.entreprise_id)
            FROM d GROUP BY d.departement_id
        )
        SELECT thematique, departement_id, groupe, entreprises < {SEUIL_SECRET} AS masque,
               CASE WHEN entreprises >= {SEUIL_SECRET} THEN deposees END AS deposees,
               CASE WHEN entreprises >= {SEUIL_SECRET} THEN accordees END AS accordees
        FROM cellules ORDER BY groupe, thematique, departement_id
        """,
        _annee(annee),
        gros_tri=True,
    )


def publiques_par_annee() -> list[dict]:
    """Per year: aids granted and amount (year of decision), requests received and their median
    response delay, satisfaction; each figure hidden when fewer than 5 companies (requests,
    answers) make it."""
    return lignes(
        f"""
        WITH a_entreprise AS (
            SELECT extract(year FROM jour)::int AS annee, entreprise_id, sum(nombre) AS accordees,
                   sum(montant) AS montant
            FROM pilotage_fait WHERE nature = 'decision' AND statut = 'accordee' GROUP BY 1, 2
        ), a AS (
            SELECT annee, sum(accordees) AS accordees, sum(montant) AS montant, count(entreprise_id) AS entreprises
            FROM a_entreprise GROUP BY annee
        ), s AS (
            SELECT extract(year FROM f.jour)::int AS annee, count(*) AS recues,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY f.delai) AS delai_median,
                   count(f.delai) AS repondues
            FROM {REPETES} WHERE f.nature = 'sollicitation' GROUP BY 1
        ), q AS (
            SELECT extract(year FROM r.repondue_le AT TIME ZONE 'Europe/Paris')::int AS annee,
                   count(*) AS reponses, round(avg(r.utilite), 2) AS utilite, round(avg(r.simplicite), 2) AS simplicite
            FROM pilotage_reponseenquete r GROUP BY 1
        ), annees AS (SELECT annee FROM a UNION SELECT annee FROM s UNION SELECT annee FROM q)
        SELECT annees.annee,
               CASE WHEN a.entreprises >= {SEUIL_SECRET} THEN a.accordees END AS accordees,
               CASE WHEN a.entreprises >= {SEUIL_SECRET} THEN a.montant END AS montant,
               coalesce(a.entreprises, 0) < {SEUIL_SECRET} AS aides_masquees,
               CASE WHEN s.recues >= {SEUIL_SECRET} THEN s.recues END AS sollicitations,
               CASE WHEN s.repondues >= {SEUIL_SECRET} THEN s.delai_median END AS delai_reponse_median,
               coalesce(s.recues, 0) < {SEUIL_SECRET} AS sollicitations_masquees,
               CASE WHEN q.reponses >= {SEUIL_SECRET} THEN q.reponses END AS avis,
               CASE WHEN q.reponses >= {SEUIL_SECRET} THEN q.utilite END AS utilite,
               CASE WHEN q.reponses >= {SEUIL_SECRET} THEN q.simplicite END AS simplicite,
               coalesce(q.reponses, 0) < {SEUIL_SECRET} AS avis_masques
        FROM annees LEFT JOIN a USING (annee) LEFT JOIN s USING (annee) LEFT JOIN q USING (annee)
        WHERE annees.annee IS NOT NULL
        ORDER BY annees.annee
        """,
        gros_tri=True,
    )

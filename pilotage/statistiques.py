"""The figures of pilotage, computed by PostgreSQL (aggregates, FILTER, window functions,
percentile_cont), a fixed number of queries whatever the volume.

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
  between the two nearest values (median of 2, 4, 10, 30 = 7; its 90th percentile = 24).
"""

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

PARIS = ZoneInfo("Europe/Paris")
TZ = "'Europe/Paris'"


def debut_annee(annee: int) -> datetime:
    return datetime.combine(date(annee, 1, 1), time.min, tzinfo=PARIS)


# The distinct counts and percentiles sort tens of thousands of rows: in memory, not on disk (the
# default 4 MB spills). SET LOCAL lasts until the end of the transaction opened for the query.
MEMOIRE_TRI = "64MB"


def _lignes(sql: str, parametres: dict | list | None = None, *, gros_tri: bool = False) -> list[dict]:
    if gros_tri:
        with transaction.atomic(), connection.cursor() as curseur:
            curseur.execute("SELECT set_config('work_mem', %s, true)", [MEMOIRE_TRI])
            return _executer(curseur, sql, parametres)
    with connection.cursor() as curseur:
        return _executer(curseur, sql, parametres)


def _executer(curseur, sql: str, parametres) -> list[dict]:
    curseur.execute(sql, parametres or {})
    noms = [colonne.name for colonne in curseur.description]
    return [dict(zip(noms, ligne, strict=True)) for ligne in curseur.fetchall()]


def en_cache(cle: str, calcul):
    """The figures change slowly: keep a computed result STATISTIQUES_CACHE_SECONDES (0: never)."""
    duree = settings.STATISTIQUES_CACHE_SECONDES
    if not duree:
        return calcul()
    cle = f"pilotage:{cle}"
    valeur = cache.get(cle)
    if valeur is None:
        valeur = calcul()
        cache.set(cle, valeur, duree)
    return valeur


def _ligne(sql: str, parametres: dict | None = None) -> dict:
    return _lignes(sql, parametres)[0]


def arrondi(valeur: float | None) -> float | None:
    """percentile_cont works in double precision: 24.000000000000004 reads 24.0."""
    return None if valeur is None else round(valeur, 1)


def taux(numerateur, denominateur) -> float | None:
    return round(float(numerateur) * 100 / float(denominateur), 1) if denominateur else None


# --- The dashboard's figures -----------------------------------------------------------------------


def chiffres_annee(*, annee: int, direction_id: int | None = None) -> dict:
    """The year's figures of one direction (or all): one query, each table read once for the year."""
    p = {
        "debut": debut_annee(annee),
        "fin": debut_annee(annee + 1),
        "debut_jour": date(annee, 1, 1),
        "fin_jour": date(annee + 1, 1, 1),
        "direction": direction_id,
    }
    ligne = _ligne(
        f"""
        WITH d AS NOT MATERIALIZED (
            SELECT dem.statut, dem.depose_le, dem.decidee_le, dem.montant_accorde, e.entreprise_id,
                   dem.depose_le >= %(debut)s AND dem.depose_le < %(fin)s AS deposee_annee,
                   dem.decidee_le >= %(debut)s AND dem.decidee_le < %(fin)s AS decidee_annee
            FROM aides_demande dem
            JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            JOIN crm_etablissement e ON e.id = dem.etablissement_id
            WHERE dem.statut <> 'brouillon'
              AND (dem.depose_le >= %(debut)s AND dem.depose_le < %(fin)s
                   OR dem.decidee_le >= %(debut)s AND dem.decidee_le < %(fin)s)
              AND (%(direction)s::bigint IS NULL OR disp.direction_id = %(direction)s)
        ), s AS NOT MATERIALIZED (
            SELECT * FROM crm_sollicitation
            WHERE cree_le >= %(debut)s AND cree_le < %(fin)s
              AND (%(direction)s::bigint IS NULL OR direction_id = %(direction)s)
        ), demandes AS (
            SELECT count(*) FILTER (WHERE deposee_annee) AS deposees,
                   count(*) FILTER (WHERE decidee_annee AND statut = 'accordee') AS accordees,
                   count(*) FILTER (WHERE decidee_annee AND statut = 'refusee') AS refusees,
                   coalesce(sum(montant_accorde) FILTER (WHERE decidee_annee AND statut = 'accordee'), 0)
                       AS montant_accorde,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY (decidee_le AT TIME ZONE {TZ})::date - (depose_le AT TIME ZONE {TZ})::date
                   ) FILTER (WHERE decidee_annee AND statut IN ('accordee', 'refusee')) AS delai_decision_median
            FROM d
        )
        SELECT demandes.*,
            (SELECT coalesce(sum(v.montant), 0) FROM aides_versement v
              JOIN aides_conventionaide c ON c.id = v.convention_id
              WHERE v.etat = 'paye' AND v.paye_le >= %(debut)s AND v.paye_le < %(fin)s
                AND (%(direction)s::bigint IS NULL OR c.direction_id = %(direction)s)) AS montant_verse,
            (SELECT count(*) FROM s) AS sollicitations,
            (SELECT percentile_cont(0.5) WITHIN GROUP (
                ORDER BY (repondue_le AT TIME ZONE {TZ})::date - (cree_le AT TIME ZONE {TZ})::date)
              FROM s WHERE repondue_le IS NOT NULL) AS delai_reponse_median,
            (SELECT count(DISTINCT entreprise_id) FROM (
                SELECT entreprise_id FROM d WHERE deposee_annee
                UNION ALL SELECT entreprise_id FROM s WHERE entreprise_id IS NOT NULL
                UNION ALL SELECT i.entreprise_id FROM crm_interaction i
                  JOIN portal_user u ON u.id = i.auteur_id
                  WHERE i.date >= %(debut_jour)s AND i.date < %(fin_jour)s
                    AND (%(direction)s::bigint IS NULL OR u.direction_id = %(direction)s)
            ) a) AS entreprises
        FROM demandes
        """,
        p,
    )
    ligne["taux_accord"] = taux(ligne["accordees"], ligne["accordees"] + ligne["refusees"])
    ligne["delai_decision_median"] = arrondi(ligne["delai_decision_median"])
    ligne["delai_reponse_median"] = arrondi(ligne["delai_reponse_median"])
    return ligne


# --- One dispositif ----------------------------------------------------------------------------


MOIS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]


def demandes_par_statut(*, dispositif_id: int, annee: int) -> list[dict]:
    """Applications deposited in the year, by their state today."""
    return _lignes(
        """
        SELECT statut, count(*) AS nombre
        FROM aides_demande
        WHERE dispositif_id = %(d)s AND statut <> 'brouillon' AND depose_le >= %(debut)s AND depose_le < %(fin)s
        GROUP BY statut
        """,
        {"d": dispositif_id, "debut": debut_annee(annee), "fin": debut_annee(annee + 1)},
    )


def demandes_par_mois(*, dispositif_id: int, annee: int) -> list[dict]:
    """Per month of the year: applications deposited, granted and refused (decided that month)."""
    return _lignes(
        f"""
        WITH mois AS (SELECT generate_series(1, 12) AS mois),
        d AS (
            SELECT statut, extract(month FROM depose_le AT TIME ZONE {TZ})::int AS mois_depot,
                   extract(year FROM depose_le AT TIME ZONE {TZ})::int AS annee_depot,
                   extract(month FROM decidee_le AT TIME ZONE {TZ})::int AS mois_decision,
                   extract(year FROM decidee_le AT TIME ZONE {TZ})::int AS annee_decision
            FROM aides_demande
            WHERE dispositif_id = %(d)s AND statut <> 'brouillon'
              AND (depose_le >= %(debut)s AND depose_le < %(fin)s OR decidee_le >= %(debut)s AND decidee_le < %(fin)s)
        )
        SELECT m.mois,
               count(*) FILTER (WHERE d.annee_depot = %(annee)s AND d.mois_depot = m.mois) AS deposees,
               count(*) FILTER (WHERE d.annee_decision = %(annee)s AND d.mois_decision = m.mois
                                AND d.statut = 'accordee') AS accordees,
               count(*) FILTER (WHERE d.annee_decision = %(annee)s AND d.mois_decision = m.mois
                                AND d.statut = 'refusee') AS refusees
        FROM mois m LEFT JOIN d ON d.mois_depot = m.mois OR d.mois_decision = m.mois
        GROUP BY m.mois ORDER BY m.mois
        """,
        {"d": dispositif_id, "annee": annee, "debut": debut_annee(annee), "fin": debut_annee(annee + 1)},
    )


def montants_par_annee(*, dispositif_id: int | None = None, direction_id: int | None = None) -> list[dict]:
    """Per year: amounts requested (deposit year), granted (decision year), paid (payment year)."""
    return _lignes(
        f"""
        WITH m AS (
            SELECT extract(year FROM dem.depose_le AT TIME ZONE {TZ})::int AS annee,
                   dem.montant_demande AS demande, 0::numeric AS accorde, 0::numeric AS verse
            FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            WHERE dem.statut <> 'brouillon'
              AND (%(d)s::bigint IS NULL OR dem.dispositif_id = %(d)s)
              AND (%(dir)s::bigint IS NULL OR disp.direction_id = %(dir)s)
            UNION ALL
            SELECT extract(year FROM dem.decidee_le AT TIME ZONE {TZ})::int, 0, dem.montant_accorde, 0
            FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            WHERE dem.statut = 'accordee'
              AND (%(d)s::bigint IS NULL OR dem.dispositif_id = %(d)s)
              AND (%(dir)s::bigint IS NULL OR disp.direction_id = %(dir)s)
            UNION ALL
            SELECT extract(year FROM v.paye_le AT TIME ZONE {TZ})::int, 0, 0, v.montant
            FROM aides_versement v JOIN aides_conventionaide c ON c.id = v.convention_id
            WHERE v.etat = 'paye'
              AND (%(d)s::bigint IS NULL OR c.dispositif_id = %(d)s)
              AND (%(dir)s::bigint IS NULL OR c.direction_id = %(dir)s)
        )
        SELECT annee, coalesce(sum(demande), 0) AS demande, coalesce(sum(accorde), 0) AS accorde,
               coalesce(sum(verse), 0) AS verse
        FROM m GROUP BY annee ORDER BY annee
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


def delais(*, annee: int, dispositif_id: int | None = None, direction_id: int | None = None) -> list[Delai]:
    """Median and 90th percentile (percentile_cont) of the three delays ending in the year."""
    p = {"d": dispositif_id, "dir": direction_id, "debut": debut_annee(annee), "fin": debut_annee(annee + 1)}
    ligne = _ligne(
        f"""
        WITH decision AS (
            SELECT (dem.decidee_le AT TIME ZONE {TZ})::date - (dem.depose_le AT TIME ZONE {TZ})::date AS jours
            FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            WHERE dem.statut IN ('accordee', 'refusee') AND dem.decidee_le >= %(debut)s AND dem.decidee_le < %(fin)s
              AND (%(d)s::bigint IS NULL OR dem.dispositif_id = %(d)s)
              AND (%(dir)s::bigint IS NULL OR disp.direction_id = %(dir)s)
        ), signatures AS NOT MATERIALIZED (
            -- The step « signée par la Région » (the circuit passes it once); direction and dispositif
            -- are copied on the step row, so the filters need no join.
            SELECT e.convention_id, e.le AS signee_le
            FROM aides_etapeconvention e
            WHERE e.vers = 'signee_region'
              AND (%(d)s::bigint IS NULL OR e.dispositif_id = %(d)s)
              AND (%(dir)s::bigint IS NULL OR e.direction_id = %(dir)s)
        ), signature AS (
            SELECT (s.signee_le AT TIME ZONE {TZ})::date - (dem.decidee_le AT TIME ZONE {TZ})::date AS jours
            FROM signatures s JOIN aides_conventionaide c ON c.id = s.convention_id
            JOIN aides_demande dem ON dem.id = c.demande_id
            WHERE s.signee_le >= %(debut)s AND s.signee_le < %(fin)s
        ), premiers AS (
            SELECT v.convention_id, min(v.paye_le) AS premier
            FROM aides_versement v
            WHERE v.etat = 'paye' AND v.convention_id IN (
                SELECT convention_id FROM aides_versement
                WHERE etat = 'paye' AND paye_le >= %(debut)s AND paye_le < %(fin)s)
            GROUP BY v.convention_id
            HAVING min(v.paye_le) >= %(debut)s
        ), paiement AS (
            SELECT (p.premier AT TIME ZONE {TZ})::date - (min(s.signee_le) AT TIME ZONE {TZ})::date AS jours
            FROM premiers p JOIN signatures s ON s.convention_id = p.convention_id
            GROUP BY p.convention_id, p.premier
        )
        SELECT
            (SELECT count(*) FROM decision) AS decision_n,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY jours) FROM decision) AS decision_p50,
            (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY jours) FROM decision) AS decision_p90,
            (SELECT count(*) FROM signature) AS signature_n,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY jours) FROM signature) AS signature_p50,
            (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY jours) FROM signature) AS signature_p90,
            (SELECT count(*) FROM paiement) AS paiement_n,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY jours) FROM paiement) AS paiement_p50,
            (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY jours) FROM paiement) AS paiement_p90
        """,
        p,
    )
    libelles = {
        "decision": "Du dépôt à la décision",
        "signature": "De la décision à la signature de la convention",
        "paiement": "De la signature au premier versement",
    }
    return [
        Delai(code, libelle, ligne[f"{code}_n"], arrondi(ligne[f"{code}_p50"]), arrondi(ligne[f"{code}_p90"]))
        for code, libelle in libelles.items()
    ]


def de_minimis(*, dispositif_id: int, le: date) -> dict:
    """De minimis consumption over the rolling three years ending `le`: amounts granted by this
    dispositif, companies concerned, and how many are close to the €300,000 ceiling (≥ 80 %) when
    counting every aid granted here and declared by the company over the same years."""
    try:
        debut = le.replace(year=le.year - 3)
    except ValueError:  # 29 February
        debut = le.replace(year=le.year - 3, day=28)
    return _ligne(
        """
        WITH entreprises AS (
            SELECT DISTINCT et.entreprise_id
            FROM aides_demande dem JOIN crm_etablissement et ON et.id = dem.etablissement_id
            WHERE dem.dispositif_id = %(d)s AND dem.statut = 'accordee' AND dem.decidee_le >= %(debut)s
        ), ici AS (
            SELECT et.entreprise_id, sum(dem.montant_accorde) AS montant
            FROM aides_demande dem JOIN crm_etablissement et ON et.id = dem.etablissement_id
            JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            WHERE dem.statut = 'accordee' AND disp.regime = 'de-minimis' AND dem.decidee_le >= %(debut)s
              AND et.entreprise_id IN (SELECT entreprise_id FROM entreprises)
            GROUP BY et.entreprise_id
        ), declarees AS (
            SELECT entreprise_id, sum(montant) AS montant FROM aides_declarationdeminimis
            WHERE date_octroi >= %(debut)s AND entreprise_id IN (SELECT entreprise_id FROM entreprises)
            GROUP BY entreprise_id
        ), totaux AS (
            SELECT en.entreprise_id, coalesce(ici.montant, 0) + coalesce(declarees.montant, 0) AS total
            FROM entreprises en LEFT JOIN ici USING (entreprise_id) LEFT JOIN declarees USING (entreprise_id)
        )
        SELECT
            (SELECT coalesce(sum(dem.montant_accorde), 0) FROM aides_demande dem
              WHERE dem.dispositif_id = %(d)s AND dem.statut = 'accordee' AND dem.decidee_le >= %(debut)s) AS montant,
            (SELECT count(*) FROM totaux) AS entreprises,
            (SELECT count(*) FROM totaux WHERE total >= 240000) AS proches_plafond,
            (SELECT max(total) FROM totaux) AS total_max
        """,
        {"d": dispositif_id, "debut": debut},
    )


def repartition_entreprises(*, annee: int, dispositif_id: int | None = None) -> dict[str, list[dict]]:
    """Companies that deposited in the year, by size band, NAF division, département and EPCI, with
    their share (a window function over each grouping set). A company counts once per dimension."""
    lignes = _lignes(
        """
        WITH e AS (
            SELECT DISTINCT ent.id, coalesce(nullif(ent.tranche_effectifs, ''), 'NN') AS tranche,
                   coalesce(nullif(left(coalesce(nullif(ent.naf, ''), et.naf), 2), ''), '??') AS division,
                   c.departement_id AS departement, c.epci_id AS epci
            FROM aides_demande dem
            JOIN crm_etablissement et ON et.id = dem.etablissement_id
            JOIN crm_entreprise ent ON ent.id = et.entreprise_id
            JOIN territoires_commune c ON c.id = et.commune_id
            WHERE dem.statut <> 'brouillon' AND dem.depose_le >= %(debut)s AND dem.depose_le < %(fin)s
              AND (%(d)s::bigint IS NULL OR dem.dispositif_id = %(d)s)
        )
        SELECT tranche, division, departement, epci,
               GROUPING(tranche, division, departement, epci) AS groupe,
               count(DISTINCT id) AS nombre,
               sum(count(DISTINCT id)) OVER (PARTITION BY GROUPING(tranche, division, departement, epci)) AS total
        FROM e
        GROUP BY GROUPING SETS ((tranche), (division), (departement), (epci))
        """,
        {"d": dispositif_id, "debut": debut_annee(annee), "fin": debut_annee(annee + 1)},
    )
    resultat: dict[str, list[dict]] = {"tranche": [], "division": [], "departement": [], "epci": []}
    for ligne in lignes:
        for dimension in resultat:
            if ligne[dimension] is not None:
                resultat[dimension].append(
                    {"cle": ligne[dimension], "nombre": ligne["nombre"], "part": taux(ligne["nombre"], ligne["total"])}
                )
    return resultat


def comparaison(*, dispositif_id: int, annee: int) -> dict:
    """The year against the one before: deposits, grants, refusals, amount granted, companies."""
    p = {
        "d": dispositif_id,
        "debut": debut_annee(annee - 1),
        "milieu": debut_annee(annee),
        "fin": debut_annee(annee + 1),
    }
    ligne = _ligne(
        """
        SELECT
            count(*) FILTER (WHERE depose_le >= %(milieu)s AND depose_le < %(fin)s) AS deposees,
            count(*) FILTER (WHERE depose_le >= %(debut)s AND depose_le < %(milieu)s) AS deposees_avant,
            count(*) FILTER (WHERE statut = 'accordee' AND decidee_le >= %(milieu)s AND decidee_le < %(fin)s)
                AS accordees,
            count(*) FILTER (WHERE statut = 'accordee' AND decidee_le >= %(debut)s AND decidee_le < %(milieu)s)
                AS accordees_avant,
            count(*) FILTER (WHERE statut = 'refusee' AND decidee_le >= %(milieu)s AND decidee_le < %(fin)s)
                AS refusees,
            count(*) FILTER (WHERE statut = 'refusee' AND decidee_le >= %(debut)s AND decidee_le < %(milieu)s)
                AS refusees_avant,
            coalesce(sum(montant_accorde) FILTER (WHERE statut = 'accordee' AND decidee_le >= %(milieu)s
                                                  AND decidee_le < %(fin)s), 0) AS montant,
            coalesce(sum(montant_accorde) FILTER (WHERE statut = 'accordee' AND decidee_le >= %(debut)s
                                                  AND decidee_le < %(milieu)s), 0) AS montant_avant
        FROM aides_demande
        WHERE dispositif_id = %(d)s AND statut <> 'brouillon'
          AND (depose_le >= %(debut)s OR decidee_le >= %(debut)s)
        """,
        p,
    )
    ligne["taux_accord"] = taux(ligne["accordees"], ligne["accordees"] + ligne["refusees"])
    ligne["taux_accord_avant"] = taux(ligne["accordees_avant"], ligne["accordees_avant"] + ligne["refusees_avant"])
    return ligne


# --- Cross-tables of pilotage ------------------------------------------------------------------

# Row dimensions: a whitelisted SQL expression over the `faits` rows (never user text in SQL).
DIMENSIONS = {
    "direction": "direction_id",
    "departement": "departement_id",
    "epci": "epci_id",
    "thematique": "thematique",
    "annee": "annee",
}


def _faits_sql(par_thematique: bool, annee: int | None) -> str:
    """Every fact of pilotage as one row: a request received, an application deposited, an aid
    granted, a company met (interaction). Direction: the request's, the dispositif's, the author's;
    territory: the commune of the request or of the establishment; year: of receipt, deposit,
    decision, meeting (each branch filtered on its own date column, so indexes serve a year). With
    `par_thematique`, an application counts once per thématique of its dispositif (requests and
    interactions have no thématique)."""
    thematique = (
        "unnest(CASE WHEN cardinality(disp.thematiques) = 0 THEN ARRAY[NULL]::varchar[] ELSE disp.thematiques END)"
        if par_thematique
        else "NULL::varchar"
    )

    def periode(colonne: str, jour: bool = False) -> str:
        if annee is None:
            return ""
        if jour:
            return f" AND {colonne} >= %(debut_jour)s AND {colonne} < %(fin_jour)s"
        return f" AND {colonne} >= %(debut)s AND {colonne} < %(fin)s"

    return f"""
        SELECT s.direction_id, c.departement_id, c.epci_id, NULL::varchar AS thematique,
               extract(year FROM s.cree_le AT TIME ZONE {TZ})::int AS annee,
               1 AS sollicitation, 0 AS deposee, 0 AS accordee, 0::numeric AS montant, s.entreprise_id
        FROM crm_sollicitation s JOIN territoires_commune c ON c.id = s.commune_id
        WHERE true{periode("s.cree_le")}
        UNION ALL
        SELECT disp.direction_id, c.departement_id, c.epci_id, {thematique},
               extract(year FROM dem.depose_le AT TIME ZONE {TZ})::int, 0, 1, 0, 0, et.entreprise_id
        FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
        JOIN crm_etablissement et ON et.id = dem.etablissement_id
        JOIN territoires_commune c ON c.id = et.commune_id
        WHERE dem.statut <> 'brouillon'{periode("dem.depose_le")}
        UNION ALL
        SELECT disp.direction_id, c.departement_id, c.epci_id, {thematique},
               extract(year FROM dem.decidee_le AT TIME ZONE {TZ})::int, 0, 0, 1, dem.montant_accorde, et.entreprise_id
        FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
        JOIN crm_etablissement et ON et.id = dem.etablissement_id
        JOIN territoires_commune c ON c.id = et.commune_id
        WHERE dem.statut = 'accordee'{periode("dem.decidee_le")}
        UNION ALL
        SELECT u.direction_id, c.departement_id, c.epci_id, NULL::varchar,
               extract(year FROM i.date)::int, 0, 0, 0, 0, i.entreprise_id
        FROM crm_interaction i JOIN portal_user u ON u.id = i.auteur_id
        LEFT JOIN crm_etablissement et ON et.id = i.etablissement_id
        LEFT JOIN territoires_commune c ON c.id = et.commune_id
        WHERE true{periode("i.date", jour=True)}
    """


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
    """Requests, applications, grants, amount granted and companies accompanied, grouped by the
    `lignes` dimension (and the extra `colonnes` dimensions), for every direction unless filtered.
    One query. « Entreprises accompagnées »: distinct companies with a request, an application or
    an interaction in the cell."""
    dimensions = [lignes, *colonnes]
    if any(d not in DIMENSIONS for d in dimensions):
        raise ValueError(f"Dimension inconnue : {dimensions}")
    par_thematique = "thematique" in dimensions or bool(thematique)
    groupe = ", ".join(DIMENSIONS[d] for d in dimensions)
    return _lignes(
        f"""
        WITH faits AS ({_faits_sql(par_thematique, annee)})
        SELECT {groupe},
               sum(sollicitation) AS sollicitations, sum(deposee) AS deposees, sum(accordee) AS accordees,
               coalesce(sum(montant), 0) AS montant, count(DISTINCT entreprise_id) AS entreprises
        FROM faits
        WHERE (%(annee)s::int IS NULL OR annee = %(annee)s)
          AND (%(direction)s::bigint IS NULL OR direction_id = %(direction)s)
          AND (%(departement)s::varchar IS NULL OR departement_id = %(departement)s)
          AND (%(epci)s::bigint IS NULL OR epci_id = %(epci)s)
          AND (%(thematique)s::varchar IS NULL OR thematique = %(thematique)s)
        GROUP BY {groupe}
        ORDER BY {groupe}
        """,
        {
            "annee": annee,
            "debut": debut_annee(annee) if annee else None,
            "fin": debut_annee(annee + 1) if annee else None,
            "debut_jour": date(annee, 1, 1) if annee else None,
            "fin_jour": date(annee + 1, 1, 1) if annee else None,
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
    return _lignes(
        """
        WITH m AS (
            SELECT c.epci_id, sum(dem.montant_accorde) AS montant, count(*) AS aides
            FROM aides_demande dem JOIN crm_etablissement et ON et.id = dem.etablissement_id
            JOIN territoires_commune c ON c.id = et.commune_id
            WHERE dem.statut = 'accordee' AND dem.decidee_le >= %(debut)s AND dem.decidee_le < %(fin)s
            GROUP BY c.epci_id
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
        {"debut": debut_annee(annee), "fin": debut_annee(annee + 1)},
    )


# --- Satisfaction ---------------------------------------------------------------------------------

DIMENSIONS_SATISFACTION = {
    "direction": "e.direction_id",
    "dispositif": "e.dispositif_id",
    "departement": "c.departement_id",
    "epci": "c.epci_id",
    "occasion": "e.occasion",
}


def satisfaction(*, par: str = "direction", annee: int | None = None) -> list[dict]:
    """Surveys sent and answered, mean marks (1 to 4) and share of satisfied answers (mark ≥ 3 on
    both questions), grouped by `par`; a survey counts in the year it was sent."""
    if par not in DIMENSIONS_SATISFACTION:
        raise ValueError(par)
    cle = DIMENSIONS_SATISFACTION[par]
    p = {"debut": debut_annee(annee) if annee else None, "fin": debut_annee(annee + 1) if annee else None}
    return _lignes(
        f"""
        SELECT {cle} AS cle, count(*) AS envoyees, count(r.enquete_id) AS reponses,
               round(avg(r.utilite), 2) AS utilite, round(avg(r.simplicite), 2) AS simplicite,
               round(100.0 * count(*) FILTER (WHERE r.utilite >= 3 AND r.simplicite >= 3)
                     / nullif(count(r.enquete_id), 0), 1) AS part_satisfaits
        FROM pilotage_enquete e
        LEFT JOIN pilotage_reponseenquete r ON r.enquete_id = e.id
        LEFT JOIN territoires_commune c ON c.id = e.commune_id
        WHERE (%(debut)s::timestamptz IS NULL OR e.envoyee_le >= %(debut)s AND e.envoyee_le < %(fin)s)
        GROUP BY {cle} ORDER BY {cle}
        """,
        p,
    )


# --- Impact indicators ---------------------------------------------------------------------------

DIMENSIONS_INDICATEURS = {
    "dispositif": "dem.dispositif_id",
    "departement": "c.departement_id",
    "annee": "extract(year FROM dem.decidee_le AT TIME ZONE 'Europe/Paris')::int",
}


def indicateurs(*, par: str, annee: int | None = None, dispositif_id: int | None = None) -> list[dict]:
    """Per indicator type and `par` (dispositif, département or year of the grant): granted
    applications, sum of the expected values, and of the realised values where the final report
    gave one (with how many did)."""
    cle = DIMENSIONS_INDICATEURS[par]
    return _lignes(
        f"""
        SELECT t.id AS type_id, t.libelle, t.unite, {cle} AS cle,
               count(*) AS demandes, sum(v.valeur_prevue) AS prevu,
               count(v.valeur_realisee) AS avec_realise, sum(v.valeur_realisee) AS realise
        FROM aides_valeurindicateur v
        JOIN aides_typeindicateur t ON t.id = v.type_id
        JOIN aides_demande dem ON dem.id = v.demande_id AND dem.statut = 'accordee'
        JOIN crm_etablissement et ON et.id = dem.etablissement_id
        JOIN territoires_commune c ON c.id = et.commune_id
        WHERE (%(debut)s::timestamptz IS NULL OR dem.decidee_le >= %(debut)s AND dem.decidee_le < %(fin)s)
          AND (%(d)s::bigint IS NULL OR dem.dispositif_id = %(d)s)
        GROUP BY t.id, t.libelle, t.unite, t.ordre, {cle}
        ORDER BY t.ordre, t.libelle, {cle}
        """,
        {
            "debut": debut_annee(annee) if annee else None,
            "fin": debut_annee(annee + 1) if annee else None,
            "d": dispositif_id,
        },
    )


# --- Public statistics ------------------------------------------------------------------------------

SEUIL_SECRET = 5  # no figure is published for a cell of fewer than 5 companies (statistical secrecy)


def publiques_demandes(*, annee: int) -> list[dict]:
    """Applications deposited and aids granted in the year by thématique and by département, with
    the number of distinct companies of each cell; figures of a cell under the threshold are NULL."""
    return _lignes(
        f"""
        WITH d AS (
            SELECT dem.id, dem.statut, dem.depose_le, dem.decidee_le, et.entreprise_id, c.departement_id,
                   unnest(CASE WHEN cardinality(disp.thematiques) = 0 THEN ARRAY[NULL]::varchar[]
                               ELSE disp.thematiques END) AS thematique
            FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            JOIN crm_etablissement et ON et.id = dem.etablissement_id
            JOIN territoires_commune c ON c.id = et.commune_id
            WHERE dem.statut <> 'brouillon'
              AND (dem.depose_le >= %(debut)s AND dem.depose_le < %(fin)s
                   OR dem.decidee_le >= %(debut)s AND dem.decidee_le < %(fin)s)
        ), cellules AS (
            SELECT thematique, departement_id, GROUPING(thematique, departement_id) AS groupe,
                   count(DISTINCT id) FILTER (WHERE depose_le >= %(debut)s AND depose_le < %(fin)s) AS deposees,
                   count(DISTINCT id) FILTER (WHERE statut = 'accordee' AND decidee_le >= %(debut)s
                                              AND decidee_le < %(fin)s) AS accordees,
                   count(DISTINCT entreprise_id) AS entreprises
            FROM d
            GROUP BY GROUPING SETS ((thematique), (departement_id))
        )
        SELECT thematique, departement_id, groupe, entreprises < {SEUIL_SECRET} AS masque,
               CASE WHEN entreprises >= {SEUIL_SECRET} THEN deposees END AS deposees,
               CASE WHEN entreprises >= {SEUIL_SECRET} THEN accordees END AS accordees
        FROM cellules ORDER BY groupe, thematique, departement_id
        """,
        {"debut": debut_annee(annee), "fin": debut_annee(annee + 1)},
        gros_tri=True,
    )


def publiques_par_annee() -> list[dict]:
    """Per year: aids granted and amount (year of decision), requests received and their median
    response delay, satisfaction; each figure hidden when fewer than 5 companies (requests,
    answers) make it."""
    return _lignes(
        f"""
        WITH a AS (
            SELECT extract(year FROM dem.decidee_le AT TIME ZONE {TZ})::int AS annee,
                   count(*) AS accordees, sum(dem.montant_accorde) AS montant,
                   count(DISTINCT et.entreprise_id) AS entreprises
            FROM aides_demande dem JOIN crm_etablissement et ON et.id = dem.etablissement_id
            WHERE dem.statut = 'accordee' GROUP BY 1
        ), s AS (
            SELECT extract(year FROM cree_le AT TIME ZONE {TZ})::int AS annee, count(*) AS recues,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY (repondue_le AT TIME ZONE {TZ})::date - (cree_le AT TIME ZONE {TZ})::date
                   ) FILTER (WHERE repondue_le IS NOT NULL) AS delai_median,
                   count(repondue_le) AS repondues
            FROM crm_sollicitation GROUP BY 1
        ), q AS (
            SELECT extract(year FROM r.repondue_le AT TIME ZONE {TZ})::int AS annee, count(*) AS reponses,
                   round(avg(r.utilite), 2) AS utilite, round(avg(r.simplicite), 2) AS simplicite
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


def aides_publiees() -> list[dict]:
    """Published dispositifs by thématique (a dispositif counts in each of its thématiques), and the total."""
    return _lignes(
        """
        SELECT t AS thematique, count(DISTINCT d.id) AS nombre
        FROM aides_dispositif d, unnest(d.thematiques) AS t
        WHERE d.statut = 'publie' GROUP BY ROLLUP (t) ORDER BY t NULLS LAST
        """
    )

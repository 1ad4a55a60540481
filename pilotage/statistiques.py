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

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import connection

PARIS = ZoneInfo("Europe/Paris")
TZ = "'Europe/Paris'"


def debut_annee(annee: int) -> datetime:
    return datetime.combine(date(annee, 1, 1), time.min, tzinfo=PARIS)


def _lignes(sql: str, parametres: dict | list | None = None) -> list[dict]:
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres or {})
        noms = [colonne.name for colonne in curseur.description]
        return [dict(zip(noms, ligne, strict=True)) for ligne in curseur.fetchall()]


def _ligne(sql: str, parametres: dict | None = None) -> dict:
    return _lignes(sql, parametres)[0]


def taux(numerateur, denominateur) -> float | None:
    return round(float(numerateur) * 100 / float(denominateur), 1) if denominateur else None


# --- The dashboard's figures -----------------------------------------------------------------------


def chiffres_annee(*, annee: int, direction_id: int | None = None) -> dict:
    """The year's figures of one direction (or all): one query."""
    p = {"debut": debut_annee(annee), "fin": debut_annee(annee + 1), "direction": direction_id}
    ligne = _ligne(
        f"""
        WITH d AS (
            SELECT dem.*, e.entreprise_id
            FROM aides_demande dem
            JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
            JOIN crm_etablissement e ON e.id = dem.etablissement_id
            WHERE dem.statut <> 'brouillon'
              AND (%(direction)s::bigint IS NULL OR disp.direction_id = %(direction)s)
        ), s AS (
            SELECT * FROM crm_sollicitation
            WHERE cree_le >= %(debut)s AND cree_le < %(fin)s
              AND (%(direction)s::bigint IS NULL OR direction_id = %(direction)s)
        )
        SELECT
            (SELECT count(*) FROM d WHERE depose_le >= %(debut)s AND depose_le < %(fin)s) AS deposees,
            (SELECT count(*) FROM d WHERE statut = 'accordee' AND decidee_le >= %(debut)s AND decidee_le < %(fin)s)
                AS accordees,
            (SELECT count(*) FROM d WHERE statut = 'refusee' AND decidee_le >= %(debut)s AND decidee_le < %(fin)s)
                AS refusees,
            (SELECT coalesce(sum(montant_accorde), 0) FROM d
              WHERE statut = 'accordee' AND decidee_le >= %(debut)s AND decidee_le < %(fin)s) AS montant_accorde,
            (SELECT percentile_cont(0.5) WITHIN GROUP (
                ORDER BY (decidee_le AT TIME ZONE {TZ})::date - (depose_le AT TIME ZONE {TZ})::date)
              FROM d WHERE statut IN ('accordee', 'refusee')
               AND decidee_le >= %(debut)s AND decidee_le < %(fin)s) AS delai_decision_median,
            (SELECT coalesce(sum(v.montant), 0) FROM aides_versement v
              JOIN aides_conventionaide c ON c.id = v.convention_id
              WHERE v.etat = 'paye' AND v.paye_le >= %(debut)s AND v.paye_le < %(fin)s
                AND (%(direction)s::bigint IS NULL OR c.direction_id = %(direction)s)) AS montant_verse,
            (SELECT count(*) FROM s) AS sollicitations,
            (SELECT percentile_cont(0.5) WITHIN GROUP (
                ORDER BY (repondue_le AT TIME ZONE {TZ})::date - (cree_le AT TIME ZONE {TZ})::date)
              FROM s WHERE repondue_le IS NOT NULL) AS delai_reponse_median,
            (SELECT count(DISTINCT entreprise_id) FROM (
                SELECT entreprise_id FROM d WHERE depose_le >= %(debut)s AND depose_le < %(fin)s
                UNION ALL SELECT entreprise_id FROM s WHERE entreprise_id IS NOT NULL
                UNION ALL SELECT i.entreprise_id FROM crm_interaction i
                  JOIN portal_user u ON u.id = i.auteur_id
                  WHERE i.date >= %(debut)s::date AND i.date < %(fin)s::date
                    AND (%(direction)s::bigint IS NULL OR u.direction_id = %(direction)s)
            ) a) AS entreprises
        """,
        p,
    )
    ligne["taux_accord"] = taux(ligne["accordees"], ligne["accordees"] + ligne["refusees"])
    return ligne

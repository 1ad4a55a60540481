"""Figures that need more than the table of facts: the companies' attributes (size, NAF), the de
minimis declarations, the surveys or the indicator values; they read one dispositif's rows or small
tables (see pilotage.statistiques for the definitions)."""

from datetime import date

from .sql import debut_annee, ligne, lignes, taux


def de_minimis(*, dispositif_id: int, le: date) -> dict:
    """De minimis consumption over the rolling three years ending `le`: amounts granted by this
        dispositif, companies concerned, and how many are close to the €300,000 ceiling (≥ 80 %) when
        counting every de minimis aid granted here and declared by the company over the same years
    (granted aids read from the table of facts, from the Paris day three years before `le`)."""
    try:
        debut = le.replace(year=le.year - 3)
    except ValueError:  # 29 February
        debut = le.replace(year=le.year - 3, day=28)
    return ligne(
        """
        WITH accordees AS (
            -- The table of facts: each granted aid on its decision day, its company and amount.
            SELECT f.dispositif_id, f.entreprise_id, f.montant
            FROM pilotage_fait f JOIN aides_dispositif disp ON disp.id = f.dispositif_id
            WHERE f.nature = 'decision' AND f.statut = 'accordee' AND f.jour >= %(debut)s
              AND (disp.regime = 'de-minimis' OR f.dispositif_id = %(d)s)
        ), entreprises AS (
            SELECT DISTINCT entreprise_id FROM accordees WHERE dispositif_id = %(d)s
        ), ici AS (
            SELECT a.entreprise_id, sum(a.montant) AS montant
            FROM accordees a JOIN aides_dispositif disp ON disp.id = a.dispositif_id
            WHERE disp.regime = 'de-minimis' AND a.entreprise_id IN (SELECT entreprise_id FROM entreprises)
            GROUP BY a.entreprise_id
        ), declarees AS (
            SELECT entreprise_id, sum(montant) AS montant FROM aides_declarationdeminimis
            WHERE date_octroi >= %(debut)s AND entreprise_id IN (SELECT entreprise_id FROM entreprises)
            GROUP BY entreprise_id
        ), totaux AS (
            SELECT en.entreprise_id, coalesce(ici.montant, 0) + coalesce(declarees.montant, 0) AS total
            FROM entreprises en LEFT JOIN ici USING (entreprise_id) LEFT JOIN declarees USING (entreprise_id)
        )
        SELECT
            (SELECT coalesce(sum(montant), 0) FROM accordees WHERE dispositif_id = %(d)s) AS montant,
            (SELECT count(*) FROM totaux) AS entreprises,
            (SELECT count(*) FROM totaux WHERE total >= 240000) AS proches_plafond,
            (SELECT max(total) FROM totaux) AS total_max
        """,
        {"d": dispositif_id, "debut": debut},
    )


def repartition_entreprises(*, annee: int, dispositif_id: int | None = None) -> dict[str, list[dict]]:
    """Companies that deposited in the year, by size band, NAF division, département and EPCI, with
    their share (a window function over each grouping set). A company counts once per dimension."""
    resultat_lignes = lignes(
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
    for rang in resultat_lignes:
        for dimension in resultat:
            if rang[dimension] is not None:
                resultat[dimension].append(
                    {"cle": rang[dimension], "nombre": rang["nombre"], "part": taux(rang["nombre"], rang["total"])}
                )
    return resultat


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
    return lignes(
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
    return lignes(
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


def aides_publiees() -> list[dict]:
    """Published dispositifs by thématique (a dispositif counts in each of its thématiques), and the total."""
    return lignes(
        """
        SELECT t AS thematique, count(DISTINCT d.id) AS nombre
        FROM aides_dispositif d, unnest(d.thematiques) AS t
        WHERE d.statut = 'publie' GROUP BY ROLLUP (t) ORDER BY t NULLS LAST
        """
    )

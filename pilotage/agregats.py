"""The table of pre-aggregated facts (`pilotage_fait`) that the statistics pages read.

Every fact of pilotage is read once from its source tables, with its dimensions resolved (the
Paris day, the dispositif, the direction, the département and EPCI of the establishment or the
request, the company, the state, the delay in whole days), and counted per distinct combination.
The pages then read hundreds to tens of thousands of narrow rows with no join, instead of joining
applications, dispositifs, establishments and communes on every render.

Refresh: a full rebuild in one transaction (DELETE then INSERT … SELECT … GROUP BY), so that a fact
whose state changed long after its day (an application refused a year after its deposit, a payment
cancelled) is never left stale; readers keep seeing the previous rows until the commit (MVCC). Two
rebuilds at once wait for each other (a transaction-level advisory lock) and give the same rows:
running it twice is running it once. The beat task claims its hour (portal.periodes): two
schedulers rebuild once per hour. `manage.py agreger_pilotage` rebuilds on demand (after a big
import, after the demo).

Definitions of the rows (`nature`):
- sollicitation: a request received, on the day of receipt; delay = days to the answer (empty when
  not answered); direction of the request, territory of its commune;
- depot: an application deposited (drafts excluded), on the deposit day, in its state today,
  amount = amount requested; direction of the dispositif, territory of the establishment;
- decision: an application with a decision date, on that day, in its state today (granted, refused,
  or later withdrawn), delay = deposit → decision, amount = amount granted when granted;
- signature: a convention reaching « signée par la Région », on that day, delay = decision →
  signature; premier_versement: the first paid payment of a signed convention, on its day, delay =
  first signature → first payment; versement: every paid payment and its amount;
- interaction: a meeting with a company, on its date, direction of its author.

The cross-tables read narrower tables rebuilt from these rows in the same transaction,
`pilotage_faitannuel` and `pilotage_faitannuelthematique` (pilotage.models.FaitAnnuel…): per year,
direction, territory and company (and thématique), the requests, deposits, grants and amount granted.
"""

import time
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from portal.periodes import periode_heure, une_fois_par_periode

from .models import CalculAgregats

TZ = "'Europe/Paris'"
VERROU = 160016  # pg_advisory_xact_lock key of the rebuild


def _jour(colonne: str) -> str:
    return f"({colonne} AT TIME ZONE {TZ})::date"


SOURCES = f"""
    SELECT {_jour("s.cree_le")} AS jour, 'sollicitation' AS nature, NULL::bigint AS dispositif_id,
           s.direction_id, c.departement_id, c.epci_id, s.entreprise_id, '' AS statut,
           {_jour("s.repondue_le")} - {_jour("s.cree_le")} AS delai, 0::numeric AS montant
    FROM crm_sollicitation s LEFT JOIN territoires_commune c ON c.id = s.commune_id
    UNION ALL
    SELECT {_jour("dem.depose_le")}, 'depot', dem.dispositif_id, disp.direction_id, c.departement_id, c.epci_id,
           et.entreprise_id, dem.statut, NULL, coalesce(dem.montant_demande, 0)
    FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
    JOIN crm_etablissement et ON et.id = dem.etablissement_id
    LEFT JOIN territoires_commune c ON c.id = et.commune_id
    WHERE dem.statut <> 'brouillon' AND dem.depose_le IS NOT NULL
    UNION ALL
    SELECT {_jour("dem.decidee_le")}, 'decision', dem.dispositif_id, disp.direction_id, c.departement_id,
           c.epci_id, et.entreprise_id, dem.statut, {_jour("dem.decidee_le")} - {_jour("dem.depose_le")},
           CASE WHEN dem.statut = 'accordee' THEN coalesce(dem.montant_accorde, 0) ELSE 0 END
    FROM aides_demande dem JOIN aides_dispositif disp ON disp.id = dem.dispositif_id
    JOIN crm_etablissement et ON et.id = dem.etablissement_id
    LEFT JOIN territoires_commune c ON c.id = et.commune_id
    WHERE dem.statut <> 'brouillon' AND dem.decidee_le IS NOT NULL
    UNION ALL
    SELECT {_jour("e.le")}, 'signature', e.dispositif_id, e.direction_id, c.departement_id, c.epci_id,
           et.entreprise_id, '', {_jour("e.le")} - {_jour("dem.decidee_le")}, 0
    FROM aides_etapeconvention e JOIN aides_conventionaide cv ON cv.id = e.convention_id
    JOIN aides_demande dem ON dem.id = cv.demande_id
    LEFT JOIN crm_etablissement et ON et.id = cv.etablissement_id
    LEFT JOIN territoires_commune c ON c.id = et.commune_id
    WHERE e.vers = 'signee_region'
    UNION ALL
    SELECT {_jour("p.premier")}, 'premier_versement', cv.dispositif_id, cv.direction_id, c.departement_id,
           c.epci_id, et.entreprise_id, '', {_jour("p.premier")} - {_jour("s.signee_le")}, 0
    FROM (SELECT convention_id, min(paye_le) AS premier FROM aides_versement
          WHERE etat = 'paye' AND paye_le IS NOT NULL GROUP BY convention_id) p
    JOIN (SELECT convention_id, min(le) AS signee_le FROM aides_etapeconvention
          WHERE vers = 'signee_region' GROUP BY convention_id) s ON s.convention_id = p.convention_id
    JOIN aides_conventionaide cv ON cv.id = p.convention_id
    LEFT JOIN crm_etablissement et ON et.id = cv.etablissement_id
    LEFT JOIN territoires_commune c ON c.id = et.commune_id
    UNION ALL
    SELECT {_jour("v.paye_le")}, 'versement', cv.dispositif_id, cv.direction_id, c.departement_id, c.epci_id,
           et.entreprise_id, '', NULL, v.montant
    FROM aides_versement v JOIN aides_conventionaide cv ON cv.id = v.convention_id
    LEFT JOIN crm_etablissement et ON et.id = cv.etablissement_id
    LEFT JOIN territoires_commune c ON c.id = et.commune_id
    WHERE v.etat = 'paye' AND v.paye_le IS NOT NULL
    UNION ALL
    SELECT i.date, 'interaction', NULL, u.direction_id, c.departement_id, c.epci_id, i.entreprise_id, '', NULL, 0
    FROM crm_interaction i JOIN portal_user u ON u.id = i.auteur_id
    LEFT JOIN crm_etablissement et ON et.id = i.etablissement_id
    LEFT JOIN territoires_commune c ON c.id = et.commune_id
"""

COLONNES = "jour, nature, dispositif_id, direction_id, departement_id, epci_id, entreprise_id, statut, delai"

# Each dispositif's distinct thématiques (one NULL row for a dispositif without any).
THEMATIQUES = """
    SELECT DISTINCT d.id AS dispositif_id, t.thematique
    FROM aides_dispositif d LEFT JOIN LATERAL unnest(d.thematiques) AS t(thematique) ON true
"""

# The cross-tables' facts per year (pilotage.models.FaitAnnuel and FaitAnnuelThematique), read from
# the facts just rebuilt; {cible}, {colonnes} and {jointure}: the thématique, or nothing.
FAITS_ANNUELS = """
    INSERT INTO {table} (annee, {cible} direction_id, departement_id, epci_id, entreprise_id,
                         sollicitations, deposees, accordees, montant_accorde)
    SELECT extract(year FROM f.jour)::int AS annee, {colonnes} f.direction_id, f.departement_id, f.epci_id,
           f.entreprise_id,
           coalesce(sum(f.nombre) FILTER (WHERE f.nature = 'sollicitation'), 0),
           coalesce(sum(f.nombre) FILTER (WHERE f.nature = 'depot'), 0),
           coalesce(sum(f.nombre) FILTER (WHERE f.nature = 'decision'), 0),
           coalesce(sum(f.montant) FILTER (WHERE f.nature = 'decision'), 0)
    FROM pilotage_fait f {jointure}
    WHERE f.nature IN ('sollicitation', 'depot', 'interaction') OR f.nature = 'decision' AND f.statut = 'accordee'
    GROUP BY annee, {colonnes} f.direction_id, f.departement_id, f.epci_id, f.entreprise_id
    ORDER BY annee
"""


@transaction.atomic
def agregats_rafraichir() -> CalculAgregats:
    """Rebuild the whole table of facts (see the module's docstring); returns the refresh's record."""
    debut = time.perf_counter()
    with connection.cursor() as curseur:
        curseur.execute("SELECT pg_advisory_xact_lock(%s)", [VERROU])
        curseur.execute("SELECT set_config('work_mem', '64MB', true)")
        curseur.execute("DELETE FROM pilotage_fait")
        curseur.execute(
            f"""
            INSERT INTO pilotage_fait ({COLONNES}, nombre, montant)
            SELECT {COLONNES}, count(*), sum(montant)
            FROM ({SOURCES}) f
            WHERE jour IS NOT NULL
            GROUP BY {COLONNES}
            ORDER BY jour, nature
            """
        )
        lignes = curseur.rowcount
        curseur.execute("ANALYZE pilotage_fait")  # the planner's estimates of the new rows
        for table, cible, colonnes, jointure in (
            ("pilotage_faitannuel", "", "", ""),
            (
                "pilotage_faitannuelthematique",
                "thematique,",
                "th.thematique,",
                f"LEFT JOIN ({THEMATIQUES}) th ON th.dispositif_id = f.dispositif_id",
            ),
        ):
            curseur.execute(f"DELETE FROM {table}")
            curseur.execute(FAITS_ANNUELS.format(table=table, cible=cible, colonnes=colonnes, jointure=jointure))
            curseur.execute(f"ANALYZE {table}")
    calcul, _ = CalculAgregats.objects.update_or_create(
        pk=1,
        defaults={"le": timezone.now(), "duree_ms": int((time.perf_counter() - debut) * 1000), "lignes": lignes},
    )
    _oublier_version()
    transaction.on_commit(_oublier_version)
    return calcul


def agregats_nettoyer() -> bool:
    """VACUUM the table after a rebuild (its deleted rows' space is reused by the next one, a year's
    rows stay on few pages). VACUUM runs outside any transaction: inside one, autovacuum does it."""
    if connection.in_atomic_block:
        return False
    with connection.cursor() as curseur:
        curseur.execute("VACUUM ANALYZE pilotage_fait, pilotage_faitannuel, pilotage_faitannuelthematique")
    return True


@une_fois_par_periode("pilotage-agregats", periode=periode_heure, argument="maintenant")
def agregats_rafraichir_periodique(*, maintenant=None) -> CalculAgregats:
    """The beat's hourly rebuild: the first caller of the hour rebuilds, any other does nothing."""
    return agregats_rafraichir()


CLE_VERSION = "pilotage:calcule_le"


def agregats_calcules_le() -> datetime | None:
    """When the figures the pages show were computed (None before the first rebuild): kept in the
    cache with the figures (a rebuild forgets it), so that a page says the date of what it shows."""
    duree = settings.STATISTIQUES_CACHE_SECONDES
    if duree:
        valeur = cache.get(CLE_VERSION)
        if valeur is not None:
            return valeur or None
    valeur = CalculAgregats.objects.filter(pk=1).values_list("le", flat=True).first()
    if duree:
        cache.set(CLE_VERSION, valeur or "", duree)
    return valeur


def _oublier_version() -> None:
    cache.delete(CLE_VERSION)

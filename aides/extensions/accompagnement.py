"""What the Région's aids add to « déjà accompagnée » in the CRM (registered in AidesConfig.ready()).

A company is accompanied by a direction once it deposited an application on one of its dispositifs,
was granted one, has a convention or received a payment: the same facts the CRM timeline shows
(aides/extensions/timeline.py). The services that deposit, decide, move a convention or pay call
crm.services.accompagnements_recalculer in their transaction.
"""

from collections.abc import Iterator
from datetime import date

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from aides.conventions.models.convention import ConventionAide
from aides.conventions.models.versement import Versement
from aides.demandes.models.demande import Demande


def accompagnements_aides(entreprise_id: int) -> Iterator[tuple[int, date]]:
    """(direction, last day) of the company's applications, decisions, convention steps and payments; 3 queries."""
    demandes = (
        Demande.objects.deposees()
        .filter(etablissement__entreprise_id=entreprise_id)
        .values("dispositif__direction")
        .annotate(depot=Max("depose_le"), decision=Max("decidee_le"))
    )
    for ligne in demandes:
        moments = [m for m in (ligne["depot"], ligne["decision"]) if m]
        if moments:
            yield ligne["dispositif__direction"], timezone.localdate(max(moments))
    conventions = (
        ConventionAide.objects.de_l_entreprise(entreprise_id).values("direction").annotate(dernier=Max("etape_depuis"))
    )
    for ligne in conventions:
        yield ligne["direction"], timezone.localdate(ligne["dernier"])
    versements = (
        Versement.objects.filter(convention__etablissement__entreprise_id=entreprise_id, paye_le__isnull=False)
        .values("convention__direction")
        .annotate(dernier=Max("paye_le"))
    )
    for ligne in versements:
        yield ligne["convention__direction"], timezone.localdate(ligne["dernier"])


# Every company at once, from the same facts, in one statement (rows written in bulk, by the demo or
# before this rule existed; the migration 0007_i13a_accompagnements holds a frozen copy).
SQL_REMPLIR = """
INSERT INTO crm_accompagnement (entreprise_id, direction_id, dernier_le)
SELECT entreprise_id, direction_id, max(jour) FROM (
    SELECT e.entreprise_id, d.direction_id,
           (greatest(dm.depose_le, dm.decidee_le) AT TIME ZONE 'Europe/Paris')::date AS jour
    FROM aides_demande dm
    JOIN crm_etablissement e ON e.id = dm.etablissement_id
    JOIN aides_dispositif d ON d.id = dm.dispositif_id
    WHERE dm.depose_le IS NOT NULL
    UNION ALL
    SELECT e.entreprise_id, c.direction_id, (c.etape_depuis AT TIME ZONE 'Europe/Paris')::date
    FROM aides_conventionaide c JOIN crm_etablissement e ON e.id = c.etablissement_id
    UNION ALL
    SELECT e.entreprise_id, c.direction_id, (v.paye_le AT TIME ZONE 'Europe/Paris')::date
    FROM aides_versement v
    JOIN aides_conventionaide c ON c.id = v.convention_id
    JOIN crm_etablissement e ON e.id = c.etablissement_id
    WHERE v.paye_le IS NOT NULL
) faits
GROUP BY entreprise_id, direction_id
ON CONFLICT (entreprise_id, direction_id)
DO UPDATE SET dernier_le = greatest(crm_accompagnement.dernier_le, EXCLUDED.dernier_le)
"""


def accompagnements_remplir() -> None:
    with connection.cursor() as curseur:
        curseur.execute(SQL_REMPLIR)

"""Count applications, grants, conventions and payments in the CRM's « déjà accompagnée » (issue #13, 1).

From now on the services keep crm.Accompagnement up to date (aides/accompagnement.py); this fills it
for the rows written before, with the same facts: last deposit or decision per dispositif's
direction, last convention step and last payment per convention's direction (days in Paris time).
"""

from django.db import migrations

SQL = """
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


class Migration(migrations.Migration):
    dependencies = [
        ("aides", "0011_i11b_invariants"),
        ("crm", "0004_revues_financements"),
    ]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]

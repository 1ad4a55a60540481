"""The payments' running total is kept by PostgreSQL itself, so the CHECK « total ≤ amount » on the
convention holds whatever inserts a payment (service, admin, raw SQL).

Increments (not a re-computed SUM): under concurrency the second UPDATE of the convention row waits
for the first transaction and then adds to the committed total, so the CHECK sees the real sum.
"""

from django.db import migrations

FONCTION = """
CREATE OR REPLACE FUNCTION aides_versement_total() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE aides_conventionaide SET total_versements = total_versements - OLD.montant
        WHERE id = OLD.convention_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE aides_conventionaide SET total_versements = total_versements + NEW.montant
        WHERE id = NEW.convention_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER aides_versement_total
AFTER INSERT OR DELETE OR UPDATE OF montant, convention_id ON aides_versement
FOR EACH ROW EXECUTE FUNCTION aides_versement_total();

UPDATE aides_conventionaide AS c
SET total_versements = COALESCE((SELECT SUM(v.montant) FROM aides_versement AS v WHERE v.convention_id = c.id), 0);
"""

ANNULATION = """
DROP TRIGGER IF EXISTS aides_versement_total ON aides_versement;
DROP FUNCTION IF EXISTS aides_versement_total();
"""


class Migration(migrations.Migration):
    dependencies = [("aides", "0005_couverture_historique_jeton")]

    operations = [migrations.RunSQL(FONCTION, ANNULATION)]

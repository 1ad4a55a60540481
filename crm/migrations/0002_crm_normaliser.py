from django.db import migrations

# Same result as territoires.normalisation.normaliser() for ordinary names: lower case, no accents,
# every run of other characters becomes one space. IMMUTABLE (the dictionary is named) so the
# search query and the stored column are normalised by the very same code.
FONCTION = r"""
CREATE OR REPLACE FUNCTION crm_normaliser(texte text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
    SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, texte)), '[^a-z0-9]+', ' ', 'g'))
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial"), ("portal", "0001_initial")]

    operations = [migrations.RunSQL(FONCTION, "DROP FUNCTION IF EXISTS crm_normaliser(text);")]

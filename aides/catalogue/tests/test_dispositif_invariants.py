"""A dispositif's coherence rules, each written once as a database constraint with its French message:
PostgreSQL refuses the row whatever writes it, and the model validation (forms, admin, services)
shows the message next to its field."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory

pytestmark = pytest.mark.django_db

REGLES = [
    ({"montant_min": Decimal(500), "montant_max": Decimal(100)}, "montant_max", "supérieur ou égal au montant minimum"),
    ({"effectif_min": 50, "effectif_max": 10}, "effectif_max", "supérieur ou égal à l'effectif minimum"),
    ({"taux_max": Decimal(120)}, "taux_max", "pourcentage entre 0 et 100"),
    ({"date_ouverture": date(2027, 1, 1), "date_cloture": date(2026, 1, 1)}, "date_cloture", "ne peut pas précéder"),
    ({"modalite_depot": "externe", "url_depot_externe": ""}, "url_depot_externe", "adresse où déposer"),
]


@pytest.mark.parametrize(("champs", "champ", "message"), REGLES)
def test_a_coherence_rule_is_held_by_the_database_and_explained_in_french_next_to_its_field(champs, champ, message):
    dispositif = DispositifFactory()
    for nom, valeur in champs.items():
        setattr(dispositif, nom, valeur)
    with pytest.raises(ValidationError) as erreur:
        dispositif.full_clean()
    assert message in " ".join(erreur.value.message_dict[champ])
    with pytest.raises(IntegrityError), transaction.atomic():
        Dispositif.objects.filter(pk=dispositif.pk).update(**champs)

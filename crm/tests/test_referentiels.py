import pytest
from django.core.exceptions import ValidationError

from crm.jours_ouvres import jours_ouvres_entre
from crm.models import Entreprise
from crm.referentiels import naf_libelle, naf_normaliser, nomenclature_naf, valider_naf, valider_siren, valider_siret

from .factories import siren_valide, siret_valide


def test_the_naf_rev2_list_ships_its_732_subclasses_with_labels():
    naf = nomenclature_naf()
    assert len(naf) == 732
    assert naf["62.01Z"] == "Programmation informatique"
    assert naf_libelle("10.71C") == "Boulangerie et boulangerie-pâtisserie"


def test_naf_codes_are_normalised_and_unknown_ones_refused_in_french():
    assert naf_normaliser("6201z") == "62.01Z"
    valider_naf("62.01Z")
    with pytest.raises(ValidationError, match="n'est pas un code NAF rév. 2"):
        valider_naf("62.01X")


def test_a_siren_with_a_wrong_key_or_length_gets_a_french_message():
    valider_siren(siren_valide(12345678))
    with pytest.raises(ValidationError, match="exactement 9 chiffres"):
        valider_siren("12345")
    mauvais = siren_valide(12345678)[:-1] + str((int(siren_valide(12345678)[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match="clé de contrôle est fausse"):
        valider_siren(mauvais)


def test_a_siret_with_a_wrong_key_or_length_gets_a_french_message():
    siret = siret_valide(siren_valide(12345678))
    valider_siret(siret)
    with pytest.raises(ValidationError, match="exactement 14 chiffres"):
        valider_siret(siret[:-1])
    with pytest.raises(ValidationError, match="clé de contrôle est fausse"):
        valider_siret(siret[:-1] + str((int(siret[-1]) + 1) % 10))


@pytest.mark.django_db
def test_a_company_is_validated_with_its_siren_and_naf():
    entreprise = Entreprise(siren="123456789", denomination="X", naf="99.99Z")
    with pytest.raises(ValidationError) as erreur:
        entreprise.full_clean()
    assert set(erreur.value.message_dict) == {"siren", "naf"}


def test_working_days_skip_weekends_and_french_public_holidays():
    from datetime import date

    # Friday 13 November 2026 → Tuesday 17: Monday 16 and Tuesday 17 are 2 working days.
    assert jours_ouvres_entre(date(2026, 11, 13), date(2026, 11, 17)) == 2
    # Tuesday 10 November → Thursday 12: Wednesday 11 November (Armistice) is a holiday.
    assert jours_ouvres_entre(date(2026, 11, 10), date(2026, 11, 12)) == 1

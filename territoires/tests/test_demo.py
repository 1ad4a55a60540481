import io

import pytest

from portal import demo as portal_demo
from territoires import demo
from territoires.models import EPCI, Affectation, ConventionTerritoriale, EcheanceConventionnement
from territoires.selectors_conventions import Categorie, couverture_calculer

pytestmark = pytest.mark.django_db


def test_the_demo_covers_every_epci_in_every_state_and_runs_twice_without_duplicates():
    portal_demo.charger(io.StringIO())
    demo.charger(io.StringIO())
    nombres = (Affectation.objects.count(), ConventionTerritoriale.objects.count())
    demo.charger(io.StringIO())
    assert (Affectation.objects.count(), ConventionTerritoriale.objects.count()) == nombres

    assert not EPCI.objects.filter(affectations=None).exists()  # everyone has contacts
    assert Affectation.objects.filter(agent__email="charge.mission@demo.hautsdefrance.fr").count() == 4
    assert Affectation.objects.filter(agent__email="cm.prochemploi.80@demo.hautsdefrance.fr").exists()
    avec_convention = EPCI.objects.filter(conventions__isnull=False).distinct().count()
    assert avec_convention == 68  # about 70 % of the 92 (the draw is stable)
    etats = {c.etat for c in ConventionTerritoriale.objects.avec_etat()}
    assert etats == {"projet", "en_negociation", "signee", "en_vigueur", "expiree", "resiliee"}
    comptes = {c["code"]: c["nombre"] for c in couverture_calculer().comptes}
    assert all(comptes[code] > 0 for code, _ in Categorie.CHOIX), comptes
    assert EcheanceConventionnement.objects.filter(date__month=1, date__day=1).count() == 1
    assert all("(démo" in c.intitule and c.demo for c in ConventionTerritoriale.objects.all())

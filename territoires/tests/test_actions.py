"""What an agent may do with an EPCI convention in each step: the transition table of
`territoires.actions`, the one the service enforces and the detail page offers."""

import pytest
from django.core.exceptions import ValidationError

from territoires import services
from territoires.actions import MACHINE_CONVENTION_EPCI, actions_convention_epci, statuts_suivants
from territoires.models import ConventionTerritoriale
from territoires.tests.factories import ConventionFactory

Statut = ConventionTerritoriale.Statut


@pytest.mark.parametrize(
    ("statut", "attendu"),
    [
        (Statut.PROJET, {"modifier", "changer_statut"}),
        (Statut.EN_NEGOCIATION, {"modifier", "changer_statut"}),
        (Statut.SIGNEE, {"modifier", "changer_statut"}),
        (Statut.RESILIEE, {"modifier"}),
    ],
)
def test_pilotage_modifies_a_convention_and_moves_it_while_the_table_has_a_next_step(pilotage, amiens, statut, attendu):
    assert actions_convention_epci(pilotage, ConventionTerritoriale(epci=amiens, statut=statut)) == attendu


def test_only_the_charge_de_mission_assigned_to_the_epci_acts_on_its_conventions(
    charge_affecte, charge_ailleurs, amiens
):
    convention = ConventionTerritoriale(epci=amiens, statut=Statut.PROJET)
    assert "changer_statut" in actions_convention_epci(charge_affecte, convention)
    assert actions_convention_epci(charge_ailleurs, convention) == set()


def test_the_form_offers_the_next_steps_in_their_order():
    convention = ConventionTerritoriale(statut=Statut.EN_NEGOCIATION)
    assert statuts_suivants(convention) == [(Statut.PROJET, "Projet"), (Statut.SIGNEE, "Signée")]
    assert MACHINE_CONVENTION_EPCI.suivants(Statut.RESILIEE) == []


def test_the_service_refuses_a_step_outside_the_table_in_french(pilotage, amiens):
    convention = ConventionFactory(epci=amiens, statut=Statut.PROJET, signee_le=None)
    with pytest.raises(ValidationError, match="ne peut pas passer à « Signée »"):
        services.convention_changer_statut(convention=convention, statut=Statut.SIGNEE, par=pilotage)

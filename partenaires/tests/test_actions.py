"""What a partner's member may do with a request oriented to their structure, in each state: the
transition table of `partenaires.actions`, the one the services enforce."""

import pytest

from partenaires.actions import actions_orientation
from partenaires.models import Orientation
from partenaires.tests.factories import MembreFactory

Statut = Orientation.Statut


@pytest.mark.parametrize(
    ("statut", "attendu"),
    [
        (Statut.TRANSMISE, {"prendre", "repondre"}),
        (Statut.PRISE_EN_CHARGE, {"repondre"}),
        (Statut.TRAITEE, set()),
        (Statut.PAS_POUR_NOUS, set()),
    ],
)
def test_a_member_of_the_structure_takes_then_answers_once(db, statut, attendu):
    adhesion = MembreFactory()
    orientation = Orientation(structure=adhesion.structure, statut=statut)
    assert actions_orientation(adhesion.utilisateur, orientation) == attendu
    assert actions_orientation(adhesion.utilisateur, orientation, adhesion=adhesion) == attendu


def test_a_member_of_another_structure_does_nothing(db):
    orientation = Orientation(structure=MembreFactory().structure, statut=Statut.TRANSMISE)
    assert actions_orientation(MembreFactory().utilisateur, orientation) == set()

"""What a company member or an agent may do with an application in each state: answered by the
transition table the services enforce (`aides.actions_demande`)."""

import pytest

from aides.demandes.actions import MACHINE_DEMANDE, actions_demande
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.espace import Membre
from portal.roles import Role
from portal.tests.factories import AgentFactory

ATTENDU_INSTRUCTEUR = {
    Statut.BROUILLON: set(),
    Statut.DEPOSEE: {"commencer"},
    Statut.EN_INSTRUCTION: {"demander_complement", "decider"},
    Statut.COMPLEMENT_DEMANDE: set(),
    Statut.ACCORDEE: set(),
    Statut.REFUSEE: set(),
    Statut.SANS_SUITE: set(),
}
ATTENDU_ENTREPRISE = {
    Statut.BROUILLON: {"modifier", "deposer"},
    Statut.COMPLEMENT_DEMANDE: {"repondre"},
}


@pytest.mark.parametrize("statut", list(Statut))
def test_an_instructeur_moves_an_application_as_its_state_allows_and_always_assigns_and_annotates(db, statut):
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    attendu = ATTENDU_INSTRUCTEUR[statut] | {"assigner", "annoter"}
    assert actions_demande(instructeur, Demande(statut=statut)) == attendu


@pytest.mark.parametrize("statut", list(Statut))
def test_a_company_member_edits_its_draft_and_answers_a_complement(db, statut):
    membre = Membre(statut=Membre.Statut.VERIFIE, role=Membre.Role.MEMBRE)
    lecteur = Membre(statut=Membre.Statut.VERIFIE, role=Membre.Role.LECTEUR)
    agent = AgentFactory(roles=[Role.INSTRUCTEUR])
    assert actions_demande(agent, Demande(statut=statut), membre=membre) == ATTENDU_ENTREPRISE.get(statut, set())
    assert actions_demande(agent, Demande(statut=statut), membre=lecteur) == set()


def test_the_saf_reads_applications_but_does_not_instruct_them(db):
    assert actions_demande(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]), Demande(statut=Statut.DEPOSEE)) == set()


def test_every_move_an_action_names_is_in_the_transition_table():
    for action, cible in {"commencer": Statut.EN_INSTRUCTION, "deposer": Statut.DEPOSEE}.items():
        for statut in MACHINE_DEMANDE.actions[action]:
            assert cible in MACHINE_DEMANDE.transitions[statut]

"""What an agent or a company member may do with a convention, a payment, a payment request, a final
report and a FEDER claim in each state: answered by the transition tables of `aides.actions_convention`,
the ones the services enforce."""

import pytest
from django.core.exceptions import ValidationError

from aides.conventions.actions import (
    MACHINE_CONVENTION,
    actions_appel,
    actions_convention,
    actions_demande_versement,
    actions_rapport,
    actions_versement,
)
from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.models.feder import AppelDeFonds
from aides.conventions.models.paiement import DemandeVersement, RapportFinal
from aides.conventions.models.versement import Versement
from aides.demandes.models.espace import Membre
from portal.roles import Role
from portal.tests.factories import AgentFactory

ATTENDU_SAF = {
    Etape.A_EDITER: {"editer", "clore"},
    Etape.EDITEE: {"editer", "envoyer", "clore"},
    Etape.ENVOYEE: {"editer", "clore"},
    Etape.SIGNEE_BENEFICIAIRE: {"clore"},
    Etape.SIGNEE_REGION: {"notifier"},
    Etape.NOTIFIEE: {"executer", "verser", "clore"},
    Etape.EN_EXECUTION: {"verser", "clore"},
    Etape.SOLDEE: set(),
    Etape.CADUQUE: set(),
    Etape.RESILIEE: set(),
}


@pytest.fixture
def gestionnaire(db):
    return AgentFactory(roles=[Role.GESTIONNAIRE_SAF])


def membre(**champs) -> Membre:
    valeurs = {
        "statut": Membre.Statut.VERIFIE,
        "role": Membre.Role.MEMBRE,
        "capacite": Membre.Capacite.REPRESENTANT_LEGAL,
    }
    return Membre(**(valeurs | champs))


@pytest.mark.parametrize("etape", list(Etape))
def test_the_saf_manager_may_do_what_the_step_allows(gestionnaire, etape):
    assert actions_convention(gestionnaire, ConventionAide(etape=etape)) == ATTENDU_SAF[etape]


def test_each_move_starts_from_the_steps_the_transition_table_leaves_for_it():
    assert MACHINE_CONVENTION.actions["envoyer"] == {Etape.EDITEE}
    assert MACHINE_CONVENTION.actions["signer_region"] == {Etape.SIGNEE_BENEFICIAIRE}
    assert Etape.SIGNEE_REGION not in MACHINE_CONVENTION.actions["clore"]


def test_an_instructeur_reads_a_convention_but_moves_nothing(db):
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR])
    assert actions_convention(instructeur, ConventionAide(etape=Etape.NOTIFIEE)) == set()


def test_the_region_signs_only_a_convention_signed_by_the_company(db):
    signataire = AgentFactory(roles=[Role.PILOTAGE])
    assert actions_convention(signataire, ConventionAide(etape=Etape.SIGNEE_BENEFICIAIRE)) == {"signer_region"}
    assert actions_convention(signataire, ConventionAide(etape=Etape.ENVOYEE)) == set()


@pytest.mark.parametrize(
    ("champs", "etape", "attendu"),
    [
        ({}, Etape.ENVOYEE, {"signer_beneficiaire"}),
        ({"capacite": Membre.Capacite.AUCUNE}, Etape.ENVOYEE, set()),
        ({}, Etape.NOTIFIEE, {"verser"}),
        ({"role": Membre.Role.LECTEUR}, Etape.EN_EXECUTION, set()),
        ({"statut": Membre.Statut.A_VERIFIER}, Etape.NOTIFIEE, set()),
        ({}, Etape.SOLDEE, set()),
    ],
)
def test_a_company_member_signs_or_asks_for_a_payment_as_their_role_and_the_step_allow(
    gestionnaire, champs, etape, attendu
):
    assert actions_convention(gestionnaire, ConventionAide(etape=etape), membre=membre(**champs)) == attendu


@pytest.mark.parametrize(
    ("etat", "attendu"),
    [("demande", {"avancer"}), ("controle", {"avancer"}), ("mandate", {"avancer"}), ("paye", set())],
)
def test_a_payment_moves_on_until_paid(gestionnaire, etat, attendu):
    assert actions_versement(gestionnaire, Versement(etat=etat)) == attendu


def test_a_paid_payment_says_no_next_step_and_the_others_name_theirs():
    assert [Versement(etat=e).etat_suivant_libelle for e in Versement.Etat] == ["contrôlé", "mandaté", "payé", ""]


@pytest.mark.parametrize(
    ("etat", "entreprise", "saf"),
    [
        ("brouillon", {"modifier", "deposer"}, set()),
        ("deposee", set(), {"accepter", "demander_complement", "refuser"}),
        ("complement", {"modifier", "deposer", "repondre"}, {"refuser"}),
        ("acceptee", set(), set()),
        ("refusee", set(), set()),
    ],
)
def test_a_payment_request_is_edited_by_the_company_and_decided_by_the_saf(gestionnaire, etat, entreprise, saf):
    demande = DemandeVersement(etat=etat)
    assert actions_demande_versement(gestionnaire, demande, membre=membre()) == entreprise
    assert actions_demande_versement(gestionnaire, demande, membre=membre(role=Membre.Role.LECTEUR)) == set()
    assert actions_demande_versement(gestionnaire, demande) == saf


def test_a_final_report_is_decided_once_deposed_and_read_once_no_longer_a_draft(gestionnaire):
    assert actions_rapport(gestionnaire, RapportFinal(etat="brouillon")) == set()
    assert actions_rapport(gestionnaire, RapportFinal(etat="depose")) == {"decider", "consulter"}
    assert actions_rapport(gestionnaire, RapportFinal(etat="valide")) == {"consulter"}
    assert actions_rapport(gestionnaire, RapportFinal(etat="a_corriger"), membre=membre()) == {
        "modifier",
        "deposer",
        "consulter",
    }


def test_a_feder_claim_moves_on_or_is_rejected_until_paid_or_rejected(gestionnaire):
    assert actions_appel(gestionnaire, AppelDeFonds(etat="certifie")) == {"avancer", "rejeter"}
    assert actions_appel(gestionnaire, AppelDeFonds(etat="rejete")) == set()
    assert AppelDeFonds(etat="depose").etat_suivant_libelle == "contrôlé"


def test_the_machine_refuses_a_move_outside_its_table_in_french():
    with pytest.raises(ValidationError, match="« soldée » : le passage à « notifiée » n'est pas permis"):
        MACHINE_CONVENTION.verifier_transition(Etape.SOLDEE, Etape.NOTIFIEE)

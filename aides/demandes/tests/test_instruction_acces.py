"""Object-level access on every view that takes an id: owner company, another user of the same
company, another company (404), anonymous (login page), and each staff role."""

import pytest
from django.urls import reverse

from aides.demandes.models.demande import PieceJointe
from aides.demandes.tests.factories import DemandeFactory, RepresentantFactory, collegue_de, piece_pour
from portal.documents import document_generer
from portal.roles import ROLES_AGENTS, Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db

ROLES_INSTRUISANT = {Role.INSTRUCTEUR, Role.ADMINISTRATEUR}


@pytest.fixture
def dossier():
    """A deposited application with a document and its receipt; and a draft of the same company."""
    proprietaire = RepresentantFactory()
    brouillon = DemandeFactory(representant=proprietaire)
    piece_brouillon = piece_pour(brouillon)
    demande = DemandeFactory(representant=proprietaire)
    piece = piece_pour(demande)
    demande = _deposer(demande)
    document_generer(document_id=demande.recepisse_id)
    return {
        "proprietaire": proprietaire,
        "collegue": collegue_de(proprietaire),
        "autre": RepresentantFactory(),
        "demande": demande,
        "brouillon": brouillon,
        "piece": piece,
        "piece_brouillon": piece_brouillon,
    }


def _deposer(demande):
    from aides.demandes.services import demande as services

    return services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)[0]


# (url name, object key, method, expected for the company owner and colleague)
VUES_ENTREPRISE = [
    ("espace:demande", "demande", "get", 200),
    ("espace:modifier", "brouillon", "get", 200),
    ("espace:repondre", "demande", "post", 200),  # no complement expected: the page explains it
    ("espace:recepisse", "demande", "get", 200),
    ("espace:piece", "piece", "get", 200),
    ("espace:piece", "piece_brouillon", "get", 200),
    ("espace:piece-retirer", "piece_brouillon", "post", 302),
]

VUES_INSTRUCTION = [
    ("aides_instruction:demande", "get"),
    ("aides_instruction:assigner", "post"),
    ("aides_instruction:commencer", "post"),
    ("aides_instruction:complement", "post"),
    ("aides_instruction:decider", "post"),
    ("aides_instruction:annoter", "post"),
]


def appeler(client, nom, pk, methode):
    url = reverse(nom, args=[pk])
    return client.get(url) if methode == "get" else client.post(url, {})


@pytest.mark.parametrize(("nom", "cle", "methode", "attendu"), VUES_ENTREPRISE)
@pytest.mark.parametrize("qui", ["proprietaire", "collegue"])
def test_the_owner_and_a_colleague_of_the_same_company_open_it(client, dossier, nom, cle, methode, attendu, qui):
    client.force_login(dossier[qui].utilisateur)
    assert appeler(client, nom, dossier[cle].pk, methode).status_code == attendu


@pytest.mark.parametrize(("nom", "cle", "methode", "attendu"), VUES_ENTREPRISE)
def test_another_company_gets_404(client, dossier, nom, cle, methode, attendu):
    client.force_login(dossier["autre"].utilisateur)
    assert appeler(client, nom, dossier[cle].pk, methode).status_code == 404
    assert PieceJointe.objects.filter(pk=dossier["piece_brouillon"].pk).exists()


@pytest.mark.parametrize(("nom", "cle", "methode", "attendu"), VUES_ENTREPRISE)
def test_anonymous_is_sent_to_the_login_page(client, dossier, nom, cle, methode, attendu):
    reponse = appeler(client, nom, dossier[cle].pk, methode)
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("connexion"))


@pytest.mark.parametrize(("nom", "cle", "methode", "attendu"), VUES_ENTREPRISE)
def test_a_missing_id_is_a_404(client, dossier, nom, cle, methode, attendu):
    client.force_login(dossier["proprietaire"].utilisateur)
    assert appeler(client, nom, 999_999, methode).status_code == 404


@pytest.mark.parametrize("role", ROLES_AGENTS)
@pytest.mark.parametrize(("nom", "cle", "methode", "attendu"), VUES_ENTREPRISE)
def test_staff_get_403_in_the_company_space_but_may_download_deposited_documents(
    client, dossier, role, nom, cle, methode, attendu
):
    client.force_login(AgentFactory(roles=[role]))
    reponse = appeler(client, nom, dossier[cle].pk, methode)
    if nom == "espace:piece":
        # the roles that instruct or pay read deposited files (FEDER: FEDER-eligible dispositifs only);
        # a draft's document stays the company's own
        lit = role in (Role.INSTRUCTEUR, Role.GESTIONNAIRE_SAF, Role.ADMINISTRATEUR)
        assert reponse.status_code == (200 if cle == "piece" and lit else 404)
    else:
        assert reponse.status_code == 403


@pytest.mark.parametrize("role", ROLES_AGENTS)
@pytest.mark.parametrize(("nom", "methode"), VUES_INSTRUCTION)
def test_every_staff_role_reads_the_instruction_and_only_instructeurs_act(client, dossier, role, nom, methode):
    client.force_login(AgentFactory(roles=[role]))
    reponse = appeler(client, nom, dossier["demande"].pk, methode)
    if methode == "get":
        lit = role in (Role.INSTRUCTEUR, Role.GESTIONNAIRE_SAF, Role.ADMINISTRATEUR)
        assert reponse.status_code == (200 if lit else 404)
    elif role in ROLES_INSTRUISANT:
        assert reponse.status_code in {200, 302, 400}  # empty form: errors shown, but allowed
    else:
        assert reponse.status_code == 403


@pytest.mark.parametrize(("nom", "methode"), VUES_INSTRUCTION)
@pytest.mark.parametrize("qui", ["proprietaire", "autre"])
def test_company_users_get_403_on_the_instruction(client, dossier, nom, methode, qui):
    client.force_login(dossier[qui].utilisateur)
    assert appeler(client, nom, dossier["demande"].pk, methode).status_code == 403


@pytest.mark.parametrize(("nom", "methode"), VUES_INSTRUCTION)
def test_anonymous_is_sent_to_login_from_the_instruction(client, dossier, nom, methode):
    reponse = appeler(client, nom, dossier["demande"].pk, methode)
    assert reponse.status_code == 302 and reponse.url.startswith(reverse("connexion"))


@pytest.mark.parametrize(("nom", "methode"), VUES_INSTRUCTION)
def test_a_draft_or_a_missing_id_is_a_404_for_staff(client, dossier, nom, methode):
    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR]))
    assert appeler(client, nom, dossier["brouillon"].pk, methode).status_code == 404
    assert appeler(client, nom, 999_999, methode).status_code == 404


# --- The inbox's saved filters and exports: their owner only --------------------------------------


@pytest.fixture
def outils_boite(settings, tmp_path):
    """A saved filter and a ready export, both of one instructeur."""
    from aides.demandes.services.filtres import export_demander, filtre_enregistrer

    settings.MEDIA_ROOT = tmp_path
    proprietaire = AgentFactory(roles=[Role.INSTRUCTEUR])
    filtre = filtre_enregistrer(agent=proprietaire, nom="Mes retards", requete="en_retard=on")
    export = export_demander(par=proprietaire, requete="statut=", format="xlsx")
    document_generer(document_id=str(export.document_id))
    return {"proprietaire": proprietaire, "filtre": filtre, "export": export}


# (url name, object key, method, expected for the owner)
VUES_OUTILS_BOITE = [
    ("aides_instruction:filtre-supprimer", "filtre", "post", 302),
    ("aides_instruction:export", "export", "get", 200),
    ("aides_instruction:export-fichier", "export", "get", 200),
]


def _utilisateur(qui: str, outils: dict):
    from partenaires.tests.factories import MembreFactory

    if qui == "proprietaire":
        return outils["proprietaire"]
    if qui == "autre agent":
        return AgentFactory(roles=[Role.INSTRUCTEUR])
    if qui == "sans rôle":
        return AgentFactory(roles=[])
    if qui == "partenaire":
        return MembreFactory().utilisateur
    if qui == "entreprise":
        return RepresentantFactory().utilisateur
    return AgentFactory(roles=[qui])  # each staff role


@pytest.mark.parametrize(("nom", "cle", "methode", "proprietaire"), VUES_OUTILS_BOITE)
@pytest.mark.parametrize(
    "qui", ["proprietaire", "autre agent", *ROLES_AGENTS, "sans rôle", "partenaire", "entreprise", "anonyme"]
)
def test_a_saved_filter_or_an_export_is_its_owners_only(client, outils_boite, nom, cle, methode, proprietaire, qui):
    if qui != "anonyme":
        client.force_login(_utilisateur(qui, outils_boite))
    reponse = appeler(client, nom, outils_boite[cle].pk, methode)
    if qui == "proprietaire":
        assert reponse.status_code == proprietaire
    elif qui == "anonyme":
        assert reponse.status_code == 302 and reponse.url.startswith(reverse("connexion"))
    elif qui == "sans rôle":
        assert reponse.status_code == 403 and "pas encore de rôle" in reponse.content.decode()
    elif qui in ("partenaire", "entreprise"):
        assert reponse.status_code == 403
    else:  # another agent, whatever their role: as if it did not exist
        assert reponse.status_code == 404
    assert type(outils_boite[cle]).objects.filter(pk=outils_boite[cle].pk).exists() == (
        not (qui == "proprietaire" and cle == "filtre")
    )

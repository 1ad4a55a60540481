"""Issue 11, the access matrix of a company account: who sees which applications, documents,
conventions and members of company A; who may prepare, invite, sign. The expected outcome of
every cell is written once, in TABLE; 0 leaks, outsiders get 404."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.models.convention import Signature
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_envoyee
from aides.demandes.models.espace import Invitation, Membre
from aides.demandes.tests.factories import (
    DemandeFactory,
    MembreVerifieFactory,
    demandeur_non_verifie,
    membre_de,
    piece_pour,
)
from portal.tests.factories import MOT_DE_PASSE

pytestmark = pytest.mark.django_db

COLONNES = (
    "liste",  # how many of A's 4 applications /espace/ lists (None: the space is refused)
    "demande",  # a deposited application of A
    "modifier",  # a draft of A created by its administrator
    "propre",  # the draft the unverified requester created themselves
    "piece",  # a document of A's deposited application
    "convention",  # A's convention waiting for signature
    "membres_de_a",  # whether the members page shows A's members
    "membre",  # an administrator's page of one member of A
    "nouvelle",  # the new-application form (for the current company)
    "inviter",  # inviting someone into the current company's account
    "signer",  # signing A's convention
)

# fmt: off
TABLE = {
    #                     liste demande modif propre piece conv  membres membre nouv inviter signer
    "exterieur":          (None, 404,   404,  404,   404,  404,  False,  404,   404, 403,    404),
    "non_verifie":        (1,    404,   404,  200,   404,  404,  False,  404,   200, 403,    404),
    "lecteur":            (4,    200,   403,  403,   200,  200,  True,   404,   403, 403,    403),
    "membre":             (4,    200,   200,  200,   200,  200,  True,   404,   200, 403,    403),
    "admin_sans_capacite": (4,   200,   200,  200,   200,  200,  True,   200,   200, 302,    403),
    "representant_legal": (4,    200,   200,  200,   200,  200,  True,   404,   200, 403,    302),
    "delegataire_expire": (4,    200,   200,  200,   200,  200,  True,   404,   200, 403,    403),
    "autre_entreprise":   (0,    404,   404,  404,   404,  404,  False,  404,   200, 403,    404),
}
# fmt: on


def attendu(acteur: str, colonne: str):
    return TABLE[acteur][COLONNES.index(colonne)]


class Monde:
    """Company A with one member of each kind, its files; an outsider and another company."""

    def __init__(self):
        aujourd_hui = timezone.localdate()
        self.titulaire = MembreVerifieFactory()  # administrator and legal representative
        etablissement = self.titulaire.etablissement
        self.acteurs = {
            # Knows the SIRET, signed up with it, was refused by staff.
            "exterieur": MembreVerifieFactory(
                etablissement=etablissement, statut=Membre.Statut.REFUSE, role=Membre.Role.MEMBRE, capacite=""
            ),
            "non_verifie": demandeur_non_verifie(etablissement),
            "lecteur": membre_de(self.titulaire, role=Membre.Role.LECTEUR),
            "membre": membre_de(self.titulaire, role=Membre.Role.MEMBRE),
            "admin_sans_capacite": membre_de(self.titulaire, role=Membre.Role.ADMINISTRATEUR),
            "representant_legal": MembreVerifieFactory(
                etablissement=etablissement, role=Membre.Role.MEMBRE, capacite=Membre.Capacite.REPRESENTANT_LEGAL
            ),
            "delegataire_expire": MembreVerifieFactory(
                etablissement=etablissement,
                role=Membre.Role.MEMBRE,
                capacite=Membre.Capacite.DELEGATAIRE,
                delegation_de="Claire Picard, gérante",
                delegation_debut=aujourd_hui - timedelta(days=400),
                delegation_fin=aujourd_hui - timedelta(days=1),
            ),
            "autre_entreprise": MembreVerifieFactory(role=Membre.Role.MEMBRE),
        }
        depot = DemandeFactory(representant=self.titulaire)
        self.piece = piece_pour(depot)
        self.demande = self._deposer(depot)
        self.brouillon = DemandeFactory(representant=self.titulaire)
        self.propre = DemandeFactory(representant=self.acteurs["non_verifie"])
        self.dispositif = DispositifFactory()

    @staticmethod
    def _deposer(demande):
        from aides.demandes.services import demande as services

        demande, _ = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
        return demande


@pytest.fixture
def monde():
    return Monde()


def _statut(client, url: str) -> int:
    return client.get(url).status_code


@pytest.mark.parametrize("acteur", list(TABLE))
def test_who_sees_what_of_a_company(client, monde, acteur, django_capture_on_commit_callbacks):
    membre = monde.acteurs[acteur]
    client.force_login(membre.utilisateur)
    convention = convention_envoyee(demande={"representant": monde.titulaire})
    titulaire_email = monde.titulaire.utilisateur.email

    accueil = client.get(reverse("espace:accueil"))
    if attendu(acteur, "liste") is None:
        assert accueil.status_code == 403
    else:
        assert accueil.status_code == 200
        a = membre.entreprise_id == monde.titulaire.entreprise_id
        listees = [
            d
            for d in accueil.context["page"].object_list
            if d.etablissement.entreprise_id == monde.titulaire.entreprise_id
        ]
        assert len(listees) == attendu(acteur, "liste"), (acteur, listees)
        html = unescape(accueil.content.decode())
        if not a or not membre.est_verifie:
            # Nothing of A's other files or conventions on the page.
            assert monde.demande.numero_depot not in html and convention.numero not in html

    obtenus = {
        "demande": _statut(client, reverse("espace:demande", args=[monde.demande.pk])),
        "modifier": _statut(client, reverse("espace:modifier", args=[monde.brouillon.pk])),
        "propre": _statut(client, reverse("espace:modifier", args=[monde.propre.pk])),
        "piece": _statut(client, reverse("espace:piece", args=[monde.piece.pk])),
        "convention": _statut(client, reverse("espace:convention", args=[convention.pk])),
        "membre": _statut(client, reverse("espace:membre", args=[monde.acteurs["lecteur"].pk])),
        "nouvelle": _statut(client, reverse("espace:nouvelle", args=[monde.dispositif.slug])),
    }
    attendus = {colonne: attendu(acteur, colonne) for colonne in obtenus}
    assert obtenus == attendus

    page_membres = client.get(reverse("espace:membres"))
    voit_membres = page_membres.status_code == 200 and titulaire_email in page_membres.content.decode()
    assert voit_membres is attendu(acteur, "membres_de_a")

    invitations_avant = Invitation.objects.filter(entreprise_id=monde.titulaire.entreprise_id).count()
    with django_capture_on_commit_callbacks(execute=False):
        reponse = client.post(reverse("espace:inviter"), {"email": "nouveau@exemple.fr", "role": "membre"})
    assert reponse.status_code == attendu(acteur, "inviter")
    invitees = Invitation.objects.filter(entreprise_id=monde.titulaire.entreprise_id).count() - invitations_avant
    assert invitees == (1 if attendu(acteur, "inviter") == 302 else 0)


@pytest.mark.parametrize("acteur", list(TABLE))
def test_who_may_sign_a_convention_of_the_company(client, monde, acteur):
    membre = monde.acteurs[acteur]
    convention = convention_envoyee(demande={"representant": monde.titulaire})
    version = sc.version_courante(convention)
    client.force_login(membre.utilisateur)
    reponse = client.post(
        reverse("espace:convention-signer", args=[convention.pk]),
        {"version": version.pk, "mot_de_passe": MOT_DE_PASSE, "je_signe": "on"},
    )
    assert reponse.status_code == attendu(acteur, "signer"), unescape(reponse.content.decode())[:3000]
    signatures = Signature.objects.filter(convention=convention, partie=Signature.Partie.BENEFICIAIRE)
    if attendu(acteur, "signer") == 302:
        assert signatures.get().signataire == membre.utilisateur
    else:
        assert not signatures.exists()


def test_the_convention_page_says_who_may_sign_instead_of_offering_a_form_that_will_fail(client, monde):
    convention = convention_envoyee(demande={"representant": monde.titulaire})
    client.force_login(monde.acteurs["delegataire_expire"].utilisateur)
    html = unescape(client.get(reverse("espace:convention", args=[convention.pk])).content.decode())
    assert 'id="signature-reservee"' in html and "ne couvre pas aujourd'hui" in html
    assert "Je signe" not in html
    client.force_login(monde.acteurs["representant_legal"].utilisateur)
    html = unescape(client.get(reverse("espace:convention", args=[convention.pk])).content.decode())
    assert "en qualité de <strong>représentant légal</strong>" in html and "Je signe" in html

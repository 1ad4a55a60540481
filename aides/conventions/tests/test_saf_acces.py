"""Object access on every convention view taking an id: anonymous → login, company user → 403 in the
back office, any agent reads, only the SAF managers act, the Région signature needs its permission,
a bad or foreign id is a 404; in /espace/, another company gets 404 and an agent 403."""

from decimal import Decimal

import pytest
from django.urls import reverse

from aides.conventions.models.convention import Etape
from aides.conventions.models.versement import Versement
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_notifiee
from aides.demandes.tests.factories import RepresentantFactory, fichier_pdf
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def convention(db):
    """Notified, with one payment request carrying a proof."""
    convention = convention_notifiee(montant=Decimal("30000"))
    sc.versement_creer(
        convention_id=convention.pk,
        par=convention.gestionnaire,
        type="avance",
        montant=Decimal("5000"),
        pieces=[_verifie()],
    )
    convention.refresh_from_db()
    return convention


def _verifie():
    from portal.verification import fichier_verifier

    return fichier_verifier(fichier_pdf("etat.pdf"))


def _lectures(c) -> list[str]:
    versement = c.versements.get()
    return [
        reverse("aides_saf:convention", args=[c.pk]),
        reverse("aides_saf:version", args=[c.pk, sc.version_courante(c).pk]),
        reverse("aides_saf:piece", args=[c.pk, versement.pieces.get().pk]),
    ]


def _actions(c) -> list[tuple[str, dict]]:
    versement = c.versements.get()
    return [
        (reverse("aides_saf:editer", args=[c.pk]), {}),
        (reverse("aides_saf:envoyer", args=[c.pk]), {}),
        (reverse("aides_saf:notifier", args=[c.pk]), {}),
        (reverse("aides_saf:executer", args=[c.pk]), {}),
        (reverse("aides_saf:clore", args=[c.pk]), {"vers": Etape.RESILIEE, "motif": "Essai."}),
        (reverse("aides_saf:versement-creer", args=[c.pk]), {"type": "acompte", "montant": "100"}),
        (reverse("aides_saf:versement-avancer", args=[c.pk, versement.pk]), {}),
        (reverse("aides_saf:signer-region", args=[c.pk]), {"version": sc.version_courante(c).pk}),
    ]


def _etat(c) -> tuple:
    c.refresh_from_db()
    return c.etape, c.etapes.count(), list(Versement.objects.filter(convention=c).values_list("pk", "etat"))


@pytest.mark.django_db
def test_anonymous_goes_to_login_and_a_company_user_gets_403_on_every_saf_convention_view(client, convention):
    connexion = reverse("connexion")
    avant = _etat(convention)
    urls = [(u, None) for u in _lectures(convention)] + _actions(convention)
    for url, donnees in urls:
        reponse = client.get(url) if donnees is None else client.post(url, donnees)
        assert reponse.status_code == 302 and reponse["Location"].startswith(connexion), url
    client.force_login(convention.demande.demandeur)
    for url, donnees in urls:
        reponse = client.get(url) if donnees is None else client.post(url, donnees)
        assert reponse.status_code == 403, url
    assert _etat(convention) == avant


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.INSTRUCTEUR, Role.PILOTAGE])
def test_agents_without_the_saf_role_read_but_every_action_is_refused(client, convention, role):
    client.force_login(AgentFactory(roles=[role]))
    for url in _lectures(convention):
        assert client.get(url).status_code == 200, url
    avant = _etat(convention)
    for url, donnees in _actions(convention):
        if role == Role.PILOTAGE and "signer" in url:
            continue  # pilotage holds the Région's signature (refused here by the step, not the role)
        assert client.post(url, donnees).status_code == 403, (role, url)
    assert _etat(convention) == avant


@pytest.mark.django_db
def test_a_saf_manager_cannot_sign_for_the_region(client):
    convention = convention_notifiee()
    client.force_login(convention.gestionnaire)
    reponse = client.post(
        reverse("aides_saf:signer-region", args=[convention.pk]), {"version": sc.version_courante(convention).pk}
    )
    assert reponse.status_code == 403


@pytest.mark.django_db
def test_a_bad_or_foreign_id_is_a_404_on_every_saf_convention_view(client, convention):
    autre = convention_notifiee()
    sc.versement_creer(
        convention_id=autre.pk, par=autre.gestionnaire, type="avance", montant=Decimal("100"), pieces=[_verifie()]
    )
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF, Role.PILOTAGE]))
    for url in _lectures(convention):
        assert client.get(url.replace(f"/{convention.pk}/", "/999999/", 1)).status_code == 404, url
    for url, donnees in _actions(convention):
        assert client.post(url.replace(f"/{convention.pk}/", "/999999/", 1), donnees).status_code == 404, url
    # A version, a proof or a payment of another convention, under this convention's address.
    versement_autre = autre.versements.get()
    etrangers = [
        ("get", reverse("aides_saf:version", args=[convention.pk, sc.version_courante(autre).pk])),
        ("get", reverse("aides_saf:piece", args=[convention.pk, versement_autre.pieces.get().pk])),
        ("post", reverse("aides_saf:versement-avancer", args=[convention.pk, versement_autre.pk])),
    ]
    for methode, url in etrangers:
        assert getattr(client, methode)(url).status_code == 404, url
    versement_autre.refresh_from_db()
    assert versement_autre.etat == Versement.Etat.DEMANDE


@pytest.mark.django_db
def test_espace_convention_views_login_anonymous_404_another_company_and_403_an_agent(client, convention):
    version = sc.version_courante(convention)
    urls = [
        ("get", reverse("espace:convention", args=[convention.pk]), None),
        ("get", reverse("espace:convention-pdf", args=[convention.pk, version.pk]), None),
        ("post", reverse("espace:convention-signer", args=[convention.pk]), {"version": version.pk}),
        ("post", reverse("espace:convention-scan", args=[convention.pk]), {"version": version.pk}),
    ]
    for methode, url, donnees in urls:
        reponse = getattr(client, methode)(url, donnees)
        assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("connexion")), url
    client.force_login(RepresentantFactory().utilisateur)
    for methode, url, donnees in urls:
        assert getattr(client, methode)(url, donnees).status_code == 404, url
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    for methode, url, donnees in urls:
        assert getattr(client, methode)(url, donnees).status_code == 403, url
    client.force_login(convention.demande.demandeur)
    for methode, url, donnees in urls[:2]:
        assert getattr(client, methode)(url, donnees).status_code == 200, url


@pytest.mark.django_db
def test_the_convention_creation_page_is_a_404_on_a_company_draft(client):
    from aides.demandes.tests.factories import DemandeFactory

    brouillon = DemandeFactory()
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    url = reverse("aides_saf:creer", args=[brouillon.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"duree_mois": "24"}).status_code == 404
    assert not hasattr(type(brouillon).objects.get(pk=brouillon.pk), "convention")


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CHARGE_DE_MISSION, Role.SERVICE_FEDER, Role.DPD])
def test_roles_that_do_not_handle_this_convention_get_404_on_it_and_its_documents(client, convention, role):
    """Not co-financed by the FEDER: the FEDER service does not see it; nor do CRM-only roles."""
    assert convention.part_feder == 0
    client.force_login(AgentFactory(roles=[role]))
    for url in _lectures(convention):
        assert client.get(url).status_code == 404, (role, url)


@pytest.mark.django_db
def test_the_feder_service_reads_a_feder_cofinanced_convention():
    from django.test import Client

    from aides.catalogue.tests.factories import DispositifFactory
    from aides.conventions.models.convention import ConventionAide

    convention = convention_notifiee(
        montant=Decimal("30000"),
        part_feder=Decimal("10000"),
        demande={"dispositif": DispositifFactory(eligible_feder=True)},
    )
    client = Client()
    client.force_login(AgentFactory(roles=[Role.SERVICE_FEDER]))
    assert client.get(reverse("aides_saf:convention", args=[convention.pk])).status_code == 200
    assert ConventionAide.objects.get(pk=convention.pk).part_feder == Decimal("10000")


@pytest.mark.django_db
def test_the_status_of_a_convention_pdf_follows_the_convention_reading_rule(client, convention):
    """The one status endpoint the SAF page polls while a version is rendered (portal's document-etat,
    the kind « aides.convention »): the agents who read the convention; the company, the roles that do
    not handle this convention, and anonymous visitors get 404."""
    version = sc.version_courante(convention)
    url = reverse("document-etat", args=[version.document_id])
    assert client.get(url).status_code == 404
    lecteurs = {Role.GESTIONNAIRE_SAF, Role.INSTRUCTEUR, Role.PILOTAGE}
    for role in [*lecteurs, Role.CHARGE_DE_MISSION, Role.SERVICE_FEDER, Role.DPD]:
        client.force_login(AgentFactory(roles=[role]))
        reponse = client.get(url)
        assert reponse.status_code == (200 if role in lecteurs else 404), role
    assert reponse.status_code == 404
    client.force_login(AgentFactory(roles=[Role.PILOTAGE]))
    assert client.get(url).json() == {
        "statut": "pret",
        "libelle": "Prêt",
        "fichier": reverse("aides_saf:version", args=[convention.pk, version.pk]),
    }
    client.force_login(convention.demande.demandeur)
    assert client.get(url).status_code == 404

"""A company's consent to be named: given and withdrawn by its account's administrator from its
space, effective at once on the EPCI's page; staff read it only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from aides.conventions.tests.factories import demande_accordee
from aides.demandes.tests.factories import membre_de
from aides.models import Membre
from partenaires import services_diffusion as services
from partenaires.models import AccordDiffusion
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.models import Commune

from .factories import MembreEpciFactory

pytestmark = pytest.mark.django_db
URL = "/espace/citer-l-entreprise/"
PARTENAIRES = AccordDiffusion.Portee.PARTENAIRES


@pytest.fixture
def aidee():
    """A company of Amiens' EPCI granted an aid; its applicant administers its account."""
    demande = demande_accordee()
    return Membre.objects.get(utilisateur=demande.demandeur)


@pytest.fixture
def epci_client(client):
    def connecter():
        client.force_login(MembreEpciFactory(epci=Commune.objects.get(code_insee="80021").epci).utilisateur)
        return client

    return connecter


def test_the_url_is_the_company_space_s():
    assert reverse("espace_partenaires:diffusion") == URL


def test_the_administrator_gives_then_withdraws_consent_and_the_epci_sees_it_at_once(client, aidee, epci_client):
    nom = escape(aidee.entreprise.denomination)
    page_epci = reverse("partenaires:epci")
    epci = epci_client()
    assert nom not in epci.get(page_epci).content.decode()  # no consent: totals only
    assert "1 entreprise aidée" in epci.get(page_epci).content.decode()

    client.force_login(aidee.utilisateur)
    page = client.get(URL).content.decode()
    assert "Pas d'accord" in page and "Donner l'accord" in page
    reponse = client.post(URL, {"action": "donner", "portee": PARTENAIRES})
    assert reponse.status_code == 302
    accord = AccordDiffusion.objects.get()
    assert accord.en_vigueur and accord.accorde_par == aidee.utilisateur
    page = client.get(URL).content.decode()
    assert "Accord donné" in page and aidee.utilisateur.get_full_name() in page

    epci = epci_client()
    assert nom in epci.get(page_epci).content.decode()

    client.force_login(aidee.utilisateur)
    client.post(URL, {"action": "retirer", "portee": PARTENAIRES})
    accord.refresh_from_db()
    assert accord.retire_le is not None and accord.retire_par == aidee.utilisateur
    assert "Accord retiré" in client.get(URL).content.decode()
    epci = epci_client()
    assert nom not in epci.get(page_epci).content.decode()
    # Given, then withdrawn: each step kept with who and when.
    assert [h.history_user for h in accord.history.all()] == [aidee.utilisateur] * 2


def test_public_consent_does_not_name_the_company_to_the_epci(aidee, epci_client):
    services.accord_diffusion_donner(entreprise=aidee.entreprise, portee="public", par=aidee.utilisateur)
    page = epci_client().get(reverse("partenaires:epci")).content.decode()
    assert escape(aidee.entreprise.denomination) not in page


def test_a_member_who_is_not_administrator_reads_but_cannot_change(client, aidee):
    simple = membre_de(aidee)
    client.force_login(simple.utilisateur)
    page = client.get(URL).content.decode()
    assert "Seul l'administrateur du compte" in page and "Donner l'accord" not in page
    assert client.post(URL, {"action": "donner", "portee": PARTENAIRES}).status_code == 403
    assert not AccordDiffusion.objects.exists()


def test_only_an_administrator_of_that_company_and_never_an_agent_speaks_for_it(aidee):
    autre = demande_accordee()
    for par in (autre.demandeur, AgentFactory(roles=[Role.ADMINISTRATEUR])):
        with pytest.raises(PermissionDenied):
            services.accord_diffusion_donner(entreprise=aidee.entreprise, portee=PARTENAIRES, par=par)
    assert not AccordDiffusion.objects.exists()


def test_giving_twice_or_withdrawing_nothing_is_refused_and_it_can_be_given_again(aidee):
    entreprise, par = aidee.entreprise, aidee.utilisateur
    with pytest.raises(ValidationError, match="rien à retirer"):
        services.accord_diffusion_retirer(entreprise=entreprise, portee=PARTENAIRES, par=par)
    services.accord_diffusion_donner(entreprise=entreprise, portee=PARTENAIRES, par=par)
    with pytest.raises(ValidationError, match="déjà donné"):
        services.accord_diffusion_donner(entreprise=entreprise, portee=PARTENAIRES, par=par)
    services.accord_diffusion_retirer(entreprise=entreprise, portee=PARTENAIRES, par=par)
    accord = services.accord_diffusion_donner(entreprise=entreprise, portee=PARTENAIRES, par=par)
    assert accord.en_vigueur and accord.retire_le is None
    with pytest.raises(ValidationError):
        services.accord_diffusion_donner(entreprise=entreprise, portee="partout", par=par)


@pytest.mark.parametrize("qui", ["agent", "anonyme"])
def test_staff_and_anonymous_have_no_consent_page(client, qui):
    if qui == "agent":
        client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION]))
        assert client.get(URL).status_code == 403
    else:
        assert client.get(URL)["Location"].startswith("/connexion/")


def test_staff_read_the_consent_in_the_admin_without_changing_it(admin_client, aidee):
    accord = services.accord_diffusion_donner(entreprise=aidee.entreprise, portee=PARTENAIRES, par=aidee.utilisateur)
    assert admin_client.get(reverse("admin:partenaires_accorddiffusion_changelist")).status_code == 200
    page = admin_client.get(reverse("admin:partenaires_accorddiffusion_change", args=[accord.pk]))
    assert page.status_code == 200 and 'name="retire_le' not in page.content.decode()
    admin_client.post(
        reverse("admin:partenaires_accorddiffusion_change", args=[accord.pk]), {"retire_le_0": "01/01/2026"}
    )
    assert admin_client.get(reverse("admin:partenaires_accorddiffusion_add")).status_code == 403
    assert admin_client.post(reverse("admin:partenaires_accorddiffusion_delete", args=[accord.pk])).status_code == 403
    accord.refresh_from_db()
    assert accord.en_vigueur

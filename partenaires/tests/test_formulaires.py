"""Public forms against spam (honeypot + limit per address), the embeds' framing rules, and
« Trouver mon contact à la Région »."""

import pytest
from django.urls import reverse

from crm.models import Sollicitation
from crm.tests.factories import StructureFactory
from partenaires.models import SiteIntegration

from .factories import MembreFactory

pytestmark = pytest.mark.django_db

DEMANDE = {
    "nom": "Claire Martin",
    "email": "claire@pme.fr",
    "commune": "80021",
    "besoin": "creer",
    "consentement": "on",
}
PRESCRIPTION = {
    "siret": "12345678900012",
    "nom": "Jean Dupont",
    "email": "jean@exemple.fr",
    "commune": "80021",
    "besoin": "investir",
    "accord": "on",
}


@pytest.fixture
def site():
    return SiteIntegration.objects.create(cle="bge", origine="https://www.bge-hdf.fr", structure=StructureFactory())


@pytest.fixture
def formulaires(client, site):
    """Each public form: (client, url, data)."""
    membre = MembreFactory().utilisateur

    def formulaire(nom):
        if nom == "prescription":
            client.force_login(membre)
            return reverse("partenaires:prescription-nouvelle"), PRESCRIPTION
        if nom == "integration":
            return reverse("integration:contact", args=[site.cle]), DEMANDE
        return reverse("crm:contact"), DEMANDE

    return formulaire


@pytest.mark.parametrize("nom", ["contact", "integration", "prescription"])
def test_a_robot_filling_the_honeypot_records_nothing(client, formulaires, nom):
    url, donnees = formulaires(nom)
    assert 'name="site_internet"' in client.get(url).content.decode()  # the one honeypot, portal.limites
    reponse = client.post(url, {**donnees, "site_internet": "http://spam.example"})
    assert reponse.status_code == 400 and "robots" in reponse.content.decode()
    assert not Sollicitation.objects.exists()
    assert client.post(url, donnees).status_code == 302
    assert Sollicitation.objects.count() == 1


@pytest.mark.parametrize("nom", ["contact", "integration", "prescription"])
def test_an_address_past_the_limit_gets_429(client, formulaires, settings, nom):
    settings.LIMITES = {**settings.LIMITES, "integration_contact": "2,0,3600", "prescriptions": "2,0,3600"}
    settings.LIMITES = {**settings.LIMITES, "contact": "2,0,3600"}  # « Être contacté »: portal.limites
    url, donnees = formulaires(nom)
    assert [client.post(url, donnees).status_code for _ in range(3)] == [302, 302, 429]
    assert Sollicitation.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the form is not counted
    autre = client.post(url, donnees, REMOTE_ADDR="10.0.0.9")
    assert autre.status_code == 302


def test_the_embeds_may_be_framed_by_the_partner_site_only(client, site):
    for url in (reverse("integration:catalogue", args=[site.cle]), reverse("integration:contact", args=[site.cle])):
        reponse = client.get(url)
        assert reponse.status_code == 200
        assert "frame-ancestors https://www.bge-hdf.fr" in reponse["Content-Security-Policy"]
        assert "X-Frame-Options" not in reponse
        assert "Région Hauts-de-France" in reponse.content.decode()
    ailleurs = client.get(reverse("crm:contact"))
    assert ailleurs["X-Frame-Options"] == "DENY" and "frame-ancestors 'none'" in ailleurs["Content-Security-Policy"]


@pytest.mark.parametrize("origine", ["https://spam.example", "https://www.bge-hdf.fr"])
def test_the_embedded_form_posted_by_a_page_of_another_site_is_refused(client, site, origine):
    url = reverse("integration:contact", args=[site.cle])
    assert client.post(url, DEMANDE, HTTP_ORIGIN=origine).status_code == 403
    assert not Sollicitation.objects.exists()
    assert client.post(url, DEMANDE, HTTP_ORIGIN="http://testserver").status_code == 302  # from the frame
    assert Sollicitation.objects.count() == 1


def test_an_unknown_or_inactive_embed_key_is_404(client, site):
    assert client.get(reverse("integration:contact", args=["inconnu"])).status_code == 404
    SiteIntegration.objects.filter(pk=site.pk).update(actif=False)
    assert client.get(reverse("integration:contact", args=[site.cle])).status_code == 404


def test_an_embedded_request_records_its_origin(client, site):
    client.post(reverse("integration:contact", args=[site.cle]), DEMANDE, HTTP_REFERER="https://www.bge-hdf.fr/aides")
    sollicitation = Sollicitation.objects.get()
    assert sollicitation.provenance.site == site
    assert sollicitation.provenance.origine == "https://www.bge-hdf.fr"


def test_the_embedded_catalogue_filters_by_territory_and_theme(client, site):
    from aides.catalogue.tests.factories import DispositifFactory
    from territoires.models import EPCI

    amiens = EPCI.objects.get(communes__code_insee="80021")
    lille = EPCI.objects.get(communes__code_insee="59350")
    DispositifFactory(nom="Aide régionale numérique", thematiques=["numerique"])
    locale = DispositifFactory(nom="Aide locale Lille", couvre_region=False, thematiques=["numerique"])
    locale.epcis.add(lille)
    page = client.get(reverse("integration:catalogue", args=[site.cle]), {"epci": amiens.siren}).content.decode()
    assert "Aide régionale numérique" in page and "Aide locale Lille" not in page
    page = client.get(reverse("integration:catalogue", args=[site.cle]), {"epci": lille.siren}).content.decode()
    assert "Aide locale Lille" in page
    page = client.get(reverse("integration:catalogue", args=[site.cle]), {"theme": "innovation"}).content.decode()
    assert "Aide régionale numérique" not in page and "Innovation" in page
    page = client.get(reverse("integration:catalogue", args=[site.cle]), {"theme": "numerique"}).content.decode()
    assert "Aide régionale numérique" in page


@pytest.mark.parametrize("saisie", ["Amiens", "80000", "80021"])
def test_find_my_contact_leads_to_the_epcis_contacts_page(client, saisie):
    from territoires.models import Commune

    epci = Commune.objects.get(code_insee="80021").epci
    reponse = client.get(reverse("trouver-contact"), {"commune": saisie})
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("territoires:contacts", args=[epci.siren])


@pytest.mark.parametrize("url", ["/", "/contact/", "/trouver-mon-contact/", "/aides/"])
def test_find_my_contact_is_offered_on_public_pages(client, url):
    assert "Trouver mon contact à la Région" in client.get(url).content.decode()  # the footer's link


def test_the_home_the_aid_page_and_the_parcours_result_hold_the_search_by_commune(client):
    from aides.catalogue.tests.factories import DispositifFactory

    aide = DispositifFactory()
    pages = {
        "accueil": client.get("/"),
        "aide": client.get(reverse("aides:detail", args=[aide.slug])),
        "parcours": client.get(
            "/parcours/", {"commune": "80021", "effectif": "12", "projets": "exporter"}, follow=True
        ),
    }
    for nom, reponse in pages.items():
        html = reponse.content.decode()
        assert 'id="trouver-contact-commune"' in html and "data-autocompletion-commune" in html, nom
        assert f'action="{reverse("trouver-contact")}"' in html, nom
    assert "parcours/resultat.html" in [t.name for t in pages["parcours"].templates]
    contact = client.get(reverse("crm:contact")).content.decode()
    assert f'href="{reverse("trouver-contact")}"' in contact

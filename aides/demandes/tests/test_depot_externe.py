"""Partner-run aids: applied for on the operator's site, never on the portal."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.services import dispositif as services
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Demande
from aides.demandes.services import demande as services_demande
from aides.demandes.tests.factories import RepresentantFactory
from portal.models import Direction

pytestmark = pytest.mark.django_db

EXTERNE = Dispositif.ModaliteDepot.EXTERNE
URL_OPERATEUR = "https://operateur.example.org/deposer"


@pytest.fixture
def externe():
    return DispositifFactory(
        nom="Prêt d'honneur du réseau",
        operateur_nom="Réseau Entreprendre",
        modalite_depot=EXTERNE,
        url_depot_externe=URL_OPERATEUR,
    )


def test_the_page_of_an_external_aid_links_to_the_operator_and_offers_no_portal_application(client, externe):
    reponse = client.get(reverse("aides:detail", args=[externe.slug]))
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "sur le site de l'opérateur" in html
    assert f'href="{URL_OPERATEUR}"' in html
    assert "Déposer une demande" not in html
    assert reverse("espace:nouvelle", args=[externe.slug]) not in html


def test_a_portal_aid_still_offers_the_portal_application(client):
    dispositif = DispositifFactory()
    html = client.get(reverse("aides:detail", args=[dispositif.slug])).content.decode()
    assert "Déposer une demande" in html and reverse("espace:nouvelle", args=[dispositif.slug]) in html


def test_the_application_service_refuses_an_external_aid(externe):
    representant = RepresentantFactory()
    with pytest.raises(ValidationError, match="site de son opérateur"):
        services_demande.demande_creer(dispositif=externe, membre=representant)
    assert not Demande.objects.exists()


def test_the_new_application_page_sends_back_to_the_aid_page(client, externe):
    representant = RepresentantFactory()
    client.force_login(representant.utilisateur)
    reponse = client.get(reverse("espace:nouvelle", args=[externe.slug]))
    assert reponse.status_code == 302 and reponse.url == reverse("aides:detail", args=[externe.slug])


def test_the_database_refuses_an_external_aid_without_url():
    with pytest.raises(IntegrityError), transaction.atomic():
        DispositifFactory(modalite_depot=EXTERNE, url_depot_externe="")


def test_the_catalogue_service_explains_a_missing_operator_url_in_french():
    with pytest.raises(ValidationError) as erreur:
        services.dispositif_creer(
            par=None,
            nom="Aide d'un partenaire",
            resume="Résumé.",
            nature="pret",
            direction=Direction.objects.get(code="DAEN"),
            modalite_depot=EXTERNE,
        )
    assert "adresse où déposer" in erreur.value.message_dict["url_depot_externe"][0]

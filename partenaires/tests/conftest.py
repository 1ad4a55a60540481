import pytest

from crm import services as crm_services
from crm.models import Sollicitation
from territoires.models import Commune


@pytest.fixture
def creer_demande():
    def fabrique(commune_code: str = "80021", **champs) -> Sollicitation:
        valeurs = {
            "origine": "formulaire",
            "nom": "Claire Martin",
            "email": "claire@pme.fr",
            "consentement": True,
            "besoin": "creer",
            **champs,
        }
        return crm_services.sollicitation_creer(commune=Commune.objects.get(code_insee=commune_code), **valeurs)

    return fabrique

import io

import pytest

from aides import demo_demandes
from aides.models import Demande, Membre, Statut
from aides.tests.factories import DispositifFactory
from portal import demo as portal_demo

pytestmark = pytest.mark.django_db


def test_the_demo_company_gets_files_in_several_states_once():
    portal_demo.charger(io.StringIO())
    DispositifFactory(documents_requis=["Devis"])
    DispositifFactory()
    sortie = io.StringIO()
    demo_demandes.charger(sortie)
    demo_demandes.charger(sortie)
    representant = Membre.objects.get(utilisateur__email=demo_demandes.EMAIL_ENTREPRISE_DEMO)
    assert representant.email_verifie and representant.utilisateur.check_password(portal_demo.MOT_DE_PASSE_DEMO)
    statuts = sorted(Demande.objects.filter(etablissement=representant.etablissement).values_list("statut", flat=True))
    assert statuts == sorted(
        [
            Statut.BROUILLON,
            Statut.DEPOSEE,
            Statut.EN_INSTRUCTION,
            Statut.COMPLEMENT_DEMANDE,
            Statut.ACCORDEE,
            Statut.REFUSEE,
        ]
    )
    assert "demandes déjà présentes" in sortie.getvalue()

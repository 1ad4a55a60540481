import io

import pytest

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes import demo as demo_demandes
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.models.espace import Membre
from aides.demandes.models.lettre import LettreDecision
from portal import demo as portal_demo
from portal.models import Travail

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
    demandes = Demande.objects.filter(etablissement=representant.etablissement)
    statuts = sorted(demandes.values_list("statut", flat=True))
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
    # Their decision letters are rendered by the background jobs the decisions asked for.
    lettres = LettreDecision.objects.filter(demande__in=demandes)
    assert lettres.count() == 2
    assert (
        Travail.objects.filter(
            arguments__document_id__in=[str(i) for i in lettres.values_list("document", flat=True)]
        ).count()
        == 2
    )


def test_the_demo_has_company_accounts_with_several_members_and_requests_for_staff_once():
    portal_demo.charger(io.StringIO())
    sortie = io.StringIO()
    demo_demandes.equipe_charger(sortie)
    demo_demandes.equipe_charger(sortie)
    titulaire = Membre.objects.get(utilisateur__email=demo_demandes.EMAIL_ENTREPRISE_DEMO)
    equipe = Membre.objects.verifies().filter(entreprise=titulaire.entreprise)
    assert set(equipe.values_list("role", flat=True)) == {"administrateur", "membre", "lecteur"}
    comptable = Membre.objects.filter(utilisateur__email="comptable@cabinet-demo.example.org")
    assert comptable.count() == 2  # acts for two companies: the demo of switching
    assert comptable.get(entreprise=titulaire.entreprise).capacite_valide()
    assert not comptable.exclude(entreprise=titulaire.entreprise).get().capacite_valide()  # expired delegation
    attentes = Membre.objects.a_verifier()
    assert attentes.count() == 3 and all(m.demo for m in attentes)
    assert attentes.filter(justificatif__isnull=False).count() == 2
    assert all(m.entreprise.demo and "(démo)" in m.entreprise.denomination for m in Membre.objects.filter(demo=True))
    assert "3 rattachements à vérifier" in sortie.getvalue()

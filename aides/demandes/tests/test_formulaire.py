"""Applications through the dispositif's form: the default form keeps the generic questions in
their columns; a specific form asks eligibility first, shows a section on a condition, prefills
from SIRENE, reuses the safe's documents; a form changed later does not change a started
application's questions."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.formulaire import CODE_DEFAUT
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.tests.factories import RepresentantFactory
from aides.demandes.tests.factories_formulaire import formulaire_specifique, kbis_au_coffre, question_ajouter_et_publier
from formulaires.models import Formulaire
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def representant():
    return RepresentantFactory()


@pytest.fixture
def client_entreprise(client, representant):
    client.force_login(representant.utilisateur)
    return client


@pytest.fixture
def dispositif():
    return DispositifFactory(formulaire=formulaire_specifique())


def donnees(**champs) -> dict:
    debut = (timezone.localdate() + timedelta(days=10)).isoformat()
    return {
        "intitule": "Salon à Bruxelles",
        "projet": "Exposer au salon.",
        "date_debut_projet": debut,
        "montant_demande": "10 000",
        "lignes-TOTAL_FORMS": "3",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-nature": "Stand",
        "lignes-0-montant_ht": "30 000",
        "partenaires-TOTAL_FORMS": "3",
        "partenaires-INITIAL_FORMS": "0",
        "exercice_clos": "oui",
        "exporte": "non",
        "action": "enregistrer",
        **champs,
    }


def test_the_default_form_is_published_once_and_new_applications_keep_its_version(client_entreprise):
    simple = DispositifFactory()
    client_entreprise.post(reverse("espace:nouvelle", args=[simple.slug]), donnees())
    demande = Demande.objects.get()
    assert demande.version_formulaire.formulaire.code == CODE_DEFAUT
    assert demande.intitule == "Salon à Bruxelles" and demande.lignes.get().nature == "Stand"
    assert demande.reponses == {}  # every generic answer is in its column
    assert Formulaire.objects.filter(code=CODE_DEFAUT).count() == 1


def test_eligibility_questions_come_first_and_a_blocking_answer_stops_with_its_reason(client_entreprise, dispositif):
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    page = client_entreprise.get(url).content.decode()
    assert "Avez-vous clôturé un exercice ?" in page and 'name="intitule"' not in page
    reponse = client_entreprise.post(url, {"etape": "eligibilite", "exercice_clos": "non"})
    assert "Le dispositif demande un premier exercice clôturé." in unescape(reponse.content.decode())
    assert not Demande.objects.exists()
    suite = client_entreprise.post(url, {"etape": "eligibilite", "exercice_clos": "oui"}).content.decode()
    assert (
        'name="intitule"' in suite and 'value="oui" class="form-check-input" id="id_exercice_clos_0" checked' in suite
    )


def test_the_identity_comes_from_sirene_and_a_question_is_prefilled(client_entreprise, dispositif, representant):
    page = client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]), {"etape": "eligibilite", "exercice_clos": "oui"}
    ).content.decode()
    etablissement = representant.etablissement
    assert unescape(etablissement.entreprise.denomination) in unescape(page)
    assert f'name="siret_site" value="{etablissement.siret}"' in page


def test_a_section_is_asked_only_when_its_condition_holds(client_entreprise, dispositif, representant):
    kbis_au_coffre(representant)
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    client_entreprise.post(url, donnees(exporte="non", pays="Belgique", action="deposer"))
    demande = Demande.objects.get()
    assert demande.statut == Statut.DEPOSEE
    assert "pays" not in demande.reponses
    autre = client_entreprise.post(url, donnees(exporte="oui", action="deposer"))
    assert "Répondez à la question « Pays visés »." in unescape(autre.content.decode())
    reponse = client_entreprise.post(
        reverse("espace:modifier", args=[Demande.objects.latest("pk").pk]),
        donnees(
            exporte="oui",
            pays="Belgique",
            **{"partenaires-0-nom": "AWEX", "partenaires-0-part": "500"},
            action="deposer",
        ),  # fmt: skip
    )
    assert reponse.status_code == 302
    deposee = Demande.objects.latest("pk")
    assert deposee.statut == Statut.DEPOSEE
    assert deposee.reponses["partenaires"] == [{"nom": "AWEX", "part": "500"}]


def test_a_form_changed_after_an_application_started_does_not_change_its_questions(client_entreprise, dispositif,
                                                                                     representant):  # fmt: skip
    kbis_au_coffre(representant)
    client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), donnees())
    demande = Demande.objects.get()
    v2 = question_ajouter_et_publier(dispositif.formulaire, code="effectif", libelle="Effectif à l'export",
                                     type="nombre", requis=True)  # fmt: skip
    assert v2.numero == 2 and demande.version_formulaire.numero == 1
    page = client_entreprise.get(reverse("espace:modifier", args=[demande.pk])).content.decode()
    assert "Effectif à l'export" not in unescape(page)
    client_entreprise.post(reverse("espace:modifier", args=[demande.pk]), donnees(action="deposer"))
    demande.refresh_from_db()
    assert demande.statut == Statut.DEPOSEE
    client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), donnees())
    assert Demande.objects.latest("pk").version_formulaire == v2


def test_a_document_of_the_safe_is_reused_and_shared_with_the_application(client_entreprise, dispositif,
                                                                          representant):  # fmt: skip
    document = kbis_au_coffre(representant)
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    page = client_entreprise.post(url, {"etape": "eligibilite", "exercice_clos": "oui"}).content.decode()
    assert "Fourni : kbis-2026.pdf (document de votre coffre" in page
    client_entreprise.post(url, donnees())
    demande = Demande.objects.get()
    piece = demande.pieces.get(type_piece="Extrait Kbis")
    assert piece.sha256 == document.sha256 and piece.document_id == document.document_id  # one stored file
    assert demande.reponses["kbis"] == {"piece": piece.pk, "nom": "kbis-2026.pdf", "coffre": document.pk}
    client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), donnees())
    assert Demande.objects.latest("pk").pieces.get().sha256 == document.sha256  # reused by the next one too


def test_an_expired_document_is_not_offered_and_one_expired_since_is_asked_again(client_entreprise, dispositif,
                                                                                 representant):  # fmt: skip
    aujourd_hui = timezone.localdate()
    vieux = kbis_au_coffre(representant, nom="vieux.pdf")
    type(vieux).objects.filter(pk=vieux.pk).update(valable_jusqu_au=aujourd_hui - timedelta(days=1))
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    page = client_entreprise.post(url, {"etape": "eligibilite", "exercice_clos": "oui"}).content.decode()
    assert "vieux.pdf" not in page
    recent = kbis_au_coffre(representant, valable_jusqu_au=aujourd_hui + timedelta(days=5))
    client_entreprise.post(url, donnees())
    demande = Demande.objects.get()
    type(recent).objects.filter(pk=recent.pk).update(valable_jusqu_au=aujourd_hui - timedelta(days=1))
    reponse = client_entreprise.post(reverse("espace:modifier", args=[demande.pk]), donnees(action="deposer"))
    assert "« Extrait Kbis » a expiré le" in unescape(reponse.content.decode())
    demande.refresh_from_db()
    assert demande.statut == Statut.BROUILLON


def test_the_instructeur_reads_the_answers_of_the_form(client_entreprise, dispositif, representant, client):
    kbis_au_coffre(representant)
    client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]),
        donnees(exporte="oui", pays="Belgique", action="deposer", **{"partenaires-0-nom": "AWEX"}),
    )
    demande = Demande.objects.get(statut=Statut.DEPOSEE)
    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR]))
    page = unescape(client.get(reverse("aides_instruction:demande", args=[demande.pk])).content.decode())
    assert '<dt class="col-sm-4">Pays visés</dt><dd class="col-sm-8">Belgique</dd>' in page
    assert "Nom : AWEX ; Part (€) : " in page

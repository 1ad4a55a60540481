"""The builder pages: an editor builds sections, questions, a condition and a block, then
publishes; a reader previews; a company account or an agent without the role cannot build."""

import pytest
from django.urls import reverse

from formulaires.models import Champ, Formulaire
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editeur(client):
    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR]))
    return client


def creer(client, nom="Export (test)") -> Formulaire:
    reponse = client.post(reverse("formulaires:liste"), {"nom": nom, "description": ""})
    assert reponse.status_code == 302
    return Formulaire.objects.get(nom=nom)


def question(client, formulaire, section, **donnees):
    url = reverse("formulaires:champ-nouveau", args=[formulaire.pk, section.pk])
    base = {"type": "texte", "action": "enregistrer"}
    return client.post(url, {**base, **donnees})


def test_an_editor_builds_a_form_with_a_condition_and_a_block_and_publishes_it(editeur):
    formulaire = creer(editeur)
    editeur.post(reverse("formulaires:section-nouvelle", args=[formulaire.pk]), {"titre": "Votre activité"})
    activite = formulaire.sections.get(titre="Votre activité")
    assert question(editeur, formulaire, activite, libelle="Exportez-vous ?", code="exporte", type="oui_non",
                    requis="on").status_code == 302  # fmt: skip
    reponse = editeur.post(
        reverse("formulaires:section-nouvelle", args=[formulaire.pk]),
        {"titre": "Export", "condition_champ": "exporte", "condition_valeur": "oui"},
    )
    assert reponse.status_code == 302
    export = formulaire.sections.get(titre="Export")
    question(editeur, formulaire, export, libelle="Partenaires", code="partenaires", type="bloc")
    bloc = Champ.objects.get(code="partenaires")
    url_colonne = reverse("formulaires:champ-nouveau", args=[formulaire.pk, export.pk])
    editeur.post(url_colonne, {"bloc": bloc.pk, "libelle": "Nom", "code": "nom", "type": "texte"})
    editeur.post(url_colonne, {"bloc": bloc.pk, "libelle": "Part", "code": "part", "type": "montant", "minimum": "0"})
    assert [c.code for c in bloc.sous_champs.all()] == ["nom", "part"]

    assert "Partenaires" in editeur.get(reverse("formulaires:detail", args=[formulaire.pk])).content.decode()
    apercu = editeur.get(reverse("formulaires:apercu", args=[formulaire.pk]))
    assert 'data-condition-champ="exporte"' in apercu.content.decode()
    assert editeur.post(reverse("formulaires:publier", args=[formulaire.pk])).status_code == 302
    version = formulaire.version_courante()
    assert version.numero == 1
    assert version.schema["sections"][-1]["condition"] == {"champ": "exporte", "valeur": "oui"}
    assert version.schema["sections"][-1]["champs"][0]["champs"][1]["type"] == "montant"


def test_wrong_input_is_shown_in_french_and_nothing_is_saved(editeur):
    formulaire = creer(editeur)
    editeur.post(reverse("formulaires:section-nouvelle", args=[formulaire.pk]), {"titre": "S"})
    section = formulaire.sections.get()
    reponse = question(editeur, formulaire, section, libelle="", code="Pas un code")
    assert reponse.status_code == 400
    assert "Le formulaire contient des erreurs" in reponse.content.decode()
    reponse = editeur.post(
        reverse("formulaires:section", args=[formulaire.pk, section.pk]),
        {"titre": "S", "condition_champ": "inconnu", "condition_valeur": "oui"},
    )
    assert reponse.status_code == 400
    assert not Champ.objects.filter(section=section).exists()


def test_publishing_an_empty_form_says_why(editeur):
    formulaire = creer(editeur)
    reponse = editeur.post(reverse("formulaires:publier", args=[formulaire.pk]), follow=True)
    assert "aucune question" in reponse.content.decode()
    assert not formulaire.versions.exists()


def test_a_reader_previews_but_cannot_build(client):
    formulaire = Formulaire.objects.create(nom="F")
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION]))
    assert client.get(reverse("formulaires:detail", args=[formulaire.pk])).status_code == 200
    assert client.get(reverse("formulaires:apercu", args=[formulaire.pk])).status_code == 200
    assert client.post(reverse("formulaires:publier", args=[formulaire.pk])).status_code == 403
    assert client.post(reverse("formulaires:liste"), {"nom": "X"}).status_code == 403
    assert client.get(reverse("formulaires:detail", args=[999999])).status_code == 404


def test_the_builder_list_runs_a_bounded_number_of_queries(editeur, django_assert_max_num_queries):
    for i in range(30):
        Formulaire.objects.create(nom=f"F{i}")
    with django_assert_max_num_queries(12):
        assert editeur.get(reverse("formulaires:liste")).status_code == 200

"""Publishing: a version is frozen, a change makes the next version, the default questions stay."""

import pytest
from django.core.exceptions import ValidationError

from formulaires import services
from formulaires.models import Champ, Version

from .schemas import schema_complet

pytestmark = pytest.mark.django_db


def test_publishing_freezes_the_draft_and_a_change_makes_a_new_version():
    v1 = services.formulaire_depuis_schema(nom="Export (démo)", schema=schema_complet())
    formulaire = v1.formulaire
    titre = Champ.objects.get(section__formulaire=formulaire, code="titre")
    services.champ_enregistrer(section=titre.section, champ=titre, libelle="Nom du projet")
    v2 = services.formulaire_publier(formulaire=formulaire)
    assert (v1.numero, v2.numero) == (1, 2)
    v1.refresh_from_db()
    assert v1.schema["sections"][1]["champs"][0]["libelle"] == "Titre"
    assert v2.schema["sections"][1]["champs"][0]["libelle"] == "Nom du projet"


def test_a_published_version_cannot_be_edited():
    version = services.formulaire_depuis_schema(nom="F", schema=schema_complet())
    version.schema = {"sections": []}
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        Version.objects.filter(pk=version.pk).update(numero=9)


def test_nothing_to_publish_and_invalid_drafts_are_refused_in_french():
    version = services.formulaire_depuis_schema(nom="F", schema=schema_complet())
    with pytest.raises(ValidationError, match="identique"):
        services.formulaire_publier(formulaire=version.formulaire)
    section = version.formulaire.sections.last()
    services.section_enregistrer(formulaire=version.formulaire, section=section, condition_champ="inconnu")
    with pytest.raises(ValidationError, match="section précédente"):
        services.formulaire_publier(formulaire=version.formulaire)


def test_copying_a_version_keeps_questions_and_protects_the_common_ones():
    schema = schema_complet()
    schema["sections"][1]["champs"][0]["cible"] = "intitule"
    source = services.formulaire_depuis_schema(nom="Défaut", schema=schema)
    copie = services.formulaire_creer(nom="Copie", depuis=source)
    commun = Champ.objects.get(section__formulaire=copie, code="titre")
    assert commun.cible == "intitule"
    with pytest.raises(ValidationError):
        services.champ_supprimer(champ=commun)
    with pytest.raises(ValidationError):
        services.champ_enregistrer(section=commun.section, champ=commun, type="nombre")
    bloc = Champ.objects.get(section__formulaire=copie, code="partenaires")
    assert [c.code for c in bloc.sous_champs.all()] == ["nom", "part"]
    with pytest.raises(ValidationError, match="ni fichier"):
        services.champ_enregistrer(section=bloc.section, parent=bloc, code="piece", libelle="Pièce", type="fichier")


def test_codes_are_unique_and_moves_reorder():
    version = services.formulaire_depuis_schema(nom="F", schema=schema_complet())
    section = version.formulaire.sections.get(titre="Projet")
    with pytest.raises(ValidationError, match="code"):
        services.champ_enregistrer(section=section, code="titre", libelle="Autre")
    resume = section.champs.get(code="resume")
    services.element_deplacer(element=resume, vers="haut")
    assert [c.code for c in section.champs.filter(parent=None)][:2] == ["resume", "titre"]

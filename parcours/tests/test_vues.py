import re
import uuid
from html import unescape

import pytest
from django.db.models import Count
from django.urls import resolve, reverse

from aides.catalogue.referentiels import Thematique
from aides.catalogue.tests.factories import DispositifFactory
from crm.models import Sollicitation
from parcours.models import DemandeDeContact, EtapeParcours
from parcours.tests.factories import EtapeParcoursFactory, ParcoursTypeFactory
from portal.models import Direction
from portal.roles import Role
from territoires.models import Commune
from territoires.tests.factories import AffectationFactory

URL = "/parcours/"


def coche(html: str, nom: str, valeur: str) -> bool:
    return re.search(rf'name="{nom}" value="{valeur}"\s+id="[^"]+" checked', html) is not None


@pytest.fixture
def export(db):
    """An export parcours (DTRI) with a diagnostic step and a financing step holding one aid."""
    aide = DispositifFactory(
        nom="Aide export de test", thematiques=[Thematique.EXPORT_ATTRACTIVITE], publics=[], stades=[], effectif_min=10
    )
    autre = DispositifFactory(
        nom="Autre aide export", thematiques=[Thematique.EXPORT_ATTRACTIVITE], publics=[], stades=[]
    )
    parcours = ParcoursTypeFactory(
        nom="Exporter pas à pas", projets=["exporter"], direction=Direction.objects.get(code="DTRI")
    )
    EtapeParcoursFactory(
        parcours=parcours,
        ordre=1,
        type=EtapeParcours.Type.DIAGNOSTIC,
        titre="Diagnostic export",
        operateurs="Team France Export",
    )
    EtapeParcoursFactory(parcours=parcours, ordre=2, titre="Financer la prospection", dispositifs=[aide])
    return parcours, aide, autre


@pytest.fixture
def conseillere(db, creer_agent):
    agent = creer_agent(
        Role.CHARGE_DE_MISSION,
        direction=Direction.objects.get(code="DTRI"),
        first_name="Inès",
        last_name="Carpentier",
        fonction="Chargée de mission export",
        telephone="03 22 00 00 00",
    )
    AffectationFactory(agent=agent, epci=Commune.objects.get(code_insee="80021").epci, direction=agent.direction)
    return agent


def test_the_questions_page_shows_seven_questions_with_labels(client, db):
    reponse = client.get(URL)
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert html.count("<legend") >= 5
    for libelle in [
        "Où en est votre entreprise ?",
        "Commune de l'entreprise ou du projet",
        "Quels sont vos projets ?",
        "Secteur d'activité",
        "Votre entreprise est-elle",
        "Si vous voulez innover",
    ]:
        assert libelle in html
    assert "data-autocompletion-commune" in html and 'list="naf-suggestions"' in html


def test_the_result_shows_the_parcours_steps_the_reasons_and_the_contact(client, export, conseillere):
    parcours, aide, autre = export
    reponse = client.get(URL, {"commune": "80021", "effectif": "12", "projets": "exporter"}, follow=True)
    assert reponse.redirect_chain == [("/parcours/?taille=10-49&effectif=12&commune=80021&projets=exporter", 302)]
    html = unescape(reponse.content.decode())
    assert '<ol class="etapes-parcours">' in html
    assert "Exporter pas à pas" in html and "Diagnostic export" in html and "Team France Export" in html
    etapes = html.split('<ol class="etapes-parcours">')[1].split("</ol>")[0]
    assert "Aide export de test" in etapes and "Autre aide export" not in etapes
    autres = html.split("Autres aides pour votre projet")[1]
    assert "Autre aide export" in autres
    assert "Réservée aux entreprises d'au moins 10 salariés : vous en avez 12" in html
    assert "Inès Carpentier" in html and "Chargée de mission export" in html
    assert f"/aides/{aide.slug}/" in html and f"/espace/demandes/nouvelle/{aide.slug}/" in html
    assert "Être contacté par mon conseiller" in html


def test_the_result_page_runs_a_bounded_number_of_queries(client, export, conseillere, django_assert_max_num_queries):
    for n in range(30):
        DispositifFactory(
            nom=f"Aide en nombre {n}",
            thematiques=[Thematique.EXPORT_ATTRACTIVITE],
            publics=[],
            stades=[],
            departements=["80"],
            couvre_region=False,
        )
    with django_assert_max_num_queries(12):
        reponse = client.get(URL, {"commune": "80021", "projets": "exporter"})
    html = unescape(reponse.content.decode())
    assert html.count('class="aide-recommandee') == 1 + 15  # the step's aid, then the 15 best « autres »
    assert "Voir les 16 autres aides de votre territoire dans le catalogue" in html
    assert 'href="/aides/?commune=80021&amp;thematique=export-attractivite"' in reponse.content.decode()


def test_a_commune_typed_by_name_redirects_to_the_permalink_with_its_insee_code(client, db):
    reponse = client.get(URL, {"commune": "Amiens", "projets": "exporter"})
    assert reponse.status_code == 302
    assert reponse["Location"] == "/parcours/?commune=80021&projets=exporter"


def test_a_commune_outside_the_region_gets_a_clear_message(client, db):
    reponse = client.get(URL, {"commune": "75056", "projets": "exporter"})
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "Ce portail présente les aides de la Région Hauts-de-France" in html
    assert "aides-territoires" in html
    assert coche(html, "projets", "exporter")  # the answers are kept for another commune


def test_bad_answers_get_french_errors_and_keep_what_was_typed(client, db):
    reponse = client.get(URL, {"commune": "", "effectif": "douze", "naf": "ZZ9", "projets": "innover"})
    html = unescape(reponse.content.decode())
    assert "Indiquez la commune de votre entreprise ou de votre projet." in html
    assert "Indiquez un nombre entier de salariés" in html
    assert "n'en est pas un" in html
    assert 'value="douze"' in html and 'value="ZZ9"' in html
    assert coche(html, "projets", "innover") and not coche(html, "projets", "exporter")
    assert 'aria-invalid="true"' in html


def test_answers_without_any_commune_ask_for_it_in_french_and_keep_the_rest(client, db):
    reponse = client.get(URL, {"stade": "developpement", "projets": ["innover", "exporter"], "maturite": "prototype"})
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Indiquez la commune de votre entreprise ou de votre projet." in html
    assert coche(html, "projets", "innover") and coche(html, "projets", "exporter")
    assert coche(html, "stade", "developpement") and coche(html, "maturite", "prototype")


def test_the_apply_and_read_links_of_each_aid_lead_to_existing_pages(client, export, conseillere):
    html = client.get(URL, {"effectif": "12", "commune": "80021", "projets": "exporter"}, follow=True).content.decode()
    liens = set(re.findall(r'href="(/(?:aides|espace)/[^"?#]+)"', html))
    assert {resolve(lien).url_name for lien in liens} >= {"nouvelle", "detail"}, liens


def test_an_ambiguous_commune_name_lists_the_candidates(client, db):
    homonymes = (
        Commune.objects.values("nom_recherche")
        .order_by()
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("nom_recherche")
        .first()
    )
    assert homonymes, "la région a des communes homonymes"
    reponse = client.get(URL, {"commune": homonymes["nom_recherche"]})
    assert "Plusieurs communes correspondent" in unescape(reponse.content.decode())


def test_asking_to_be_contacted_creates_one_routed_crm_request(client, export, conseillere):
    qs = "effectif=12&commune=80021&projets=exporter"
    page = client.get(f"/parcours/contact/?{qs}")
    assert page.status_code == 200
    jeton = re.search(r'name="jeton" value="([0-9a-f-]+)"', unescape(page.content.decode())).group(1)
    donnees = {
        "nom": "Jeanne Martin",
        "email": "jeanne@exemple.fr",
        "telephone": "0601020304",
        "entreprise": "Martin SAS",
        "message": "Nous visons la Belgique.",
        "consentement": "on",
        "jeton": jeton,
    }
    reponse = client.post(f"/parcours/contact/?{qs}", donnees)
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("parcours:contact-envoye", args=[jeton])
    again = client.post(f"/parcours/contact/?{qs}", donnees)  # double submit
    assert again["Location"] == reponse["Location"]
    assert Sollicitation.objects.count() == 1 and DemandeDeContact.objects.count() == 1
    sollicitation = Sollicitation.objects.get()
    assert list(sollicitation.assignes.all()) == [conseillere]
    assert sollicitation.direction.code == "DTRI"
    assert sollicitation.besoin == "exporter"
    assert "Nous visons la Belgique." in sollicitation.message
    assert "Parcours proposé : Exporter pas à pas" in sollicitation.message
    assert "Aide export de test" in sollicitation.message
    assert "/parcours/?taille=10-49&effectif=12&commune=80021&projets=exporter" in sollicitation.message
    confirmation = unescape(client.get(reponse["Location"]).content.decode())
    assert "Inès Carpentier" in confirmation and "Exporter pas à pas" in confirmation


def test_contact_without_consent_keeps_what_was_typed(client, export):
    reponse = client.post(
        "/parcours/contact/?commune=80021&projets=exporter",
        {"nom": "Jeanne Martin", "email": "pas-un-courriel", "jeton": str(uuid.uuid4())},
    )
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Votre accord est nécessaire" in html and "Indiquez une adresse électronique valide" in html
    assert 'value="Jeanne Martin"' in html and 'value="pas-un-courriel"' in html
    assert not Sollicitation.objects.exists()


def test_contact_with_an_html_tag_in_the_name_is_refused_in_french(client, export):
    reponse = client.post(
        "/parcours/contact/?commune=80021&projets=exporter",
        {"nom": "<b>Jeanne</b>", "email": "jeanne@atelier.fr", "consentement": "on", "jeton": str(uuid.uuid4())},
    )
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200 and "Les balises HTML" in html
    assert 'value="jeanne@atelier.fr"' in html
    assert not Sollicitation.objects.exists()


def test_contact_without_answers_sends_back_to_the_questions(client, db):
    assert client.get("/parcours/contact/")["Location"] == "/parcours/"


def test_a_bad_synthesis_id_is_a_404(client, db):
    assert client.get(f"/parcours/synthese/{uuid.uuid4()}/").status_code == 404
    assert client.get(f"/parcours/synthese/{uuid.uuid4()}/fichier/").status_code == 404
    assert client.get("/parcours/contact/pas-un-uuid/").status_code == 404


def test_the_cached_catalogue_is_reloaded_as_soon_as_an_aid_changes(client, db):
    aide = DispositifFactory(nom="Aide numérique en cache", thematiques=[Thematique.NUMERIQUE], publics=[], stades=[])
    url = "/parcours/?commune=80021&projets=numeriser"
    assert "Aide numérique en cache" in unescape(client.get(url).content.decode())
    DispositifFactory(nom="Nouvelle aide numérique", thematiques=[Thematique.NUMERIQUE], publics=[], stades=[])
    assert "Nouvelle aide numérique" in unescape(client.get(url).content.decode())
    aide.date_cloture = aide.cree_le.date().replace(year=2020)
    aide.date_ouverture = None
    aide.save()
    assert "Aide numérique en cache" not in unescape(client.get(url).content.decode())

"""Staff editing of the catalogue: the services' rules, the history, and /agents/aides/ by role."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.forms.dispositif import DispositifForm
from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.referentiels import Nature, Public, Thematique
from aides.catalogue.services import dispositif as services
from aides.catalogue.tests.factories import DispositifFactory
from aides.catalogue.views.agents import etat_calendrier
from portal.models import Direction
from portal.roles import Role
from territoires.models import EPCI
from territoires.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructeur(creer_agent):
    return creer_agent(Role.INSTRUCTEUR, first_name="Inès", last_name="Truc")


@pytest.fixture
def instructeur_client(client, instructeur):
    client.force_login(instructeur)
    return client


def champs(**autres):
    """What a minimal complete dispositif needs."""
    return {
        "nom": "Aide au développement des TPE",
        "resume": "Une subvention pour investir.",
        "nature": Nature.SUBVENTION,
        "thematiques": [Thematique.TPE_PROXIMITE],
        "direction": Direction.objects.get(code="DAEN"),
        "couvre_region": True,
        **autres,
    }


def donnees_formulaire(**autres):
    """A valid POST of the staff form."""
    return {
        "nom": "Pass test export",
        "resume": "Un coup de pouce pour exporter.",
        "description": "Texte **gras**.",
        "thematiques": [Thematique.EXPORT_ATTRACTIVITE],
        "nature": Nature.SUBVENTION,
        "publics": [Public.PME],
        "couvre_region": "on",
        "direction": Direction.objects.get(code="DPEAP").pk,
        "operateur": "region",
        "regime": "de-minimis",
        "montant_min": "1000",
        "montant_max": "20000",
        "date_ouverture": "01/01/2026",
        "date_cloture": "31/12/2027",
        "documents_requis": "Devis\nKbis de moins de 3 mois\n",
        "naf_inclus": "C, 4619b",
        "naf_exclus": "",
        **autres,
    }


# --- Services ------------------------------------------------------------------------------------


def test_publishing_an_incomplete_dispositif_is_refused_with_what_is_missing(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(thematiques=[], couvre_region=False))

    with pytest.raises(ValidationError) as erreur:
        services.dispositif_publier(dispositif=dispositif, par=instructeur)

    message = erreur.value.messages[0]
    assert "ne peut pas être publié" in message
    assert "au moins une thématique" in message
    assert "couverture territoriale" in message
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.BROUILLON


def test_a_complete_draft_is_published_and_dated(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(couvre_region=False), departements=["80"])
    assert dispositif.statut == Dispositif.Statut.BROUILLON

    services.dispositif_publier(dispositif=dispositif, par=instructeur)

    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.PUBLIE
    assert dispositif.publie_le is not None
    assert list(dispositif.departements.values_list("code", flat=True)) == ["80"]


def test_slugs_are_unique_with_a_numbered_suffix(instructeur):
    slugs = [services.dispositif_creer(par=instructeur, **champs(nom="Prêt d'honneur")).slug for _ in range(3)]
    assert slugs == ["pret-dhonneur", "pret-dhonneur-2", "pret-dhonneur-3"]


def test_the_slug_follows_the_name_until_the_first_publication_then_stays(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(nom="Aide provisoire"))
    dispositif = services.dispositif_modifier(dispositif=dispositif, par=instructeur, nom="Aide définitive")
    assert dispositif.slug == "aide-definitive"

    services.dispositif_publier(dispositif=dispositif, par=instructeur)
    dispositif = services.dispositif_modifier(dispositif=dispositif, par=instructeur, nom="Aide renommée")
    services.dispositif_depublier(dispositif=dispositif, par=instructeur)
    dispositif = services.dispositif_modifier(dispositif=dispositif, par=instructeur, nom="Aide encore renommée")

    assert dispositif.slug == "aide-definitive"


def test_the_history_records_the_author_the_reason_and_the_changed_fields(instructeur, creer_agent):
    pilote = creer_agent(Role.PILOTAGE)
    dispositif = services.dispositif_creer(par=instructeur, **champs(montant_max=Decimal("10000")))
    services.dispositif_modifier(dispositif=dispositif, par=pilote, montant_max=Decimal("15000"))
    services.dispositif_publier(dispositif=dispositif, par=pilote)

    lignes = list(dispositif.historique.order_by("history_date", "history_id"))
    assert [(ligne.history_user, ligne.history_change_reason) for ligne in lignes] == [
        (instructeur, "Création"),
        (pilote, "Modification"),
        (pilote, "Publication"),
    ]
    ecart = lignes[1].diff_against(lignes[0])
    assert [(c.field, c.old, c.new) for c in ecart.changes] == [("montant_max", Decimal("10000.00"), Decimal("15000"))]


def test_an_edit_that_changes_nothing_writes_no_history(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs())
    services.dispositif_modifier(dispositif=dispositif, par=instructeur, nom=dispositif.nom)
    assert dispositif.historique.count() == 1


def test_each_history_row_holds_the_coverage_of_its_version_by_its_author(instructeur, creer_agent):
    pilote = creer_agent(Role.PILOTAGE)
    epcis = list(EPCI.objects.order_by("siren")[:2])
    dispositif = services.dispositif_creer(par=instructeur, **champs(couvre_region=False), departements=["02"])

    services.dispositif_modifier(dispositif=dispositif, par=pilote, departements=["80"], epcis=epcis)

    creation, modification = dispositif.historique.order_by("history_date", "history_id")
    assert (creation.history_type, creation.history_user, creation.history_change_reason) == (
        "+",
        instructeur,
        "Création",
    )
    assert (modification.history_type, modification.history_user) == ("~", pilote)
    assert [ligne.departement_id for ligne in creation.departements.all()] == ["02"]
    assert not creation.epcis.exists()
    assert [ligne.departement_id for ligne in modification.departements.all()] == ["80"]
    assert {ligne.epci_id for ligne in modification.epcis.all()} == {e.pk for e in epcis}
    ecart = modification.diff_against(creation)
    assert ecart.changed_fields == ["departements", "epcis"]


def test_a_coverage_only_edit_writes_one_history_row(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(couvre_region=False), departements=["02"])

    services.dispositif_modifier(dispositif=dispositif, par=instructeur, departements=["02", "59"])
    services.dispositif_modifier(dispositif=dispositif, par=instructeur, departements=["59", "02"])  # the same

    assert dispositif.historique.count() == 2
    assert sorted(
        dispositif.historique.latest("history_date").departements.values_list("departement_id", flat=True)
    ) == [
        "02",
        "59",
    ]


def test_the_conventions_covering_a_dispositif_are_saved_and_their_changes_noted(instructeur):
    premiere, seconde = ConventionFactory(), ConventionFactory()
    dispositif = services.dispositif_creer(par=instructeur, **champs(), conventions_territoriales=[premiere])

    services.dispositif_modifier(dispositif=dispositif, par=instructeur, conventions_territoriales=[seconde.pk])

    assert list(dispositif.conventions_territoriales.all()) == [seconde]
    assert [ligne.history_change_reason for ligne in dispositif.historique.order_by("history_date", "history_id")] == [
        "Création (conventions EPCI +1)",
        "Modification (conventions EPCI +1 −1)",
    ]


def test_a_published_dispositif_past_its_closing_date_shows_closed_without_anyone_touching_it():
    hier = timezone.localdate() - timedelta(days=1)
    clos = DispositifFactory(date_cloture=hier)
    ouvert = DispositifFactory(date_cloture=timezone.localdate())

    assert clos.statut == Dispositif.Statut.PUBLIE
    assert not clos.est_ouvert() and ouvert.est_ouvert()
    assert etat_calendrier(clos) == "clôturé" and etat_calendrier(ouvert) == "ouvert"
    assert list(Dispositif.objects.publies().ouverts()) == [ouvert]
    clos.refresh_from_db()
    assert clos.statut == Dispositif.Statut.PUBLIE  # still published: the dates alone make it closed
    assert clos.historique.count() == 1  # its creation; nobody touched it since


def test_a_published_dispositif_must_stay_complete_when_edited(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs())
    services.dispositif_publier(dispositif=dispositif, par=instructeur)

    with pytest.raises(ValidationError, match="doit rester complet"):
        services.dispositif_modifier(dispositif=dispositif, par=instructeur, thematiques=[])

    dispositif.refresh_from_db()
    assert dispositif.thematiques == [Thematique.TPE_PROXIMITE]


def test_an_archived_dispositif_is_frozen_but_can_be_republished_or_reworked(instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs())
    services.dispositif_archiver(dispositif=dispositif, par=instructeur)

    with pytest.raises(ValidationError, match="archivé ne peut plus être modifié"):
        services.dispositif_modifier(dispositif=dispositif, par=instructeur, nom="Autre")
    services.dispositif_publier(dispositif=dispositif, par=instructeur)
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.PUBLIE
    assert dispositif.historique.latest("history_date").history_change_reason == "Republication"

    services.dispositif_archiver(dispositif=dispositif, par=instructeur)
    services.dispositif_depublier(dispositif=dispositif, par=instructeur)
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.BROUILLON


def test_bounds_in_the_wrong_order_are_refused_in_french(instructeur):
    with pytest.raises(ValidationError) as erreur:
        services.dispositif_creer(par=instructeur, **champs(montant_min=Decimal(500), montant_max=Decimal(100)))
    assert erreur.value.message_dict == {
        "montant_max": ["Le montant maximum doit être supérieur ou égal au montant minimum."]
    }
    assert not Dispositif.objects.exists()


# --- Form ----------------------------------------------------------------------------------------


def test_naf_codes_are_normalised_and_checked():
    form = DispositifForm(data=donnees_formulaire(naf_inclus="c, 10, 1071c, 10.7", naf_exclus="A, 99.99Z, XX"))
    assert not form.is_valid()
    assert form.cleaned_data["naf_inclus"] == ["C", "10", "10.71C", "10.7"]
    assert "Code NAF non reconnu : XX" in form.errors["naf_exclus"][0]


def test_the_form_refuses_a_coverage_that_contradicts_itself():
    sans_territoire = DispositifForm(data=donnees_formulaire(couvre_region=""))
    region_et_departement = DispositifForm(data=donnees_formulaire(departements=["80"]))

    assert sans_territoire.errors["couvre_region"] == [
        "Cochez « Toute la région » ou choisissez au moins un département ou un EPCI."
    ]
    assert "décochez « Toute la région »" in region_et_departement.errors["couvre_region"][0]
    assert DispositifForm(data=donnees_formulaire(couvre_region="", departements=["80"])).is_valid()


def test_the_form_reads_documents_one_per_line():
    form = DispositifForm(data=donnees_formulaire())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["documents_requis"] == ["Devis", "Kbis de moins de 3 mois"]


# --- Pages by role --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.INSTRUCTEUR, Role.PILOTAGE])
def test_instructeurs_and_pilotage_create_edit_and_publish(client, creer_agent, role):
    auteur = creer_agent(role)
    client.force_login(auteur)

    reponse = client.post(reverse("aides_agents:creer"), donnees_formulaire())
    dispositif = Dispositif.objects.get(nom="Pass test export")
    assert reponse.status_code == 302 and reponse.url == reverse("aides_agents:detail", args=[dispositif.pk])
    assert dispositif.documents_requis == ["Devis", "Kbis de moins de 3 mois"]
    assert dispositif.naf_inclus == ["C", "46.19B"]

    reponse = client.post(
        reverse("aides_agents:modifier", args=[dispositif.pk]), donnees_formulaire(montant_max="25000")
    )
    assert reponse.status_code == 302
    reponse = client.post(reverse("aides_agents:publier", args=[dispositif.pk]), follow=True)
    assert "Le dispositif est publié dans le catalogue." in reponse.content.decode()

    dispositif.refresh_from_db()
    assert (dispositif.statut, dispositif.montant_max) == (Dispositif.Statut.PUBLIE, Decimal("25000.00"))
    assert {ligne.history_user for ligne in dispositif.historique.all()} == {auteur}


def test_a_charge_de_mission_reads_the_catalogue_but_cannot_change_it(agent_client):
    dispositif = DispositifFactory(statut=Dispositif.Statut.BROUILLON)

    assert agent_client.get(reverse("aides_agents:liste")).status_code == 200
    page = agent_client.get(reverse("aides_agents:detail", args=[dispositif.pk]))
    assert page.status_code == 200
    assert "Publier" not in page.content.decode()
    assert agent_client.get(reverse("aides_agents:apercu", args=[dispositif.pk])).status_code == 200

    assert agent_client.get(reverse("aides_agents:creer")).status_code == 403
    assert agent_client.post(reverse("aides_agents:creer"), donnees_formulaire()).status_code == 403
    assert agent_client.post(reverse("aides_agents:modifier", args=[dispositif.pk]), {}).status_code == 403
    for action in ("publier", "depublier", "archiver"):
        assert agent_client.post(reverse(f"aides_agents:{action}", args=[dispositif.pk])).status_code == 403
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.BROUILLON


def test_a_company_user_gets_403_on_the_staff_catalogue(entreprise_client):
    dispositif = DispositifFactory()
    assert entreprise_client.get(reverse("aides_agents:liste")).status_code == 403
    assert entreprise_client.get(reverse("aides_agents:detail", args=[dispositif.pk])).status_code == 403
    assert entreprise_client.post(reverse("aides_agents:publier", args=[dispositif.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    dispositif = DispositifFactory()
    for url in (reverse("aides_agents:liste"), reverse("aides_agents:detail", args=[dispositif.pk])):
        reponse = client.get(url)
        assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")
    reponse = client.post(reverse("aides_agents:archiver", args=[dispositif.pk]))
    assert reponse.status_code == 302 and reponse.url.startswith("/connexion/")


def test_an_unknown_id_is_a_404(instructeur_client):
    for nom in ("detail", "modifier", "apercu"):
        assert instructeur_client.get(reverse(f"aides_agents:{nom}", args=[999999])).status_code == 404
    assert instructeur_client.post(reverse("aides_agents:publier", args=[999999])).status_code == 404


def test_the_form_keeps_what_was_typed_and_explains_the_errors(instructeur_client):
    reponse = instructeur_client.post(
        reverse("aides_agents:creer"),
        donnees_formulaire(nom="Mon aide en cours", montant_min="5000", montant_max="100", naf_inclus="C, ZZ"),
    )

    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Le dispositif n'a pas été enregistré" in html
    assert "Le montant maximum doit être supérieur ou égal au montant minimum." in html
    assert "Code NAF non reconnu : ZZ" in html
    assert 'value="Mon aide en cours"' in html
    assert "Kbis de moins de 3 mois" in html
    assert not Dispositif.objects.exists()


def test_publishing_an_incomplete_dispositif_from_its_page_says_what_is_missing(instructeur_client, instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(thematiques=[]))

    reponse = instructeur_client.post(reverse("aides_agents:publier", args=[dispositif.pk]), follow=True)

    assert "il manque au moins une thématique" in reponse.content.decode()
    dispositif.refresh_from_db()
    assert dispositif.statut == Dispositif.Statut.BROUILLON


def test_the_history_table_shows_who_changed_what(instructeur_client, instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(montant_max=Decimal("10000")))
    instructeur_client.post(
        reverse("aides_agents:modifier", args=[dispositif.pk]),
        donnees_formulaire(nom=dispositif.nom, montant_min="", montant_max="12500"),
    )

    html = instructeur_client.get(reverse("aides_agents:detail", args=[dispositif.pk])).content.decode()

    assert "Historique des modifications" in html
    assert "Inès Truc" in html
    assert "<strong>Montant maximum (€)</strong> : 10\u00a0000,00\u00a0€ → 12\u00a0500,00\u00a0€" in html
    assert "<strong>Thématiques</strong> : TPE et économie de proximité → Export et international" in html


def test_the_history_table_names_the_territories_added_and_removed(instructeur_client, instructeur):
    amiens, vimeu = EPCI.objects.get(siren="248000531"), EPCI.objects.get(nom__contains="Vimeu")
    dispositif = services.dispositif_creer(
        par=instructeur, **champs(couvre_region=False), departements=["02"], epcis=[vimeu]
    )
    services.dispositif_modifier(dispositif=dispositif, par=instructeur, departements=["80"], epcis=[amiens])

    html = instructeur_client.get(reverse("aides_agents:detail", args=[dispositif.pk])).content.decode()

    assert f"<strong>EPCI couverts</strong> : + {amiens.nom}, − {vimeu.nom}" in unescape(html)
    assert "<strong>Départements couverts</strong> : + Somme, − Aisne" in html


def test_the_form_lists_the_conventions_by_epci_and_saves_them(instructeur_client):
    convention = ConventionFactory(epci=EPCI.objects.get(siren="248000531"))
    ConventionFactory(epci=EPCI.objects.get(siren="200071892"))  # CA du Saint-Quentinois
    formulaire = instructeur_client.get(reverse("aides_agents:creer"))
    libelles = [libelle for _, libelle in formulaire.context["form"].fields["conventions_territoriales"].choices]
    assert libelles == sorted(libelles)
    debut, fin = convention.date_debut.strftime("%d/%m/%Y"), convention.date_fin.strftime("%d/%m/%Y")
    assert f"Communauté d'agglomération Amiens Métropole – Aides aux entreprises ({debut} – {fin})" in libelles

    instructeur_client.post(
        reverse("aides_agents:creer"), donnees_formulaire(conventions_territoriales=[convention.pk])
    )

    dispositif = Dispositif.objects.get(nom="Pass test export")
    assert list(dispositif.conventions_territoriales.all()) == [convention]
    page = instructeur_client.get(reverse("aides_agents:detail", args=[dispositif.pk])).content.decode()
    assert f'href="/agents/territoires/conventions/{convention.pk}/"' in page


def test_the_preview_renders_the_markdown_inert(instructeur_client, instructeur):
    dispositif = services.dispositif_creer(
        par=instructeur,
        **champs(description='Une aide **utile**.\n\n<script>alert("x")</script> [piège](javascript:alert(1))'),
    )

    html = instructeur_client.get(reverse("aides_agents:apercu", args=[dispositif.pk])).content.decode()

    assert "<strong>utile</strong>" in html
    assert 'alert("x")' not in html and "javascript:" not in html
    assert "Aperçu" in html and dispositif.resume in html


def test_a_closed_dispositif_is_badged_closed_in_the_staff_pages(agent_client):
    dispositif = DispositifFactory(nom="Aide clôturée", date_cloture=timezone.localdate() - timedelta(days=3))
    liste = agent_client.get(reverse("aides_agents:liste"), {"statut": "cloture"}).content.decode()
    detail = agent_client.get(reverse("aides_agents:detail", args=[dispositif.pk])).content.decode()
    assert "Aide clôturée" in liste and "Clôturé" in liste
    assert "Clôturé" in detail


def test_the_list_filters_by_status_and_by_name_without_accents(agent_client):
    DispositifFactory(nom="Prêt croissance TPE")
    DispositifFactory(nom="Prêt numérique", statut=Dispositif.Statut.BROUILLON)
    DispositifFactory(nom="Booster TPE")

    html = agent_client.get(reverse("aides_agents:liste"), {"q": "pret", "statut": "publie"}).content.decode()

    assert "Prêt croissance TPE" in html
    assert "Prêt numérique" not in html and "Booster TPE" not in html


def test_the_list_runs_a_bounded_number_of_queries(agent_client, django_assert_max_num_queries):
    epcis = list(EPCI.objects.all()[:3])
    for rang in range(30):
        DispositifFactory(couvre_region=False, departements=["59", "62"], epcis=epcis, nom=f"Aide {rang:02}")

    with django_assert_max_num_queries(9):
        reponse = agent_client.get(reverse("aides_agents:liste"))

    assert reponse.status_code == 200
    assert "2 départements, 3 EPCI" in reponse.content.decode()
    assert reponse.context["page"].paginator.num_pages == 2


def test_the_detail_page_runs_a_bounded_number_of_queries(agent_client, instructeur, django_assert_max_num_queries):
    epcis = list(EPCI.objects.order_by("siren")[:4])
    dispositif = services.dispositif_creer(par=instructeur, **champs(montant_max=Decimal(1), couvre_region=False))
    for montant in range(2, 70):
        services.dispositif_modifier(
            dispositif=dispositif,
            par=instructeur,
            montant_max=Decimal(montant),
            departements=["80"] if montant % 2 else ["02", "59"],
            epcis=epcis[montant % 3 : montant % 3 + 2],
        )

    # 11 before the coverage was in the history; + 2 for the coverage of all the versions (one query
    # per many-to-many field), + 1 for the conventions that cover the dispositif, + 2 for the year's
    # figures of the pilotage section, + 1 for the second factor's device.
    with django_assert_max_num_queries(17):
        reponse = agent_client.get(reverse("aides_agents:detail", args=[dispositif.pk]))

    historique = reponse.context["historique"]
    assert len(historique) == 50
    assert {c["champ"] for c in historique[0]["changements"]} == {
        "Montant maximum (€)",
        "Départements couverts",
        "EPCI couverts",
    }


def test_emptying_the_thematiques_of_a_published_dispositif_is_refused_on_the_form(instructeur_client, instructeur):
    dispositif = services.dispositif_creer(par=instructeur, **champs(nom="Pass test export"))
    services.dispositif_publier(dispositif=dispositif, par=instructeur)
    donnees = donnees_formulaire()
    del donnees["thematiques"]

    reponse = instructeur_client.post(reverse("aides_agents:modifier", args=[dispositif.pk]), donnees)

    assert reponse.status_code == 200
    assert "Ce dispositif est publié : il doit rester complet. Il manque au moins une thématique." in (
        reponse.content.decode()
    )
    dispositif.refresh_from_db()
    assert dispositif.thematiques == [Thematique.TPE_PROXIMITE]


def test_the_staff_menu_and_dashboard_lead_to_the_catalogue(agent_client):
    html = agent_client.get(reverse("agents:tableau")).content.decode()
    assert html.count('href="/agents/aides/"') == 2

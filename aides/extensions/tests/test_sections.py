"""The sections aides adds to territoires' pages: « Demandes et montants accordés » on the staff EPCI
page, the applications on a project review's agenda, the aids covered by the EPCI's conventions on
the public contacts page, and the dispositifs a convention covers on its staff page."""

from datetime import date, timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.models.dispositif import Dispositif
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Demande, Statut
from aides.demandes.tests.factories import DemandeFactory, RepresentantFactory, demande_deposee
from aides.extensions import sections
from crm.models import Entreprise
from crm.tests.factories import EtablissementFactory
from territoires.models import EPCI, Commune, ConventionTerritoriale, TypeConvention
from territoires.tests.factories import ConventionFactory

pytestmark = pytest.mark.django_db

AMIENS_METROPOLE = "248000531"


@pytest.fixture
def section_enregistree():
    # AidesConfig.ready() registers them; unregistering afterwards would hide them from later tests.
    sections.enregistrer()


def representant_a(code_insee: str):
    return RepresentantFactory(etablissement=EtablissementFactory(commune=Commune.objects.get(code_insee=code_insee)))


def accordee(representant, *, montant: str, le: date, denomination: str = "") -> Demande:
    """A deposited application marked granted (the instruction itself is tested in test_demande)."""
    demande = demande_deposee(representant=representant, montant_demande=Decimal("50000"))
    Demande.objects.filter(pk=demande.pk).update(
        statut=Statut.ACCORDEE, montant_accorde=Decimal(montant), date_commission=le
    )
    if denomination:
        Entreprise.objects.filter(pk=demande.etablissement.entreprise_id).update(denomination=denomination)
    return demande


def amiens() -> EPCI:
    return EPCI.objects.get(siren=AMIENS_METROPOLE)


def test_the_section_counts_deposited_files_by_state_and_sums_grants_by_year():
    ici, ailleurs = representant_a("80021"), representant_a("59350")  # Amiens, Lille
    accordee(ici, montant="10000", le=date(2025, 3, 14))
    accordee(ici, montant="2500.50", le=date(2026, 2, 6))
    accordee(ici, montant="7000", le=date(2026, 10, 2))
    demande_deposee(representant=ici)
    refusee = demande_deposee(representant=ici)
    Demande.objects.filter(pk=refusee.pk).update(statut=Statut.REFUSEE)
    DemandeFactory(representant=ici)  # a draft is not an application to the Région yet
    accordee(ailleurs, montant="50000", le=date(2026, 1, 9))  # another EPCI

    contexte = sections.section_epci_demandes(amiens(), None).contexte

    comptes = {ligne.statut: ligne.nombre for ligne in contexte["par_statut"]}
    assert comptes == {
        Statut.DEPOSEE: 1,
        Statut.EN_INSTRUCTION: 0,
        Statut.COMPLEMENT_DEMANDE: 0,
        Statut.ACCORDEE: 3,
        Statut.REFUSEE: 1,
        Statut.SANS_SUITE: 0,
    }
    assert contexte["total_deposees"] == 5
    assert [(a.annee, a.nombre, a.montant) for a in contexte["par_annee"]] == [
        (2026, 2, Decimal("9500.50")),
        (2025, 1, Decimal("10000.00")),
    ]
    assert contexte["total_accorde"] == Decimal("19500.50")


def test_the_section_lists_the_last_ten_grants_most_recent_first():
    ici = representant_a("80021")
    demandes = [accordee(ici, montant=str(1000 + i), le=date(2026, 1, 1 + i)) for i in range(11)]

    dernieres = sections.section_epci_demandes(amiens(), None).contexte["dernieres"]

    assert [d.pk for d in dernieres] == [d.pk for d in reversed(demandes[1:])]


def test_the_section_runs_three_queries_whatever_the_number_of_files(django_assert_num_queries):
    ici = representant_a("80021")
    epci = amiens()
    accordee(ici, montant="1000", le=date(2026, 1, 5))
    with django_assert_num_queries(3):
        sections.section_epci_demandes(epci, None)
    for i in range(4):
        accordee(ici, montant="1000", le=date(2025, 1, 5 + i))
    with django_assert_num_queries(3):
        sections.section_epci_demandes(epci, None)


def test_the_staff_epci_page_shows_the_section_with_links_to_the_instruction(agent_client, section_enregistree):
    demande = accordee(
        representant_a("80021"), montant="12500", le=date(2026, 6, 19), denomination="Atelier Picard (test)"
    )

    reponse = agent_client.get(reverse("territoires_agents:epci-detail", args=[AMIENS_METROPOLE]))

    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    section = html[html.index(">Demandes et montants accordés</h2>") :]
    assert f'href="{reverse("aides_instruction:demande", args=[demande.pk])}"' in section
    ligne = section[section.index(demande.numero_depot) :].split("</tr>")[0]
    assert "Atelier Picard (test)" in ligne and demande.dispositif.nom in ligne
    assert "12\u00a0500,00\u00a0€" in ligne and "19/06/2026" in ligne
    assert '<th scope="row" class="fw-normal">2026</th>' in section


def test_a_territory_without_applications_says_so(agent_client, section_enregistree):
    reponse = agent_client.get(reverse("territoires_agents:epci-detail", args=[AMIENS_METROPOLE]))
    html = unescape(reponse.content.decode())
    assert "Aucune demande d'aide déposée par un établissement de ce territoire." in html


# --- Project review page ----------------------------------------------------------------------------


def test_the_review_page_lists_the_applications_of_the_companies_on_its_agenda(
    client, creer_agent, section_enregistree
):
    from crm.revues import point_ajouter
    from crm.services_revues import revue_creer
    from portal.roles import Role

    pilotage = creer_agent(Role.PILOTAGE)
    revue = revue_creer(par=pilotage, epcis=[amiens()], date=date(2027, 3, 10), lieu="Hôtel de Région")
    a_l_ordre_du_jour, absente = representant_a("80021"), representant_a("80021")
    accordee_ici = accordee(a_l_ordre_du_jour, montant="8000", le=date(2026, 6, 19))
    en_cours = demande_deposee(representant=a_l_ordre_du_jour)
    brouillon = DemandeFactory(representant=a_l_ordre_du_jour)
    autre = demande_deposee(representant=absente)
    point_ajouter(revue=revue, entreprise=a_l_ordre_du_jour.entreprise, sujet="Extension", par=pilotage)

    section = sections.section_revue_demandes(revue, None)
    assert [d.pk for d in section.contexte["demandes"]] == [en_cours.pk, accordee_ici.pk]

    client.force_login(creer_agent(Role.INSTRUCTEUR))
    html = unescape(client.get(reverse("crm_agents:revue-detail", args=[revue.pk])).content.decode())
    bloc = html[html.index(">Demandes d'aide des entreprises à l'ordre du jour</h2>") :]
    assert f'href="{reverse("aides_instruction:demande", args=[accordee_ici.pk])}"' in bloc
    assert "8\u00a0000,00\u00a0€" in bloc and en_cours.numero_depot in bloc
    assert autre.numero_depot not in html and f"Brouillon n° {brouillon.pk}" not in html


def test_a_review_whose_companies_never_applied_shows_no_application_section(creer_agent):
    from crm.services_revues import revue_creer
    from portal.roles import Role

    revue = revue_creer(par=creer_agent(Role.PILOTAGE), epcis=[amiens()], date=date(2027, 3, 10), lieu="Amiens")
    demande_deposee(representant=representant_a("80021"))
    assert sections.section_revue_demandes(revue, None) is None


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_the_epci_page_with_its_applications_is_accessible(
    page, live_server, creer_agent, connecter, verifier_axe, section_enregistree
):
    from playwright.sync_api import expect

    from portal.roles import Role
    from territoires.chargement import territoires_charger

    territoires_charger()
    demande = accordee(representant_a("80021"), montant="12500", le=date(2026, 6, 19))
    connecter(page, creer_agent(Role.CHARGE_DE_MISSION))
    page.goto(f"{live_server.url}{reverse('territoires_agents:epci-detail', args=[AMIENS_METROPOLE])}")
    section = page.get_by_role("region", name="Demandes et montants accordés")
    expect(section.get_by_role("link", name=demande.numero_depot)).to_be_visible()
    verifier_axe(page)


# --- Dispositifs covered by the EPCI conventions -------------------------------------------------------


def couvert_par(*conventions, **champs) -> Dispositif:
    dispositif = DispositifFactory(**champs)
    dispositif.conventions_territoriales.add(*conventions)
    return dispositif


def test_the_public_contacts_page_lists_the_published_aids_of_the_conventions_in_force(client):
    jour = timezone.localdate()
    en_vigueur = ConventionFactory(epci=amiens())
    cadre = ConventionFactory(epci=amiens(), type=TypeConvention.CADRE)
    expiree = ConventionFactory(
        epci=amiens(), date_debut=jour - timedelta(days=1500), date_fin=jour - timedelta(days=400)
    )
    non_signee = ConventionFactory(
        epci=amiens(), type=TypeConvention.STRATEGIQUE, statut=ConventionTerritoriale.Statut.EN_NEGOCIATION
    )
    ailleurs = ConventionFactory(epci=EPCI.objects.get(siren="200071892"))
    couvert_par(en_vigueur, cadre, nom="Booster TPE de test")  # two conventions in force: listed once
    couvert_par(en_vigueur, nom="Aide en projet", statut=Dispositif.Statut.BROUILLON)
    couvert_par(expiree, nom="Aide de l'ancienne convention")
    couvert_par(non_signee, nom="Aide de la convention en négociation")
    couvert_par(ailleurs, nom="Aide du Saint-Quentinois")

    html = unescape(client.get(reverse("territoires:contacts", args=[AMIENS_METROPOLE])).content.decode())

    assert "Aides couvertes par les conventions de votre territoire" in html
    assert html.count('<a href="/aides/booster-tpe-de-test/">Booster TPE de test</a>') == 1
    for absente in ("Aide en projet", "ancienne convention", "en négociation", "Saint-Quentinois"):
        assert absente not in html


def test_the_contacts_page_without_covered_aids_shows_no_such_section(client):
    couvert_par(ConventionFactory(epci=amiens(), statut=ConventionTerritoriale.Statut.PROJET))

    html = client.get(reverse("territoires:contacts", args=[AMIENS_METROPOLE])).content.decode()

    assert "Aides couvertes par les conventions" not in html


def test_the_covered_aids_section_runs_one_query_whatever_their_number(django_assert_num_queries):
    epci = amiens()
    convention = ConventionFactory(epci=epci)
    for rang in range(8):
        couvert_par(convention, nom=f"Aide couverte {rang}")

    with django_assert_num_queries(1):
        section = sections.section_contacts_dispositifs(epci, None)

    assert [d.nom for d in section.contexte["dispositifs"]] == [f"Aide couverte {rang}" for rang in range(8)]


def test_the_convention_page_lists_its_dispositifs_whatever_their_state(agent_client, django_assert_num_queries):
    convention = ConventionFactory(epci=amiens())
    publie = couvert_par(convention, nom="Aide publiée")
    brouillon = couvert_par(convention, nom="Aide brouillon", statut=Dispositif.Statut.BROUILLON)
    couvert_par(ConventionFactory(epci=amiens(), type=TypeConvention.CADRE), nom="Aide d'une autre convention")

    with django_assert_num_queries(1):
        sections.section_convention_dispositifs(convention, None)
    html = agent_client.get(reverse("territoires_agents:convention-detail", args=[convention.pk])).content.decode()

    assert "Dispositifs couverts par cette convention" in html
    for dispositif in (publie, brouillon):
        assert f'<a href="/agents/aides/{dispositif.pk}/">{dispositif.nom}</a>' in html
    assert "Brouillon" in html
    assert "Aide d&#x27;une autre convention" not in html


def test_a_convention_without_dispositifs_says_how_to_link_them(agent_client):
    convention = ConventionFactory(epci=amiens())

    html = agent_client.get(reverse("territoires_agents:convention-detail", args=[convention.pk])).content.decode()

    assert "Aucun dispositif n'est rattaché à cette convention." in unescape(html)


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_the_public_contacts_page_with_covered_aids_is_accessible_and_leads_to_the_aid(page, live_server, verifier_axe):
    from playwright.sync_api import expect

    from territoires.chargement import territoires_charger

    territoires_charger()
    couvert_par(ConventionFactory(epci=amiens()), nom="Booster TPE de test")
    page.goto(f"{live_server.url}{reverse('territoires:contacts', args=[AMIENS_METROPOLE])}")
    section = page.get_by_role("region", name="Aides couvertes par les conventions de votre territoire")
    verifier_axe(page)

    section.get_by_role("link", name="Booster TPE de test").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Booster TPE de test")


def test_the_contacts_page_lists_only_the_aids_the_catalogue_says_cover_the_territory(client):
    """One coverage rule (Dispositif.objects.couvrant): an Aisne-only aid linked to the convention of
    a Somme EPCI is not shown on that EPCI's page."""
    from territoires.models import Departement

    en_vigueur = ConventionFactory(epci=amiens())
    aisne, somme = Departement.objects.get(code="02"), Departement.objects.get(code="80")
    couvert_par(en_vigueur, nom="Aide axonaise", couvre_region=False, departements=[aisne])
    couvert_par(en_vigueur, nom="Aide samarienne", couvre_region=False, departements=[somme])
    couvert_par(en_vigueur, nom="Aide de la métropole", couvre_region=False, epcis=[amiens()])
    couvert_par(en_vigueur, nom="Aide régionale")

    html = unescape(client.get(reverse("territoires:contacts", args=[AMIENS_METROPOLE])).content.decode())

    for presente in ("Aide samarienne", "Aide de la métropole", "Aide régionale"):
        assert presente in html
    assert "Aide axonaise" not in html
    assert set(Dispositif.objects.couvrant(amiens()).filter(nom__startswith="Aide ")) == set(
        Dispositif.objects.filter(nom__in=["Aide samarienne", "Aide de la métropole", "Aide régionale"])
    )


def test_the_staff_epci_page_runs_the_same_queries_whatever_its_companies_files_and_requests(
    agent_client, section_enregistree, django_assert_max_num_queries
):
    """No N+1 on the EPCI page: companies helped, applications and requests add rows, not queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crm import services as crm_services

    url = reverse("territoires_agents:epci-detail", args=[AMIENS_METROPOLE])

    def ajouter(n):
        for i in range(n):
            representant = representant_a("80021")
            accordee(representant, montant="1000", le=date(2026, 2, 6), denomination=f"Société {i}")
            crm_services.sollicitation_creer(
                commune=Commune.objects.get(code_insee="80021"),
                besoin="investir",
                origine="formulaire",
                nom=f"Demandeur {i}",
                email=f"d{i}@exemple.fr",
                consentement=True,
                entreprise=representant.etablissement.entreprise,
            )

    def requetes() -> int:
        with CaptureQueriesContext(connection) as capture:
            assert agent_client.get(url).status_code == 200
        return len(capture)

    agent_client.get(url)  # warm-up: session, map cache
    ajouter(2)
    peu = requetes()
    ajouter(6)
    beaucoup = requetes()
    assert peu == beaucoup
    with django_assert_max_num_queries(23):  # + the user's roles (least privilege), read once per request
        agent_client.get(url)

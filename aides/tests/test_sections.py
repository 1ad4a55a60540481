"""The section « Demandes et montants accordés » that aides adds to the staff EPCI page."""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from aides import sections
from aides.models import Demande, Statut
from aides.tests.factories_demande import DemandeFactory, RepresentantFactory, demande_deposee
from crm.models import Entreprise
from crm.tests.factories import EtablissementFactory
from territoires.extensions import PAGE_EPCI, section_retirer
from territoires.models import EPCI, Commune

pytestmark = pytest.mark.django_db

AMIENS_METROPOLE = "248000531"


@pytest.fixture
def section_enregistree():
    sections.enregistrer()
    yield
    section_retirer(PAGE_EPCI, sections.section_epci_demandes)


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
    from portal.roles import Role
    from territoires.services_revues import revue_creer

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
    html = unescape(client.get(reverse("territoires_agents:revue-detail", args=[revue.pk])).content.decode())
    bloc = html[html.index(">Demandes d'aide des entreprises à l'ordre du jour</h2>") :]
    assert f'href="{reverse("aides_instruction:demande", args=[accordee_ici.pk])}"' in bloc
    assert "8\u00a0000,00\u00a0€" in bloc and en_cours.numero_depot in bloc
    assert autre.numero_depot not in html and f"Brouillon n° {brouillon.pk}" not in html


def test_a_review_whose_companies_never_applied_shows_no_application_section(creer_agent):
    from portal.roles import Role
    from territoires.services_revues import revue_creer

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

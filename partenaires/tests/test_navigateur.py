"""In the browser: a referral to a BGE answered in the partner space and shown on the company's
timeline, and a reminder when nobody takes one; the embed framed by the partner's site and refused
elsewhere."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from crm import services as crm_services
from crm.jours_ouvres import est_ouvre
from crm.models import Sollicitation
from crm.tests.factories import EntrepriseFactory, StructureFactory
from partenaires import services
from partenaires.models import Orientation, SiteIntegration
from portal.models import Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory
from portal.tests.second_facteur import code_totp
from territoires.chargement import territoires_charger
from territoires.models import Commune, ConventionTerritoriale, TypeConvention
from territoires.tests.factories import ConventionFactory

from .factories import MembreFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


@pytest.mark.django_db(transaction=True)
def test_an_agent_reorients_a_request_to_a_bge_whose_member_takes_and_answers_it(
    page, live_server, connecter, verifier_axe
):
    territoires_charger()
    agent = AgentFactory(roles=[Role.CHARGE_DE_MISSION], first_name="Camille", last_name="Lefebvre")
    bge = StructureFactory(nom="BGE Picardie", sigle="BGE")
    membre = MembreFactory(structure=bge).utilisateur
    entreprise = EntrepriseFactory(denomination="Boulangerie Martin")
    sollicitation = crm_services.sollicitation_creer(
        origine="formulaire",
        nom="Claire Martin",
        email="claire@pme.fr",
        consentement=True,
        besoin="creer",
        entreprise=entreprise,
        commune=Commune.objects.get(code_insee="80021"),
    )

    connecter(page, agent)
    page.goto(f"{live_server.url}/agents/crm/sollicitations/{sollicitation.pk}/")
    page.get_by_label("Ou vers un partenaire").select_option(label="BGE")
    page.get_by_label("Motif").fill("Projet de création : accompagnement BGE")
    page.get_by_role("button", name="Réorienter").click()
    page.wait_for_load_state()
    assert Orientation.objects.get().structure == bge
    page.context.clear_cookies()

    connecter(page, membre)
    page.goto(f"{live_server.url}/partenaires/")
    verifier_axe(page)
    page.get_by_role("link", name="Claire Martin").click()
    page.get_by_role("button", name="Prendre en charge").click()
    page.wait_for_load_state()
    page.get_by_label("Traitée").check()
    page.get_by_label("Note pour la Région").fill("Premier rendez-vous fixé le 12 mars.")
    page.get_by_role("button", name="Envoyer la réponse").click()
    page.wait_for_load_state()
    assert "Réponse transmise à la Région" in page.content()
    verifier_axe(page)

    # A second request re-oriented to the BGE that nobody takes: two working days later, its members
    # are reminded (the daily job), and the partner's list shows it; the answered one is not reminded.
    autre = crm_services.sollicitation_creer(
        origine="formulaire",
        nom="Paul Durand",
        email="paul@pme.fr",
        consentement=True,
        besoin="investir",
        commune=Commune.objects.get(code_insee="80021"),
    )
    services.orientation_creer(sollicitation=autre, structure=bge, par=agent, motif="Financement BGE")
    futur = timezone.now() + timedelta(days=7)
    while not est_ouvre(timezone.localtime(futur).date()):
        futur += timedelta(days=1)
    assert services.orientations_relancer(maintenant=futur) == 1
    relance = Notification.objects.get(gabarit="partenaires_orientation_relance")
    assert relance.destinataire == membre.email and "Paul Durand" in relance.corps_texte
    page.goto(f"{live_server.url}/partenaires/")
    ligne = page.get_by_role("row").filter(has_text="Paul Durand")
    assert f"relancée le {timezone.localtime(futur):%d/%m/%Y}" in ligne.inner_text()
    assert "relancée" not in page.get_by_role("row").filter(has_text="Claire Martin").inner_text()
    page.goto(f"{live_server.url}/agents/")
    assert page.locator("text=Tableau de bord").count() == 0  # nothing under /agents/ for a partner
    page.context.clear_cookies()

    connecter(page, agent)
    page.goto(f"{live_server.url}/agents/crm/entreprises/{entreprise.siren}/")
    chronologie = page.locator(".crm-chronologie").inner_text()
    assert "Réponse du partenaire : traitée" in chronologie
    assert "Premier rendez-vous fixé le 12 mars." in chronologie


def serveur_partenaire(html: str) -> tuple[ThreadingHTTPServer, str]:
    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            corps = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(corps)))
            self.end_headers()
            self.wfile.write(corps)

        def log_message(self, *args):
            pass

    serveur = ThreadingHTTPServer(("localhost", 0), Page)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    return serveur, f"http://localhost:{serveur.server_address[1]}"


@pytest.mark.django_db(transaction=True)
def test_the_embed_works_on_the_partner_site_and_is_refused_elsewhere(page, live_server):
    territoires_charger()
    adresse = f"{live_server.url}/integration/bge/contact/"
    html = (
        '<!doctype html><html lang="fr"><title>BGE</title><h1>Site BGE</h1>'
        f'<iframe src="{adresse}" width="600" height="900" title="Être contacté"></iframe></html>'
    )
    autorise, origine_autorisee = serveur_partenaire(html)
    refuse, origine_refusee = serveur_partenaire(html)
    try:
        SiteIntegration.objects.create(cle="bge", origine=origine_autorisee, structure=StructureFactory(nom="BGE"))

        page.goto(origine_autorisee)
        cadre = page.frame_locator("iframe")
        cadre.get_by_text("Région Hauts-de-France").first.wait_for()
        cadre.get_by_label("Vos nom et prénom").fill("Claire Martin")
        cadre.get_by_label("Votre adresse électronique").fill("claire@pme.fr")
        cadre.get_by_label("Commune de l'entreprise ou du projet").fill("80021")
        cadre.get_by_label("Votre besoin").select_option("creer")
        cadre.get_by_label("J'accepte").check()
        cadre.get_by_role("button", name="Envoyer ma demande à la Région").click()
        cadre.get_by_text("Demande envoyée à la Région").wait_for()
        assert Sollicitation.objects.get().provenance.origine == origine_autorisee

        page.goto(origine_refusee, wait_until="load")  # "load" waits for the frame too
        assert page.frames[1].url.startswith("chrome-error://"), page.frames[1].url  # blocked by frame-ancestors
        assert cadre.get_by_text("Être contacté par la Région Hauts-de-France").count() == 0
        assert Sollicitation.objects.count() == 1

        # A page of another site posting the form itself (with its visitors' addresses) is refused.
        page.goto(f"{origine_refusee}/formulaire")
        page.set_content(
            f'<!doctype html><html lang="fr"><title>Autre</title><form method="post" action="{adresse}">'
            '<input name="nom" value="Robot"><input name="email" value="r@spam.example">'
            '<input name="commune" value="80021"><input name="besoin" value="creer">'
            '<input name="consentement" value="on"><button>Envoyer</button></form></html>'
        )
        with page.expect_response(adresse) as envoi:
            page.get_by_role("button", name="Envoyer").click()
        assert envoi.value.status == 403
        assert Sollicitation.objects.count() == 1
    finally:
        autorise.shutdown()
        refuse.shutdown()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_an_epci_user_reads_its_territory_signs_a_convention_and_a_visitor_finds_their_contact(
    page, live_server, connecter, verifier_axe, mot_de_passe
):
    from .factories import MembreEpciFactory

    territoires_charger()
    amiens = Commune.objects.get(code_insee="80021")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/")
    page.get_by_label("Votre commune (nom ou code postal)").fill("80021")
    page.get_by_role("button", name="Trouver", exact=True).click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/territoires/{amiens.epci.siren}/contacts/")
    page.goto(f"{live_server.url}/trouver-mon-contact/")
    verifier_axe(page)

    convention = ConventionFactory(
        epci=amiens.epci,
        type=TypeConvention.CADRE,
        statut=ConventionTerritoriale.Statut.EN_NEGOCIATION,
        intitule="Convention cadre 2027",
        signataire_epci="",
    )
    membre = MembreEpciFactory(
        epci=amiens.epci, utilisateur__first_name="Inès", utilisateur__last_name="Morel"
    ).utilisateur
    connecter(page, membre)
    page.goto(f"{live_server.url}/partenaires/epci/")
    assert amiens.epci.nom in page.locator("h1").inner_text()
    verifier_axe(page)
    documents = page.locator("#documents")
    documents.get_by_label("Votre mot de passe").fill(mot_de_passe)
    documents.get_by_label("Code de votre application d'authentification").fill(code_totp(membre))
    documents.get_by_role("button", name="Signer pour l'EPCI").click()
    page.wait_for_load_state()
    assert "signée pour l'EPCI" in page.locator(".alert").first.inner_text()
    assert "Signée pour l'EPCI par Inès Morel, en attente de la Région" in documents.inner_text()
    convention.refresh_from_db()
    assert convention.signataire_epci.startswith("Inès Morel")
    verifier_axe(page)


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_company_s_administrator_gives_and_withdraws_its_consent(
    page, live_server, connecter, verifier_axe
):
    from aides.demandes.tests.factories import MembreVerifieFactory

    territoires_charger()
    administrateur = MembreVerifieFactory(utilisateur__first_name="Claire", utilisateur__last_name="Martin")
    page.set_viewport_size({"width": 390, "height": 844})
    connecter(page, administrateur.utilisateur)
    page.goto(f"{live_server.url}/espace/")
    page.get_by_role("link", name="Être citée comme entreprise aidée").click()
    verifier_axe(page)
    ligne = page.get_by_role("row").filter(has_text="partenaires de la Région")
    ligne.get_by_role("button", name="Donner l'accord").click()
    page.wait_for_load_state()
    ligne = page.get_by_role("row").filter(has_text="partenaires de la Région")
    assert "Accord donné" in ligne.inner_text() and "Claire Martin" in ligne.inner_text()
    assert "Pas d'accord" in page.get_by_role("row").filter(has_text="listes publiques").inner_text()
    ligne.get_by_role("button", name="Retirer l'accord").click()
    page.wait_for_load_state()
    assert "Accord retiré" in page.get_by_role("row").filter(has_text="partenaires de la Région").inner_text()
    verifier_axe(page)

"""In a real browser: the SAF establishes the convention of a granted application, the company signs
it in /espace/, the Région signs, and the SAF pages show every step with its date.

The PDF is rendered by calling the task's function synchronously from the test (the Celery path is
the same function; the worker itself is exercised by the receipt tests)."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.models.convention import ConventionAide, Etape, Signature
from aides.conventions.pdf import convention_pdf_generer
from aides.conventions.tests.factories import demande_accordee
from aides.demandes.tests.factories import RepresentantFactory
from conftest import code_totp
from crm.tests.factories import EntrepriseFactory, EtablissementFactory
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.tests.factories import CommuneFactory

pytestmark = pytest.mark.usefixtures("media")


def _deconnecter(page):
    page.context.clear_cookies()


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_the_saf_issues_the_company_signs_the_region_signs_and_the_dashboard_dates_each_step(
    page, live_server, connecter, verifier_axe, mot_de_passe
):
    url = live_server.url
    page.set_default_timeout(10_000)
    representant = RepresentantFactory(
        etablissement=EtablissementFactory(
            entreprise=EntrepriseFactory(denomination="Menuiserie Lefebvre"), commune=CommuneFactory()
        )
    )
    demande = demande_accordee(
        montant=Decimal("45000"),
        representant=representant,
        dispositif=DispositifFactory(nom="Aide à l'investissement productif (test)"),
    )
    gestionnaire = AgentFactory(roles=[Role.GESTIONNAIRE_SAF], first_name="Sam", last_name="Fournier")
    pilote = AgentFactory(roles=[Role.PILOTAGE], first_name="Régine", last_name="Delattre")

    # The SAF establishes the convention from the dashboard.
    connecter(page, gestionnaire)
    page.goto(f"{url}/agents/saf/")
    verifier_axe(page)
    page.get_by_role("link", name=f"Établir la convention de la demande {demande.numero_depot}").click()
    verifier_axe(page)
    page.get_by_role("button", name="Créer la convention et générer le PDF").click()
    page.wait_for_load_state()
    assert "Génération du PDF en cours" in page.content()
    convention = ConventionAide.objects.get(demande=demande)
    verifier_axe(page)
    convention_pdf_generer(convention_id=convention.pk, par_id=gestionnaire.pk)  # what the Travail runs
    # The one poller (static/js/document-en-preparation.js) shows the new version's link once it is ready.
    lien = page.get_by_role("link", name="Télécharger la nouvelle version (PDF)")
    lien.wait_for()
    assert (
        lien.get_attribute("href")
        == f"/agents/saf/conventions/{convention.pk}/versions/{convention.versions.get().pk}/"
    )
    page.reload()
    assert "Version 1" in page.content()
    page.get_by_role("button", name="Envoyer au bénéficiaire pour signature").click()
    page.wait_for_load_state()
    assert page.locator("#etape").inner_text() == "Envoyée au bénéficiaire"
    _deconnecter(page)

    # The company reviews and signs in its space.
    connecter(page, representant.utilisateur)
    page.goto(f"{url}/espace/conventions/")
    verifier_axe(page)
    page.get_by_role("link", name=convention.numero).click()
    verifier_axe(page)
    lien = page.get_by_role("link", name="Lire la convention (PDF, version 1").get_attribute("href")
    pdf = page.request.get(f"{url}{lien}")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
    page.get_by_label("Votre mot de passe").fill("pas le bon")
    page.get_by_label("J'ai lu la convention").check()
    page.get_by_role("button", name="Je signe").click()
    page.wait_for_load_state()
    assert "Mot de passe incorrect" in page.content()
    verifier_axe(page)
    page.get_by_label("Votre mot de passe").fill(mot_de_passe)
    page.get_by_label("J'ai lu la convention").check()
    page.get_by_role("button", name="Je signe").click()
    page.wait_for_load_state()
    assert "est signée" in page.content()
    _deconnecter(page)

    # The Région signs.
    connecter(page, pilote)
    page.goto(f"{url}/agents/saf/conventions/{convention.pk}/")
    verifier_axe(page)
    assert page.get_by_role("heading", name="Signer au nom de la Région (version 1)").is_visible()
    page.get_by_label("Votre mot de passe").fill(mot_de_passe)
    page.get_by_label("Code de votre application d'authentification").fill("000000")
    page.get_by_role("button", name="Signer au nom de la Région").click()
    page.wait_for_load_state()
    assert "Code incorrect ou expiré" in page.get_by_role("alert").first.inner_text()
    verifier_axe(page)
    page.wait_for_timeout(1100)  # a wrong code slows the next attempt down by a second
    page.get_by_label("Votre mot de passe").fill(mot_de_passe)
    page.get_by_label("Code de votre application d'authentification").fill(code_totp(pilote))
    page.get_by_role("button", name="Signer au nom de la Région").click()
    page.wait_for_load_state()
    assert page.locator("#etape").inner_text() == "Signée par la Région"

    # Every step is dated on the convention page and the dashboard shows the current one.
    aujourdhui = timezone.localdate().strftime("%d/%m/%Y")
    etapes = page.locator("#etapes li").all_inner_texts()
    assert [re.split(r" le \d", texte)[0] for texte in etapes] == [
        "À éditer",
        "Éditée",
        "Envoyée au bénéficiaire",
        "Signée par le bénéficiaire",
        "Signée par la Région",
    ]
    assert all(aujourdhui in texte for texte in etapes)
    page.goto(f"{url}/agents/saf/?etape={Etape.SIGNEE_REGION}")
    verifier_axe(page)
    ligne = page.get_by_role("row").filter(has_text=convention.numero)
    assert aujourdhui in ligne.inner_text() and "Signée par la Région" in ligne.inner_text()
    signatures = Signature.objects.filter(convention=convention)
    assert {s.partie for s in signatures} == {"beneficiaire", "region"}
    assert len({s.sha256_version for s in signatures}) == 1

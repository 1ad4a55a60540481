"""In a real browser: an instructeur ticks files in the inbox (« Tout sélectionner » with the
keyboard), records the commission's grant; the company then downloads its decision letter."""

from datetime import timedelta

import pytest
from django.utils import timezone

from aides.demandes.models.demande import Demande, Statut
from aides.demandes.tests.factories import demande_en_instruction
from aides.demandes.tests.test_lettres import executer_travaux
from conftest import connexion_navigateur
from portal.roles import Role
from portal.tests.factories import AgentFactory


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_an_instructeur_records_a_commission_then_the_company_gets_its_letter(
    page, browser, live_server, territoires_recharges, mot_de_passe, verifier_axe, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    instructeur = AgentFactory(roles=[Role.INSTRUCTEUR], first_name="Inès", last_name="Truffaut")
    demandes = [demande_en_instruction(instructeur) for _ in range(3)]
    url = live_server.url
    page.set_default_timeout(10_000)
    connexion_navigateur(page, url, instructeur, mot_de_passe)
    page.goto(f"{url}/agents/instruction/?statut=en_instruction")
    verifier_axe(page)
    tout = page.get_by_label("Tout sélectionner")
    tout.focus()
    page.keyboard.press("Space")
    assert all(page.get_by_label(f"Sélectionner la demande {d.numero_depot}").is_checked() for d in demandes)
    page.get_by_label(f"Sélectionner la demande {demandes[2].numero_depot}").uncheck()
    assert tout.evaluate("e => e.indeterminate")
    page.get_by_label("Action sur les dossiers sélectionnés").select_option("decision")
    page.get_by_label("Décision", exact=True).select_option(Statut.ACCORDEE)
    page.get_by_label("Motif (communiqué à l'entreprise)").fill("Avis favorable de la commission.")
    page.get_by_label("Date de la commission").fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_label("Numéro de délibération").fill("CP-2026-12")
    page.get_by_role("button", name="Appliquer aux dossiers cochés").click()
    page.wait_for_load_state()
    assert "2 dossiers traités." in page.locator(".messages").inner_text()
    verifier_axe(page)
    statuts = dict(Demande.objects.values_list("pk", "statut"))
    assert [statuts[d.pk] for d in demandes] == [Statut.ACCORDEE, Statut.ACCORDEE, Statut.EN_INSTRUCTION]

    executer_travaux()  # what the documents worker does after commit
    entreprise = browser.new_page(locale="fr-FR")
    entreprise.set_default_timeout(10_000)
    connexion_navigateur(entreprise, url, demandes[0].demandeur, mot_de_passe)
    entreprise.goto(f"{url}/espace/demandes/{demandes[0].pk}/")
    verifier_axe(entreprise)
    with entreprise.expect_download() as telechargement:
        entreprise.get_by_role("link", name="Lettre de décision, version 1 (PDF)").click()
    assert telechargement.value.suggested_filename == f"lettre-decision-{demandes[0].numero_depot}-v1.pdf"

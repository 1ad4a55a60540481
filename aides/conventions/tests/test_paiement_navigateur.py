"""In a real browser (issue 17): a company requests its advance, then an instalment with three
invoices; SAF rejects one line with a motive and pays the rest; the company sees the payment and
what remains; the balance request requires the final report."""

from decimal import Decimal

import pytest

from aides.conventions.models.paiement import DemandeVersement
from aides.conventions.services import convention as sc
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories_paiement import convention_a_payer
from aides.demandes.tests.factories import PDF_MINIMAL

pytestmark = pytest.mark.usefixtures("media", "territoires_recharges")


def _fichier(nom):
    return {"name": nom, "mimeType": "application/pdf", "buffer": PDF_MINIMAL}


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_advance_then_instalment_with_a_rejected_line_then_the_balance_needs_the_report(
    page, live_server, connecter, connecter_agent, verifier_axe
):
    url = live_server.url
    page.set_default_timeout(15_000)
    convention, membre = convention_a_payer()
    saf = convention.gestionnaire
    machine = convention.demande.lignes.get(nature="Machine")
    jour = sp.periode_convention(convention)[0].isoformat()

    # The company asks for its advance: nothing to type but the certification.
    connecter(page, membre.utilisateur)
    page.goto(f"{url}/espace/conventions/{convention.pk}/")
    verifier_axe(page)
    assert "Demander le versement : avance" in page.locator("#prochaine-action").inner_text()
    page.get_by_label("Demander un versement sur la tranche").select_option(label="Avance (30 %)")
    page.get_by_role("button", name="Préparer la demande").click()
    page.get_by_label("Je certifie sur l'honneur").check()
    page.get_by_role("button", name="Déposer la demande").click()
    assert page.locator("#etat-demande").inner_text() == "Déposée, en vérification"
    avance = DemandeVersement.objects.get(type="avance")
    assert avance.montant_demande == Decimal("6000.00")
    sp.demande_versement_accepter(demande_versement_id=avance.pk, par=saf)
    avance.refresh_from_db()
    for _ in range(2):
        sc.versement_avancer(versement_id=avance.versement_id, par=saf)

    # Then an instalment with three invoices.
    page.goto(f"{url}/espace/conventions/{convention.pk}/")
    page.get_by_label("Demander un versement sur la tranche").select_option(label="Acompte (40 %)")
    page.get_by_role("button", name="Préparer la demande").click()
    verifier_axe(page)
    for i, montant in enumerate(("4000", "3000", "2000")):
        page.locator(f"#id_lignes-{i}-fournisseur").fill(f"Fournisseur {i + 1}")
        page.locator(f"#id_lignes-{i}-numero_facture").fill(f"F-{i + 1}")
        page.locator(f"#id_lignes-{i}-date_facture").fill(jour)
        page.locator(f"#id_lignes-{i}-montant_ht").fill(montant)
        page.locator(f"#id_lignes-{i}-montant_ttc").fill(str(int(montant) * 12 // 10))
        page.locator(f"#id_lignes-{i}-ligne_depense").select_option(str(machine.pk))
        page.locator(f"#id_fichier_{i + 1}").set_input_files(_fichier(f"facture-{i + 1}.pdf"))
    page.get_by_label("Je certifie sur l'honneur").check()
    page.get_by_role("button", name="Déposer la demande").click()
    assert page.locator("#etat-demande").inner_text() == "Déposée, en vérification"
    acompte = DemandeVersement.objects.get(type="acompte")
    assert acompte.montant_demande == Decimal("4500.00") and acompte.pieces.count() == 3

    # SAF rejects one invoice with its motive, accepts the rest, and pays.
    page.context.clear_cookies()
    connecter_agent(page, saf)
    page.goto(f"{url}/agents/saf/versements/")
    verifier_axe(page)
    page.get_by_role("link", name=convention.numero).click()
    verifier_axe(page)
    page.get_by_label("Rejeter la facture F-2").check()
    page.get_by_label("Motif du rejet de la facture F-2").fill("Facture au nom d'une autre société.")
    page.get_by_role("button", name="Accepter (les factures non rejetées) et enregistrer le versement").click()
    assert page.locator("#etat-demande").inner_text() == "Acceptée, versement enregistré"
    page.goto(f"{url}/agents/saf/conventions/{convention.pk}/")
    page.get_by_role("button", name="Marquer mandaté").click()
    page.get_by_role("button", name="Marquer payé").click()
    acompte.refresh_from_db()
    assert acompte.montant_retenu == Decimal("3000.00")

    # The company sees what was paid and what remains.
    page.context.clear_cookies()
    connecter(page, membre.utilisateur)
    page.goto(f"{url}/espace/conventions/{convention.pk}/")
    assert page.locator("#deja-paye").inner_text() == "9\u00a0000,00\u00a0€"
    assert page.locator("#reste-a-percevoir").inner_text() == "11\u00a0000,00\u00a0€"
    page.get_by_role("link", name="Acceptée, versement enregistré").nth(1).click()  # the instalment
    assert "Non : Facture au nom d'une autre société." in page.content()

    # The balance requires the final report.
    page.goto(f"{url}/espace/conventions/{convention.pk}/")
    assert "rapport final" in page.locator("#prochaine-action").inner_text()
    page.get_by_label("Demander un versement sur la tranche").select_option(label="Solde (30 %)")
    page.get_by_role("button", name="Préparer la demande").click()
    page.locator("#id_lignes-0-fournisseur").fill("Fournisseur 9")
    page.locator("#id_lignes-0-numero_facture").fill("F-9")
    page.locator("#id_lignes-0-date_facture").fill(jour)
    page.locator("#id_lignes-0-montant_ht").fill("1000")
    page.locator("#id_lignes-0-montant_ttc").fill("1200")
    page.locator("#id_lignes-0-ligne_depense").select_option(str(machine.pk))
    page.locator("#id_fichier_1").set_input_files(_fichier("facture-9.pdf"))
    page.get_by_label("Je certifie sur l'honneur").check()
    page.get_by_role("button", name="Déposer la demande").click()
    assert "Le solde se demande avec le rapport final" in page.locator("#erreurs-depot").inner_text()
    assert page.locator("#id_lignes-0-fournisseur").input_value() == "Fournisseur 9"  # the draft kept it
    assert DemandeVersement.objects.get(type="solde").etat == "brouillon"

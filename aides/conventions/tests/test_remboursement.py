"""Repayment schedules of repayable advances and loans (issue 17): deferral, statuses, import, reminders."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from aides.conventions.models.paiement import EcheanceRemboursement
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories_paiement import convention_a_payer
from portal.models import Notification

pytestmark = pytest.mark.django_db


def _avance_remboursable():
    convention, membre = convention_a_payer(montant=Decimal("10000"))
    convention.nature = "avance-remboursable"
    convention.save(update_fields=["nature"])
    return convention, membre


def test_schedule_with_deferral_amounts_to_the_cent_and_a_late_instalment(settings):
    settings.REMBOURSEMENT_JOURS_GRACE = 15
    convention, _ = _avance_remboursable()
    echeances = sp.echeancier_remboursement_generer(
        convention_id=convention.pk,
        par=convention.gestionnaire,
        montant=Decimal("10000"),
        debut=date(2025, 1, 31),
        differe_mois=12,
        nombre=3,
        periodicite_mois=3,
    )
    # 12 months of deferral, then quarterly; 10,000 / 3 → 3,333.33 × 2 + 3,333.34
    assert [(e.date_echeance, e.montant) for e in echeances] == [
        (date(2026, 4, 30), Decimal("3333.33")),
        (date(2026, 7, 31), Decimal("3333.33")),
        (date(2026, 10, 31), Decimal("3333.34")),
    ]
    assert sum(e.montant for e in echeances) == Decimal("10000")
    premiere, deuxieme, troisieme = echeances
    sp.echeance_payer(
        echeance_id=premiere.pk, par=convention.gestionnaire, paye_le=date(2026, 4, 29), montant_paye=Decimal("3333.33")
    )
    premiere.refresh_from_db()
    le = date(2026, 11, 10)
    assert premiere.statut(le) == EcheanceRemboursement.Statut.PAYEE
    assert deuxieme.statut(le) == EcheanceRemboursement.Statut.EN_RETARD  # 102 days late
    assert troisieme.statut(le) == EcheanceRemboursement.Statut.ECHUE  # 10 days, within the grace period
    assert troisieme.statut(date(2026, 10, 30)) == EcheanceRemboursement.Statut.A_VENIR
    assert sp.encours_par_convention([convention]) == {convention.pk: Decimal("6666.67")}
    with pytest.raises(ValidationError, match="déjà payées"):
        sp.echeancier_remboursement_generer(convention_id=convention.pk, par=convention.gestionnaire)


def test_a_subsidy_has_no_repayment_schedule():
    convention, _ = convention_a_payer()
    with pytest.raises(ValidationError, match="prêts et avances remboursables"):
        sp.echeancier_remboursement_generer(convention_id=convention.pk, par=convention.gestionnaire)


def test_csv_import_of_the_accounting_system_records_payments_and_reports_errors():
    convention, _ = _avance_remboursable()
    sp.echeancier_remboursement_generer(
        convention_id=convention.pk, par=convention.gestionnaire, debut=date(2024, 1, 1), differe_mois=0, nombre=4
    )
    contenu = (
        "convention;echeance;date_paiement;montant\n"
        f"{convention.numero};1;02/04/2024;2 500,00\n"
        f"{convention.numero};9;02/04/2024;10\n"
        f"{convention.numero};2;pas une date;10\n"
    )
    enregistrees, erreurs = sp.remboursements_importer(contenu=contenu, par=convention.gestionnaire)
    assert enregistrees == 1
    assert len(erreurs) == 2 and erreurs[0].startswith("Ligne 3 : aucune échéance 9")
    premiere = convention.remboursements.get(numero=1)
    assert premiere.montant_paye == Decimal("2500.00") and premiere.source == "import"


def test_reminders_before_and_after_the_due_date_once_each(settings):
    settings.REMBOURSEMENT_JOURS_RAPPEL = 15
    settings.REMBOURSEMENT_JOURS_GRACE = 15
    convention, membre = _avance_remboursable()
    sp.echeancier_remboursement_generer(
        convention_id=convention.pk,
        par=convention.gestionnaire,
        debut=date(2026, 1, 1),
        differe_mois=0,
        nombre=2,
        periodicite_mois=3,
    )  # due 01/04/2026 and 01/07/2026
    assert sp.rappels_remboursement_envoyer(aujourd_hui=date(2026, 3, 20)) == 1  # 12 days before the first
    assert sp.rappels_remboursement_envoyer(aujourd_hui=date(2026, 3, 21)) == 0  # once
    assert sp.rappels_remboursement_envoyer(aujourd_hui=date(2026, 4, 20)) == 1  # first is late
    assert sp.rappels_remboursement_envoyer(aujourd_hui=date(2026, 4, 21)) == 0
    sujets = list(
        Notification.objects.filter(gabarit="remboursement_rappel", destinataire=membre.utilisateur.email)
        .order_by("pk")
        .values_list("sujet", flat=True)
    )
    assert sujets == [
        f"Convention {convention.numero} : échéance de remboursement du 01/04/2026",
        f"Convention {convention.numero} : échéance de remboursement impayée",
    ]
    call_command("rappels_remboursements", "--date", "2026-06-20")
    assert Notification.objects.filter(gabarit="remboursement_rappel").count() == 3


def test_outstanding_balance_on_the_company_page_and_the_crm(client):
    convention, membre = _avance_remboursable()
    sp.echeancier_remboursement_generer(
        convention_id=convention.pk, par=convention.gestionnaire, debut=date(2026, 1, 1), differe_mois=0, nombre=2
    )
    client.force_login(membre.utilisateur)
    reponse = client.get(reverse("espace:convention", args=[convention.pk]))
    assert 'id="encours-remboursement">10\u00a0000,00\u00a0€' in reponse.content.decode()
    client.force_login(convention.gestionnaire)
    reponse = client.get(reverse("crm_agents:entreprise", args=[convention.etablissement.entreprise.siren]))
    assert "Encours de remboursement" in reponse.content.decode()

"""Rules of a grant decision: the commission permanente has met, the dispositif's rate is respected."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Statut
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import demande_en_instruction

pytestmark = pytest.mark.django_db


def accorder(demande, par, montant="10000", le=None):
    return services.demande_decider(
        demande_id=demande.pk,
        version=demande.version,
        par=par,
        decision=Statut.ACCORDEE,
        motif="Projet conforme.",
        montant_accorde=Decimal(montant),
        date_commission=le or timezone.localdate(),
        numero_deliberation="CP-2026-12",
    )


def test_a_commission_permanente_dated_in_the_future_is_refused(instructeur):
    demande = demande_en_instruction(instructeur)
    with pytest.raises(ValidationError) as erreur:
        accorder(demande, instructeur, le=timezone.localdate() + timedelta(days=60))
    assert "date_commission" in erreur.value.message_dict
    assert "dans le futur" in erreur.value.message_dict["date_commission"][0]
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION and demande.date_commission is None


def test_a_commission_permanente_of_today_or_before_is_accepted(instructeur):
    demande = demande_en_instruction(instructeur)
    accorder(demande, instructeur, le=timezone.localdate() - timedelta(days=3))
    demande.refresh_from_db()
    assert demande.statut == Statut.ACCORDEE


def test_an_aid_above_the_maximum_rate_of_the_dispositif_is_refused(instructeur):
    # 50,000 € of expenses at 30 % at most: 15,000 € fits, 20,000 € does not.
    demande = demande_en_instruction(instructeur, dispositif=DispositifFactory(taux_max=Decimal("30")))
    with pytest.raises(ValidationError) as erreur:
        accorder(demande, instructeur, montant="20000")
    message = erreur.value.message_dict["montant_accorde"][0]
    assert "30" in message and "15 000,00" in message.replace("\u202f", " ").replace("\xa0", " ")
    demande.refresh_from_db()
    accorder(demande, instructeur, montant="15000")
    demande.refresh_from_db()
    assert demande.statut == Statut.ACCORDEE


def test_the_decision_form_shows_the_future_date_error_in_french(client, instructeur):
    demande = demande_en_instruction(instructeur)
    client.force_login(instructeur)
    reponse = client.post(
        reverse("aides_instruction:decider", args=[demande.pk]),
        {
            "version": demande.version,
            "decision": Statut.ACCORDEE,
            "motif": "Oui.",
            "montant_accorde": "1000",
            "date_commission": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "numero_deliberation": "1",
        },
    )
    assert "commission permanente ne peut pas être dans le futur" in reponse.content.decode()
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION

"""Batch actions of the instruction inbox, and each file's age against its target delay."""

from datetime import timedelta
from decimal import Decimal
from html import unescape

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from aides.demandes.lettres import GENRE_LETTRE
from aides.demandes.models.demande import Demande, Message, Statut
from aides.demandes.models.lettre import LettreDecision
from aides.demandes.services.demande.lot import lot_traiter
from aides.demandes.tests.factories import demande_deposee, demande_en_instruction
from portal.models import Document, Travail
from portal.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructeur(creer_agent):
    return creer_agent(Role.INSTRUCTEUR)


def resume(reponse) -> str:
    return " ".join(str(m) for m in get_messages(reponse.wsgi_request))


def test_a_commission_grants_50_files_in_one_action_and_says_why_two_were_not(client, instructeur):
    demandes = [demande_en_instruction(instructeur) for _ in range(50)]
    for trop in demandes[:2]:  # 30 % of 50 000 € of expenses: 15 000 €, less than the 20 000 € asked
        trop.dispositif.taux_max = Decimal("30")
        trop.dispositif.save()
    client.force_login(instructeur)
    hier = timezone.localdate() - timedelta(days=1)
    reponse = client.post(
        reverse("aides_instruction:lot"),
        {
            "demandes": [d.pk for d in demandes],
            "action": "decision",
            "decision": Statut.ACCORDEE,
            "motif": "Avis favorable de la commission.",
            "date_commission": hier.strftime("%d/%m/%Y"),
            "numero_deliberation": "CP-2026-12",
            "filtres": "statut=en_instruction",
        },
    )
    assert reponse.status_code == 302 and reponse["Location"].endswith("?statut=en_instruction")
    texte = unescape(resume(reponse))
    assert texte.startswith("48 dossiers traités, 2 non traités parce que : ")
    assert demandes[0].numero_depot in texte and "taux maximum" in texte
    accordees = Demande.objects.filter(statut=Statut.ACCORDEE)
    assert accordees.count() == 48
    assert set(accordees.values_list("numero_deliberation", "date_commission", "montant_accorde").distinct()) == {
        ("CP-2026-12", hier, Decimal("20000"))
    }
    lettres = Document.objects.filter(genre=GENRE_LETTRE, statut=Document.Statut.EN_ATTENTE)
    assert lettres.count() == 48 and LettreDecision.objects.filter(document__in=lettres).count() == 48  # one each
    assert (
        Travail.objects.filter(
            arguments__document_id__in=[str(pk) for pk in lettres.values_list("pk", flat=True)]
        ).count()
        == 48
    )


def test_assign_start_and_the_same_complement_through_the_services(instructeur, creer_agent):
    collegue = creer_agent(Role.INSTRUCTEUR)
    deposees = [demande_deposee() for _ in range(3)]
    assert lot_traiter(demandes=deposees, action="attribuer", par=instructeur, instructeur=collegue).echecs == []
    assert set(Demande.objects.values_list("instructeur", flat=True)) == {collegue.pk}
    resultat = lot_traiter(demandes=list(Demande.objects.all()), action="commencer", par=instructeur)
    assert resultat.resume() == "3 dossiers traités."
    # Already in instruction: cannot start again; the reason is given per file.
    resultat = lot_traiter(demandes=list(Demande.objects.all()[:1]), action="commencer", par=instructeur)
    assert resultat.resume().startswith("0 dossier traité, 1 non traité parce que : ")
    assert "ne peut pas passer" in resultat.resume()
    resultat = lot_traiter(
        demandes=list(Demande.objects.all()), action="complement", par=instructeur, texte="Le Kbis de moins de 3 mois."
    )
    assert len(resultat.traites) == 3
    assert (
        Message.objects.filter(texte="Le Kbis de moins de 3 mois.", genre=Message.Genre.DEMANDE_COMPLEMENT).count() == 3
    )


def test_an_incomplete_batch_form_writes_nothing_and_says_what_is_missing(client, instructeur):
    demande = demande_en_instruction(instructeur)
    client.force_login(instructeur)
    reponse = client.post(reverse("aides_instruction:lot"), {"demandes": [demande.pk], "action": "decision"})
    assert "Motivez la décision" in unescape(resume(reponse))
    reponse = client.post(reverse("aides_instruction:lot"), {"action": "commencer"})
    assert "Cochez au moins un dossier." in unescape(resume(reponse))
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION


def test_batch_actions_need_the_instructeur_role(client, creer_agent):
    demande = demande_deposee()
    client.force_login(creer_agent(Role.PILOTAGE))
    reponse = client.post(reverse("aides_instruction:lot"), {"demandes": [demande.pk], "action": "commencer"})
    assert reponse.status_code in (403, 404)
    demande.refresh_from_db()
    assert demande.statut == Statut.DEPOSEE


def test_the_inbox_shows_checkboxes_and_the_late_badge_in_bounded_queries(
    client, instructeur, django_assert_max_num_queries
):
    a_l_heure = demande_deposee()
    en_retard = demande_deposee()
    Demande.objects.filter(pk=en_retard.pk).update(depose_le=timezone.now() - timedelta(days=61))
    client.force_login(instructeur)
    with django_assert_max_num_queries(18):
        html = unescape(client.get(reverse("aides_instruction:boite")).content.decode())
    assert f'id="lot-{a_l_heure.pk}"' in html and "Tout sélectionner" in html
    assert f"Sélectionner la demande {en_retard.numero_depot}" in html
    assert html.count(">en retard</span>") == 1 and "61 j / 60 j" in html

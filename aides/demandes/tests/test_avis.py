"""Expert opinions: asked by an instructeur to an agent of another direction, an EPCI or a partner,
answered once from a page only the expert reaches, reminded before the deadline, never shown to the
company."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aides.demandes.models.avis import AvisExpert
from aides.demandes.services import avis as services
from aides.demandes.tests.factories import MembreVerifieFactory, demande_deposee
from partenaires.tests.factories import MembreEpciFactory, MembreFactory
from portal.models import Direction, Notification
from portal.roles import Role
from territoires.models import Commune

pytestmark = pytest.mark.django_db


@pytest.fixture
def instructeur(creer_agent):
    return creer_agent(Role.INSTRUCTEUR, direction=Direction.objects.get(code="DAEN"))


@pytest.fixture
def expert(creer_agent):
    return creer_agent(Role.CHARGE_DE_MISSION, direction=Direction.objects.get(code="DIPI"))


def texte(reponse) -> str:
    return unescape(reponse.content.decode())


def demander(demande, par, expert, jours=10):
    return services.avis_demander(
        demande_id=demande.pk,
        par=par,
        expert=expert,
        question="Le projet est-il cohérent avec la stratégie du territoire ?",
        rendre_avant=timezone.localdate() + timedelta(days=jours),
    )


def test_an_instructeur_asks_an_agent_of_another_direction_who_is_emailed(instructeur, expert):
    avis = demander(demande_deposee(), instructeur, expert)
    assert not avis.est_rendu
    notification = Notification.objects.get(gabarit="avis_expert_demande", destinataire=expert.email)
    assert reverse("aides_instruction:avis", args=[avis.pk]) in notification.corps_texte


def test_an_epci_or_partner_user_may_be_asked_and_answers_in_the_partner_space(client, instructeur):
    epci = Commune.objects.get(code_insee="80021").epci
    for membre in (MembreEpciFactory(epci=epci), MembreFactory()):
        avis = demander(demande_deposee(), instructeur, membre.utilisateur)
        assert reverse("partenaires:avis", args=[avis.pk]) in Notification.objects.latest("pk").corps_texte
        client.force_login(membre.utilisateur)
        reponse = client.post(reverse("partenaires:avis", args=[avis.pk]), {"avis-avis": "Favorable."})
        assert reponse.status_code == 302
        avis.refresh_from_db()
        assert avis.avis == "Favorable." and avis.est_rendu


def test_only_an_instructeur_asks_and_never_a_company_user_nor_oneself(instructeur, creer_agent):
    demande = demande_deposee()
    with pytest.raises(ValidationError):
        demander(demande, creer_agent(Role.GESTIONNAIRE_SAF), instructeur)
    with pytest.raises(ValidationError):
        demander(demande, instructeur, instructeur)
    with pytest.raises(ValidationError):
        demander(demande, instructeur, demande.demandeur)
    with pytest.raises(ValidationError):
        demander(demande, instructeur, creer_agent(Role.PILOTAGE), jours=-1)
    assert not AvisExpert.objects.exists()


def test_the_expert_answers_once_and_the_instructeur_is_emailed(client, instructeur, expert):
    avis = demander(demande_deposee(), instructeur, expert)
    client.force_login(expert)
    page = client.get(reverse("aides_instruction:avis", args=[avis.pk]))
    assert "Le projet est-il cohérent" in texte(page)
    assert client.post(reverse("aides_instruction:avis", args=[avis.pk]), {"avis-avis": ""}).status_code == 400
    client.post(reverse("aides_instruction:avis", args=[avis.pk]), {"avis-avis": "Avis favorable, projet structurant."})
    avis.refresh_from_db()
    assert avis.avis == "Avis favorable, projet structurant."
    assert Notification.objects.filter(gabarit="avis_expert_rendu", destinataire=instructeur.email).exists()
    with pytest.raises(ValidationError):
        services.avis_rendre(avis_id=avis.pk, par=expert, texte="Finalement défavorable.")


def test_nobody_but_the_expert_reaches_the_answer_page(client, instructeur, expert, creer_agent):
    avis = demander(demande_deposee(), instructeur, expert)
    url = reverse("aides_instruction:avis", args=[avis.pk])
    for autre in (
        instructeur,
        creer_agent(Role.ADMINISTRATEUR),
        avis.demande.demandeur,
        MembreVerifieFactory().utilisateur,
    ):
        client.force_login(autre)
        assert client.post(url, {"avis-avis": "Moi aussi."}).status_code in (403, 404)
    client.force_login(MembreFactory().utilisateur)
    assert client.get(reverse("partenaires:avis", args=[avis.pk])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    avis.refresh_from_db()
    assert not avis.est_rendu


def test_the_opinion_is_shown_to_staff_on_the_file_and_never_to_the_company(client, instructeur, expert):
    demande = demande_deposee()
    avis = demander(demande, instructeur, expert)
    services.avis_rendre(avis_id=avis.pk, par=expert, texte="Réserve sur le plan de financement.")
    client.force_login(instructeur)
    assert "Réserve sur le plan de financement." in texte(
        client.get(reverse("aides_instruction:demande", args=[demande.pk]))
    )
    client.force_login(demande.demandeur)
    page = texte(client.get(reverse("espace:demande", args=[demande.pk])))
    assert "Réserve sur le plan de financement." not in page and "Le projet est-il cohérent" not in page


def test_the_instructeur_asks_from_the_file_page(client, instructeur, expert):
    demande = demande_deposee()
    client.force_login(instructeur)
    reponse = client.post(
        reverse("aides_instruction:avis-demander", args=[demande.pk]),
        {
            "avis-expert": expert.pk,
            "avis-question": "Votre avis ?",
            "avis-rendre_avant": (timezone.localdate() + timedelta(days=5)).isoformat(),
        },
    )
    assert reponse.status_code == 302
    assert AvisExpert.objects.get(demande=demande).expert == expert
    reponse = client.post(reverse("aides_instruction:avis-demander", args=[demande.pk]), {"avis-question": ""})
    assert reponse.status_code == 400 and "Choisissez l'expert à solliciter." in texte(reponse)


def test_reminders_go_once_per_opinion_and_once_a_day(instructeur, expert):
    bientot = demander(demande_deposee(), instructeur, expert, jours=1)
    demander(demande_deposee(), instructeur, expert, jours=20)
    rendu = demander(demande_deposee(), instructeur, expert, jours=1)
    services.avis_rendre(avis_id=rendu.pk, par=expert, texte="Vu.")
    aujourd_hui = timezone.localdate()
    assert services.avis_rappeler(aujourd_hui=aujourd_hui) == 1
    assert services.avis_rappeler(aujourd_hui=aujourd_hui) == 0  # the day is claimed
    assert services.avis_rappeler(aujourd_hui=aujourd_hui + timedelta(days=1)) == 0  # the opinion is claimed
    bientot.refresh_from_db()
    assert bientot.rappel_envoye_le is not None
    assert Notification.objects.filter(gabarit="avis_expert_rappel").count() == 1


def test_the_file_page_lists_opinions_in_bounded_queries(
    client, instructeur, creer_agent, django_assert_max_num_queries
):
    demande = demande_deposee()
    demander(demande, instructeur, creer_agent(Role.PILOTAGE))
    client.force_login(instructeur)
    with django_assert_max_num_queries(80) as peu:
        client.get(reverse("aides_instruction:demande", args=[demande.pk]))
    for _ in range(5):
        demander(demande, instructeur, creer_agent(Role.CHARGE_DE_MISSION))
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(reverse("aides_instruction:demande", args=[demande.pk]))


def test_the_expert_lists_the_opinions_asked_in_bounded_queries(
    client, instructeur, expert, django_assert_max_num_queries
):
    autre = demander(demande_deposee(), instructeur, MembreFactory().utilisateur)
    demander(demande_deposee(), instructeur, expert)
    client.force_login(expert)
    with django_assert_max_num_queries(40) as peu:
        page = texte(client.get(reverse("aides_instruction:avis-liste")))
    assert "À rendre" in page and autre.demande.numero_depot not in page
    for _ in range(4):
        demander(demande_deposee(), instructeur, expert)
    with django_assert_max_num_queries(len(peu.captured_queries)):
        client.get(reverse("aides_instruction:avis-liste"))
    client.force_login(autre.expert)
    page = texte(client.get(reverse("partenaires:avis-liste")))
    assert autre.demande.numero_depot in page

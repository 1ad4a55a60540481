"""The company receives the written answer to its request; follow-up tasks have a reminder (one
digest per assignee and day, whatever runs it) and an overdue marker (issue #13, item 13)."""

from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from crm import services
from crm.models import Tache
from crm.tests.factories import EtablissementFactory
from portal.models import Notification
from portal.roles import Role
from territoires.models import Commune

pytestmark = pytest.mark.django_db


def test_the_company_receives_the_written_answer_by_email(creer_agent):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    sollicitation = services.sollicitation_creer(
        commune=Commune.objects.get(code_insee="80021"),
        besoin="investir",
        origine="formulaire",
        nom="Claire Martin",
        email="claire@pme.fr",
        consentement=True,
    )
    services.sollicitation_repondre(
        sollicitation=sollicitation, par=agent, reponse="Le Prêt croissance TPE vous convient : voici le lien."
    )
    courriel = Notification.objects.get(gabarit="crm_sollicitation_reponse")
    assert courriel.destinataire == "claire@pme.fr"
    assert "Le Prêt croissance TPE vous convient : voici le lien." in courriel.corps_texte
    assert agent.email in courriel.corps_texte


def _tache(assignee, echeance, titre="Rappeler le dirigeant"):
    etablissement = EtablissementFactory()
    return Tache.objects.create(
        entreprise=etablissement.entreprise, titre=titre, assignee=assignee, echeance=echeance, cree_par=assignee
    )


def test_one_reminder_per_assignee_and_day_lists_the_tasks_due_and_overdue(creer_agent):
    agent, autre = creer_agent(Role.CHARGE_DE_MISSION), creer_agent(Role.CHARGE_DE_MISSION)
    aujourd_hui = timezone.localdate()
    _tache(agent, aujourd_hui, "Envoyer le devis")
    _tache(agent, aujourd_hui - timedelta(days=3), "Relancer le comptable")
    _tache(agent, aujourd_hui + timedelta(days=5), "Plus tard")
    faite = _tache(autre, aujourd_hui - timedelta(days=1))
    faite.faite_le = timezone.now()
    faite.save()

    assert services.taches_rappeler() == 1
    courriel = Notification.objects.get(gabarit="crm_taches_rappel")
    assert courriel.destinataire == agent.email
    assert "Envoyer le devis" in courriel.corps_texte and "Relancer le comptable" in courriel.corps_texte
    assert "en retard" in courriel.corps_texte and "Plus tard" not in courriel.corps_texte
    call_command("rappeler_taches")
    assert services.taches_rappeler() == 0  # the day is claimed
    assert Notification.objects.filter(gabarit="crm_taches_rappel").count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert services.taches_rappeler() == 1


def test_overdue_tasks_are_marked_in_the_lists(client, creer_agent):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    tache = _tache(agent, timezone.localdate() - timedelta(days=2))
    client.force_login(agent)
    fiche = unescape(client.get(reverse("crm_agents:entreprise", args=[tache.entreprise.siren])).content.decode())
    assert "en retard" in fiche
    miennes = unescape(client.get(reverse("crm_agents:mes-interactions")).content.decode())
    assert "en retard" in miennes

"""Two schedulers at once over a simulated day: every periodic email is written and sent once.

The schedulers are django-celery-beat's DatabaseScheduler (the one `celery beat` runs), ticking in
turn while time-machine moves the clock through a Monday; tasks run eagerly in this process (the
emails they write go through the outbox, sent by the every-minute sweep to Django's test outbox).
"""

from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from aides.conventions.tests.factories import convention_creee
from portal.celery import app
from portal.models import Direction, EnvoiPeriodique, Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.models import EcheanceConventionnement, TypeConvention

# Transactional: the scheduler commits and checks its connection as in production.
pytestmark = pytest.mark.django_db(transaction=True)

PARIS = ZoneInfo("Europe/Paris")
LUNDI = date(2026, 12, 7)


def faire_tourner(planificateur) -> None:
    for _ in range(50):  # one due entry per tick; a tick that returns > 0 has nothing more due
        if planificateur.tick() > 0:
            return


def courir_une_journee(debut: datetime) -> None:
    from django_celery_beat.schedulers import DatabaseScheduler

    # As a worker does at start: every app's tasks registered (beat runs a registered task eagerly).
    app.autodiscover_tasks(["portal", "territoires", "crm", "aides", "parcours"], force=True)
    with time_machine.travel(debut, tick=False) as horloge:
        planificateurs = [DatabaseScheduler(app=app), DatabaseScheduler(app=app)]
        for _ in range(24 * 4):  # every quarter of an hour, both schedulers
            for planificateur in planificateurs:
                faire_tourner(planificateur)
            horloge.shift(timedelta(minutes=15))
        for planificateur in planificateurs:
            planificateur.close()


def test_two_schedulers_over_a_day_send_every_periodic_email_once():
    from territoires.chargement import territoires_charger

    territoires_charger()  # transactional: the tables are emptied after each such test
    from django_celery_beat.models import PeriodicTask

    debut = datetime.combine(LUNDI, datetime.min.time(), tzinfo=PARIS)
    gestionnaire = AgentFactory(roles=[Role.GESTIONNAIRE_SAF], direction=Direction.objects.get(code="DAEN"))
    pilotage = AgentFactory(roles=[Role.PILOTAGE])
    administrateur = AgentFactory(roles=[Role.ADMINISTRATEUR])
    with time_machine.travel(debut - timedelta(days=40), tick=False):
        convention_creee(gestionnaire=gestionnaire)  # stalled for 40 days: in the daily digest
        Notification.objects.create(
            destinataire="x@example.org", gabarit="g", sujet="Perdu", corps_texte="t", corps_html="h", statut="echec"
        )
    EcheanceConventionnement.objects.create(type=TypeConvention.AIDES, date=LUNDI + timedelta(days=60))
    avant = set(Notification.objects.values_list("pk", flat=True))
    mail.outbox.clear()
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        courir_une_journee(debut)
    finally:
        app.conf.task_always_eager = False
        app.conf.task_eager_propagates = False

    # The schedule lives in the database, at fixed times.
    digest = PeriodicTask.objects.get(name="aides-conventions-bloquees-digest")
    assert (digest.crontab.hour, digest.crontab.minute) == ("7", "45")
    # Each send claimed its period once.
    assert set(EnvoiPeriodique.objects.values_list("cle", "periode")) >= {
        ("saf_digest_bloquees", "2026-12-07"),
        ("epci_liste_echeances", "2026-S50"),
    }
    # The fixture's granted application also gets its decision letter from the job sweep: not periodic.
    periodiques = Notification.objects.exclude(pk__in=avant).exclude(gabarit="demande_lettre")
    assert Counter(periodiques.values_list("gabarit", "destinataire")) == {
        ("convention_bloquees", gestionnaire.email): 1,
        ("territoires_echeance_liste", pilotage.email): 1,
        ("echecs_envoi", administrateur.email): 1,
    }
    envoyes = Counter((message.to[0], message.subject) for message in mail.outbox)
    for notification in periodiques:
        assert notification.statut == Notification.Statut.ENVOYEE
        assert envoyes[(notification.destinataire, notification.sujet)] == 1

    # The manual commands, the same day, find the periods claimed.
    with time_machine.travel(debut + timedelta(hours=20), tick=False):
        call_command("digest_conventions")
        call_command("liste_echeance_conventions")
    assert Notification.objects.filter(gabarit__in=["convention_bloquees", "territoires_echeance_liste"]).count() == 2

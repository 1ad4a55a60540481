"""The notification outbox: written in the caller's transaction, sent once, re-sent by the sweep."""

import io
import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import attendre
from portal.celery import app
from portal.models import Notification
from portal.services import TENTATIVES_MAX, notification_creer, notification_envoyer, notifications_relancer
from portal.taches import envoyer_a_celery
from portal.tasks import notification_envoyer_task
from portal.tests.factories import NotificationFactory, UserFactory

COURTIER_MORT = "redis://127.0.0.1:1/0"
TACHE_ENVOI = "portal.tasks.notification_envoyer"


def creer_notification_mot_de_passe(destinataire) -> Notification:
    return notification_creer(
        gabarit="mot_de_passe", destinataire=destinataire, contexte={"uid": "MQ", "token": "abc-123"}
    )


@pytest.fixture
def smtp_injoignable(settings):
    """The real SMTP backend, pointed at a port where nothing listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 1
    settings.EMAIL_TIMEOUT = 2


# --- Writing to the outbox ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_service_writes_the_three_rendered_parts_of_the_email(settings):
    user = UserFactory(email="gerante@exemple.fr")
    notification = creer_notification_mot_de_passe(user)

    notification.refresh_from_db()
    lien = f"{settings.SITE_URL}/mot-de-passe/nouveau/MQ/abc-123/"
    assert notification.statut == Notification.Statut.EN_ATTENTE
    assert notification.destinataire == "gerante@exemple.fr"
    assert notification.utilisateur == user
    assert notification.gabarit == "mot_de_passe"
    assert notification.sujet == "Choisir un nouveau mot de passe – Portail Entreprises Hauts-de-France"
    assert lien in notification.corps_texte
    assert "{%" not in notification.corps_texte
    assert f'href="{lien}"' in notification.corps_html
    assert notification.corps_html.startswith("<!doctype html>")
    assert '<html lang="fr">' in notification.corps_html
    assert notification.tentatives == 0
    assert notification.envoyee_le is None


@pytest.mark.django_db
def test_an_email_address_without_an_account_can_be_notified():
    notification = creer_notification_mot_de_passe("contact@exemple.fr")
    assert notification.destinataire == "contact@exemple.fr"
    assert notification.utilisateur is None


@pytest.mark.django_db
def test_nothing_is_enqueued_before_the_transaction_commits(django_capture_on_commit_callbacks, file_celery):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        notification = creer_notification_mot_de_passe("contact@exemple.fr")
        assert Notification.objects.filter(pk=notification.pk).exists()
        assert file_celery.taches() == []

    assert len(rappels) == 1
    assert file_celery.taches() == [(TACHE_ENVOI, [notification.pk])]


@pytest.mark.django_db
def test_an_email_written_in_a_transaction_that_rolls_back_is_neither_kept_nor_enqueued(
    django_capture_on_commit_callbacks, file_celery
):
    with django_capture_on_commit_callbacks(execute=True) as rappels:
        with pytest.raises(RuntimeError), transaction.atomic():
            creer_notification_mot_de_passe("contact@exemple.fr")
            raise RuntimeError("la suite de la requête échoue")

    assert rappels == []
    assert not Notification.objects.exists()
    assert file_celery.taches() == []


# --- Sending, at most once ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_notification_is_sent_with_its_text_and_html_parts():
    notification = creer_notification_mot_de_passe("contact@exemple.fr")

    assert notification_envoyer(notification_id=notification.pk) is True

    (message,) = mail.outbox
    assert message.to == ["contact@exemple.fr"]
    assert message.subject == notification.sujet
    assert message.body == notification.corps_texte
    assert message.alternatives[0].content == notification.corps_html
    assert message.alternatives[0].mimetype == "text/html"
    notification.refresh_from_db()
    assert notification.statut == Notification.Statut.ENVOYEE
    assert notification.envoyee_le is not None
    assert notification.tentatives == 1


@pytest.mark.django_db
def test_sending_the_same_notification_twice_sends_one_email():
    notification = creer_notification_mot_de_passe("contact@exemple.fr")

    assert notification_envoyer(notification_id=notification.pk) is True
    assert notification_envoyer(notification_id=notification.pk) is False

    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.statut == Notification.Statut.ENVOYEE
    assert notification.tentatives == 1


@pytest.mark.django_db
def test_a_notification_claimed_by_another_worker_is_left_alone():
    notification = NotificationFactory(statut=Notification.Statut.EN_COURS)

    assert notification_envoyer(notification_id=notification.pk) is False

    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.statut == Notification.Statut.EN_COURS


@pytest.mark.django_db
def test_a_deleted_notification_is_not_an_error():
    assert notification_envoyer(notification_id=987654) is False


@pytest.mark.django_db
def test_an_smtp_failure_puts_the_notification_back_in_the_queue(smtp_injoignable):
    notification = creer_notification_mot_de_passe("contact@exemple.fr")

    assert notification_envoyer(notification_id=notification.pk) is False

    notification.refresh_from_db()
    assert notification.statut == Notification.Statut.EN_ATTENTE
    assert notification.tentatives == 1
    assert notification.derniere_erreur
    assert notification.envoyee_le is None


@pytest.mark.django_db
def test_a_notification_fails_for_good_after_the_maximum_number_of_attempts(smtp_injoignable):
    notification = creer_notification_mot_de_passe("contact@exemple.fr")

    for tentative in range(1, TENTATIVES_MAX):
        notification_envoyer(notification_id=notification.pk)
        notification.refresh_from_db()
        assert (notification.statut, notification.tentatives) == (Notification.Statut.EN_ATTENTE, tentative)

    notification_envoyer(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.statut == Notification.Statut.ECHEC
    assert notification.tentatives == TENTATIVES_MAX
    assert notification.derniere_erreur
    assert notification_envoyer(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert (notification.statut, notification.tentatives) == (Notification.Statut.ECHEC, TENTATIVES_MAX)


# --- The sweep ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_enqueues_only_pending_notifications_older_than_the_minimum_age(file_celery):
    il_y_a = timezone.now() - timedelta(minutes=10)
    ancienne = NotificationFactory(cree_le=il_y_a)
    plus_ancienne = NotificationFactory(cree_le=il_y_a - timedelta(hours=1))
    NotificationFactory(cree_le=timezone.now() - timedelta(seconds=10))  # its own enqueue is on its way
    NotificationFactory(cree_le=il_y_a, statut=Notification.Statut.EN_COURS)
    NotificationFactory(cree_le=il_y_a, statut=Notification.Statut.ENVOYEE, envoyee_le=il_y_a)
    NotificationFactory(cree_le=il_y_a, statut=Notification.Statut.ECHEC, tentatives=TENTATIVES_MAX)

    assert notifications_relancer(age_minimum=timedelta(minutes=1)) == 2

    assert file_celery.taches() == [(TACHE_ENVOI, [plus_ancienne.pk]), (TACHE_ENVOI, [ancienne.pk])]


@pytest.mark.django_db
def test_the_sweep_command_does_the_same_job(file_celery):
    ancienne = NotificationFactory(cree_le=timezone.now() - timedelta(minutes=10))

    sortie = io.StringIO()
    call_command("relancer_notifications", stdout=sortie)

    assert file_celery.taches() == [(TACHE_ENVOI, [ancienne.pk])]
    assert "1 notification(s) renvoyée(s) à Celery." in sortie.getvalue()


@pytest.mark.django_db
def test_the_sweep_stops_quietly_when_the_broker_is_down(monkeypatch, caplog):
    monkeypatch.setattr(app.conf, "broker_url", COURTIER_MORT)
    NotificationFactory.create_batch(3, cree_le=timezone.now() - timedelta(minutes=10))

    with caplog.at_level(logging.WARNING, logger="portal.taches"):
        assert notifications_relancer() == 0

    assert len([r for r in caplog.records if "Courtier Celery injoignable" in r.getMessage()]) == 1
    assert Notification.objects.en_attente().count() == 3


# --- End to end: Redis down during the request, then a real worker ------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_password_reset_made_while_redis_is_down_is_sent_once_when_a_worker_comes_back(
    client, monkeypatch, caplog, request
):
    user = UserFactory(email="gerante@exemple.fr")
    monkeypatch.setattr(app.conf, "broker_url", COURTIER_MORT)

    with caplog.at_level(logging.WARNING, logger="portal.taches"):
        reponse = client.post("/mot-de-passe/oublie/", {"email": "gerante@exemple.fr"})

    # The request succeeds as usual; the enqueue failed (logged) and the email waits in the outbox.
    assert reponse.status_code == 302
    assert reponse.url == "/mot-de-passe/envoye/"
    assert any("Courtier Celery injoignable" in r.getMessage() for r in caplog.records)
    # The request only recorded the demand (same work for every address): it waits in the database.
    from portal.models import DemandeReinitialisation
    from portal.services import reinitialisations_relancer

    assert DemandeReinitialisation.objects.count() == 1
    assert not Notification.objects.exists()

    # Redis is back, and so is a worker; the periodic sweep picks the demand up, writes the email to
    # the outbox and its send is enqueued after commit.
    monkeypatch.undo()
    worker = request.getfixturevalue("celery_worker")
    assert reinitialisations_relancer(age_minimum=timedelta(0)) == 1
    notification = Notification.objects.get(utilisateur=user)
    assert not DemandeReinitialisation.objects.exists()

    attendre(lambda: Notification.objects.get(pk=notification.pk).statut == Notification.Statut.ENVOYEE)
    (courriel,) = worker.mails()
    assert "To: gerante@exemple.fr" in courriel
    assert re.search(r"/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/", courriel)
    notification.refresh_from_db()
    assert notification.envoyee_le is not None
    assert notification.tentatives == 1

    # Another sweep finds nothing to do; a duplicate message for it (a sweep racing the commit's own
    # enqueue) is consumed without a second email. The worker handles its queue in order, so once
    # a later notification is sent, the duplicate has been handled.
    assert notifications_relancer(age_minimum=timedelta(0)) == 0
    assert envoyer_a_celery(notification_envoyer_task, notification.pk)
    temoin = creer_notification_mot_de_passe("temoin@exemple.fr")
    attendre(lambda: Notification.objects.get(pk=temoin.pk).statut == Notification.Statut.ENVOYEE)
    courriels = worker.mails()
    assert len(courriels) == 2
    assert len([c for c in courriels if "To: gerante@exemple.fr" in c]) == 1


def test_plain_text_parts_are_not_html_escaped(db):
    from portal.services import notification_creer
    from portal.tests.factories import UserFactory

    user = UserFactory(first_name="Zoé", last_name="L'Hôte")
    notification = notification_creer(gabarit="mot_de_passe", destinataire=user, contexte={"uid": "u", "token": "t"})
    assert "&#x27;" not in notification.corps_texte and "&amp;" not in notification.corps_texte
    assert "Bonjour Zoé L'Hôte," in notification.corps_texte
    assert "Zoé L&#x27;Hôte" in notification.corps_html


@pytest.mark.django_db
def test_a_send_interrupted_by_a_dead_worker_is_flagged_not_sent_twice(file_celery):
    maintenant = timezone.now()
    interrompue = NotificationFactory(
        cree_le=maintenant - timedelta(hours=1),
        statut=Notification.Statut.EN_COURS,
        prise_le=maintenant - timedelta(minutes=20),
    )
    en_train = NotificationFactory(
        cree_le=maintenant - timedelta(hours=1),
        statut=Notification.Statut.EN_COURS,
        prise_le=maintenant - timedelta(minutes=2),
    )

    assert notifications_relancer() == 0

    interrompue.refresh_from_db()
    en_train.refresh_from_db()
    assert interrompue.statut == Notification.Statut.ECHEC
    assert "Envoi interrompu" in interrompue.derniere_erreur
    assert en_train.statut == Notification.Statut.EN_COURS
    assert file_celery.taches() == []


@pytest.mark.django_db
def test_sending_records_when_the_row_was_claimed():
    notification = NotificationFactory()
    notification_envoyer(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.statut == Notification.Statut.ENVOYEE
    assert notification.prise_le is not None and notification.prise_le <= notification.envoyee_le


@pytest.mark.django_db
def test_an_administrator_puts_a_failed_notification_back_in_the_queue(admin_client):
    echec = NotificationFactory(statut=Notification.Statut.ECHEC, tentatives=TENTATIVES_MAX)
    reponse = admin_client.post(
        "/admin/portal/notification/", {"action": "renvoyer", "_selected_action": [echec.pk]}, follow=True
    )
    assert "1 notification(s) remise(s) en file" in reponse.content.decode()
    echec.refresh_from_db()
    assert echec.statut == Notification.Statut.EN_ATTENTE and echec.tentatives == 0

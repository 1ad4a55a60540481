"""The password reset answers the same, with the same work, for an account's address, a staff
address and an unknown one: the lookup happens in the background."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import DemandeReinitialisation, Notification
from portal.roles import Role
from portal.services import reinitialisation_traiter
from portal.tests.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.django_db


def _requete(client, email: str, capture):
    with CaptureQueriesContext(connection) as requetes, capture() as rappels:
        reponse = client.post("/mot-de-passe/oublie/", {"email": email})
    # Parameters differ (the address, the row's id): compare the statements' shapes.
    forme = [re.sub(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b", "?", q["sql"]) for q in requetes.captured_queries]
    return reponse, forme, rappels


def test_known_staff_and_unknown_addresses_get_the_same_answer_and_the_same_work(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="gerante@exemple.fr")
    AgentFactory(roles=[Role.PILOTAGE], email="agent@hautsdefrance.fr")
    resultats = {
        email: _requete(client, email, django_capture_on_commit_callbacks)
        for email in ("gerante@exemple.fr", "agent@hautsdefrance.fr", "personne@exemple.fr")
    }
    reponses = [r for r, _, _ in resultats.values()]
    assert {(r.status_code, r.url) for r in reponses} == {(302, "/mot-de-passe/envoye/")}
    formes = [f for _, f, _ in resultats.values()]
    assert formes[0] == formes[1] == formes[2]
    assert not any("portal_user" in q for q in formes[0])  # no lookup of the address in the request
    assert [len(rappels) for _, _, rappels in resultats.values()] == [1, 1, 1]  # one task each
    assert DemandeReinitialisation.objects.count() == 3
    assert not Notification.objects.exists()


def test_the_background_task_writes_the_email_for_an_account_only_and_keeps_no_address(client):
    user = UserFactory(email="gerante@exemple.fr")
    client.post("/mot-de-passe/oublie/", {"email": "GERANTE@exemple.fr"})
    client.post("/mot-de-passe/oublie/", {"email": "personne@exemple.fr"})
    connue, inconnue = DemandeReinitialisation.objects.order_by("pk")
    assert reinitialisation_traiter(demande_id=connue.pk) == 1
    assert reinitialisation_traiter(demande_id=connue.pk) == 0  # run twice, works once
    assert reinitialisation_traiter(demande_id=inconnue.pk) == 0
    assert list(Notification.objects.values_list("utilisateur", "gabarit")) == [(user.pk, "mot_de_passe")]
    assert not DemandeReinitialisation.objects.exists()

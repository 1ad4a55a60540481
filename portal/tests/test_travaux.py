"""Background work is requested by a database row, never lost, done once, and never blocks a request."""

import socket
import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aides.conventions.services.convention import convention_editer
from aides.conventions.tests.factories import convention_creee
from aides.demandes.tests.factories import DemandeFactory, RepresentantFactory
from aides.models import Demande, VersionConvention
from conftest import attendre, demarrer_worker
from crm.tests.factories import EtablissementFactory
from portal.celery import app
from portal.models import Notification, Travail
from portal.services import travaux_balayer
from portal.travaux import travail_executer
from territoires.tests.factories import CommuneFactory


class CourtierMuet:
    """A TCP server that accepts connections and never answers: a hung (not dead) Redis."""

    def __init__(self):
        self.serveur = socket.socket()
        self.serveur.bind(("127.0.0.1", 0))
        self.serveur.listen(64)
        self.port = self.serveur.getsockname()[1]
        self.connexions: list[socket.socket] = []
        self.fil = threading.Thread(target=self._accepter, daemon=True)
        self.fil.start()

    def _accepter(self):
        while True:
            try:
                connexion, _ = self.serveur.accept()
            except OSError:
                return
            self.connexions.append(connexion)  # held open, never read nor answered

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def fermer(self):
        self.serveur.close()
        for connexion in self.connexions:
            connexion.close()


@pytest.fixture
def courtier_muet():
    courtier = CourtierMuet()
    yield courtier
    courtier.fermer()


def deposer(client) -> tuple[Demande, float]:
    representant = RepresentantFactory(etablissement=EtablissementFactory(commune=CommuneFactory()))
    demande = DemandeFactory(representant=representant)
    client.force_login(representant.utilisateur)
    debut = time.monotonic()
    reponse = client.post(
        reverse("espace:modifier", args=[demande.pk]),
        {
            "intitule": demande.intitule,
            "projet": demande.projet,
            "date_debut_projet": demande.date_debut_projet.isoformat(),
            "montant_demande": "20000",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-nature": "Machine",
            "lignes-0-montant_ht": "50000",
            "action": "deposer",
        },
    )
    duree = time.monotonic() - debut
    assert reponse.status_code == 302, reponse.content.decode()[:500]
    demande.refresh_from_db()
    assert demande.numero_depot
    return demande, duree


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_deposit_against_a_hung_broker_answers_at_once_and_its_work_is_done_once_the_broker_is_back(
    client, celery_worker, courtier_muet, monkeypatch
):
    url_reelle = app.conf.broker_url
    monkeypatch.setattr(app.conf, "broker_url", courtier_muet.url)

    demande, duree = deposer(client)

    # Several messages (receipt, emails to the company and the agents) were due: one short timeout,
    # then the circuit breaker; 5 s per message before (35 s for a deposit, HTTP 500 under gunicorn).
    print(f"dépôt avec un courtier muet : {duree:.2f} s")
    assert duree < 2.5, f"le dépôt a attendu le courtier {duree:.2f} s"
    assert courtier_muet.connexions, "the deposit did try the (hung) broker"
    travail = Travail.objects.get(tache="portal.documents.document_generer")
    assert travail.statut == Travail.Statut.EN_ATTENTE
    notifications = Notification.objects.all()
    assert notifications.count() >= 1 and not notifications.exclude(statut="en_attente").exists()

    # The broker is back: the sweep (every minute) publishes what waited.
    monkeypatch.setattr(app.conf, "broker_url", url_reelle)
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=True):
        bilan = travaux_balayer()
    assert bilan["travaux"] == 1 and bilan["courriels"] == notifications.count()

    attendre(lambda: Demande.objects.filter(pk=demande.pk, recepisse__statut="pret").exists(), delai=60)
    attendre(lambda: not Notification.objects.exclude(statut="envoyee").exists(), delai=60)
    attendre(lambda: len(celery_worker.mails()) == notifications.count(), delai=30)
    # A second sweep finds nothing late: nothing is done twice.
    with time_machine.travel(timezone.now() + timedelta(minutes=4), tick=True):
        assert travaux_balayer() == {"courriels": 0, "travaux": 0}
    time.sleep(1)
    assert len(celery_worker.mails()) == notifications.count()
    assert Travail.objects.get(pk=travail.pk).statut == Travail.Statut.FAIT


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_pdf_loses_nothing_the_sweep_has_it_rendered_once(tmp_path, settings):
    from territoires.chargement import territoires_charger

    territoires_charger()
    settings.TRAVAUX_REPRISE_SECONDES = 3
    convention = convention_creee()
    lent = demarrer_worker(tmp_path / "lent", PDF_PAUSE_TEST_SECONDES="30", TRAVAUX_REPRISE_SECONDES="3")
    try:
        lent.attendre_pret()
        convention_editer(convention_id=convention.pk, par=convention.gestionnaire)
        travail = travail_de_la_version(convention)
        attendre(lambda: Travail.objects.filter(pk=travail.pk, statut="en_cours").exists(), delai=30)
        time.sleep(0.5)
        lent.tuer()  # SIGKILL while it renders
    finally:
        lent.arreter()
    assert not VersionConvention.objects.filter(convention=convention, document__statut="pret").exists()

    normal = demarrer_worker(tmp_path / "normal", TRAVAUX_REPRISE_SECONDES="3")
    try:
        normal.attendre_pret()
        time.sleep(3)  # the claim of the dead worker is now older than the hard limit (3 s here)
        assert travaux_balayer()["travaux"] == 1
        attendre(lambda: Travail.objects.filter(pk=travail.pk, statut="fait").exists(), delai=60)
        assert travaux_balayer()["travaux"] == 0
        time.sleep(1)
    finally:
        normal.arreter()
    assert VersionConvention.objects.filter(convention=convention, document__statut="pret").count() == 1
    assert VersionConvention.objects.filter(convention=convention).count() == 1
    assert Travail.objects.get(pk=travail.pk).tentatives == 2


def travail_de_la_version(convention) -> Travail:
    """The job rendering the convention's version being prepared (a portal.Document of its own)."""
    version = VersionConvention.objects.get(convention=convention, document__statut__in=["en_attente", "en_cours"])
    return Travail.objects.get(
        tache="portal.documents.document_generer", arguments__document_id=str(version.document_id)
    )


@pytest.mark.django_db
def test_a_redelivered_convention_job_makes_no_second_version():
    convention = convention_creee()
    convention_editer(convention_id=convention.pk, par=convention.gestionnaire)
    travail = travail_de_la_version(convention)

    assert travail_executer(travail_id=travail.pk) is True
    assert travail_executer(travail_id=travail.pk) is False  # the same message, delivered again

    assert VersionConvention.objects.filter(convention=convention, document__statut="pret").count() == 1
    assert VersionConvention.objects.filter(convention=convention).count() == 1
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.FAIT and travail.tentatives == 1


@pytest.mark.django_db
def test_a_failing_job_goes_back_to_the_queue_then_fails_for_good_and_alerts(settings):
    from portal.roles import Role
    from portal.services import echecs_alerter
    from portal.tests.factories import AgentFactory

    administrateur = AgentFactory(roles=[Role.ADMINISTRATEUR])
    travail = Travail.objects.create(tache="portal.travaux.introuvable", arguments={"convention_id": 0})

    for _ in range(5):
        travail_executer(travail_id=travail.pk)
    travail.refresh_from_db()
    assert travail.statut == Travail.Statut.ECHEC and travail.tentatives == 5
    assert "introuvable" in travail.derniere_erreur

    assert echecs_alerter() == 1
    alerte = Notification.objects.get(gabarit="echecs_envoi")
    assert alerte.destinataire == administrateur.email
    assert "portal.travaux.introuvable" in alerte.corps_texte
    assert echecs_alerter() == 0  # one digest per hour

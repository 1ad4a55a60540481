from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from portal.models import Notification
from portal.roles import Role
from territoires.models import EPCI, AlerteConvention, ConventionTerritoriale, EcheanceConventionnement, TypeConvention
from territoires.services import alertes_conventions_envoyer, liste_echeance_envoyer, seuil_applicable
from territoires.tests.factories import AffectationFactory, ConventionFactory

pytestmark = pytest.mark.django_db
Statut = ConventionTerritoriale.Statut
FIN = date(2027, 3, 31)


@pytest.fixture
def convention(amiens, charge_affecte, pilotage):
    return ConventionFactory(epci=amiens, date_debut=date(2024, 1, 1), date_fin=FIN)


def _alertes(convention):
    return Notification.objects.filter(gabarit="territoires_convention_echeance")


def _jour(jours_avant_la_fin: int) -> date:
    return date.fromordinal(FIN.toordinal() - jours_avant_la_fin)


@pytest.mark.parametrize(
    "jours, seuil", [(91, None), (90, 90), (31, 90), (30, 30), (8, 30), (7, 7), (0, 7), (-1, None)]
)
def test_the_threshold_reached_is_the_smallest_one(jours, seuil):
    assert seuil_applicable(jours) == seuil


def test_alerts_go_out_at_90_30_and_7_days_each_once(convention, charge_affecte, pilotage):
    envois = []
    for jours in [120, 91, 90, 89, 60, 31, 30, 29, 8, 7, 6, 1, 0, -1]:
        with time_machine.travel(_jour(jours), tick=False):
            alertes_conventions_envoyer()
            alertes_conventions_envoyer()  # a second run the same day sends nothing more
        envois.append((jours, _alertes(convention).count()))
    assert envois == [
        (120, 0), (91, 0), (90, 2), (89, 2), (60, 2), (31, 2), (30, 4), (29, 4),
        (8, 4), (7, 6), (6, 6), (1, 6), (0, 6), (-1, 6),
    ]  # fmt: skip
    assert sorted(AlerteConvention.objects.values_list("seuil", flat=True)) == [7, 30, 90]
    destinataires = set(_alertes(convention).values_list("destinataire", flat=True))
    assert destinataires == {charge_affecte.email, pilotage.email}
    sujet = _alertes(convention).filter(destinataire=pilotage.email).order_by("cree_le").last().sujet
    assert sujet.startswith("Convention EPCI : fin dans 7 jours") and convention.epci.nom in sujet


def test_a_convention_signed_late_gets_only_the_alert_of_the_threshold_it_is_in(convention):
    with time_machine.travel(_jour(20), tick=False):
        alertes_conventions_envoyer()
    assert list(AlerteConvention.objects.values_list("seuil", flat=True)) == [30]


def test_no_alert_for_a_terminated_or_unsigned_convention_nor_for_unassigned_agents(amiens, pilotage, creer_agent):
    AffectationFactory(agent=creer_agent(Role.INSTRUCTEUR), epci=amiens)  # assigned, but not a chargé de mission
    ConventionFactory(epci=amiens, statut=Statut.RESILIEE, date_debut=date(2024, 1, 1), date_fin=FIN)
    ConventionFactory(epci=amiens, statut=Statut.EN_NEGOCIATION, date_debut=date(2024, 1, 1), date_fin=FIN)
    ailleurs = ConventionFactory(date_debut=date(2024, 1, 1), date_fin=FIN)
    with time_machine.travel(_jour(5), tick=False):
        bilan = alertes_conventions_envoyer()
    assert bilan == {"alertes": 1, "emails": 1}
    assert list(AlerteConvention.objects.values_list("convention", flat=True)) == [ailleurs.pk]
    assert list(Notification.objects.values_list("destinataire", flat=True)) == [pilotage.email]


def test_the_command_does_the_same_job(convention, capsys):
    with time_machine.travel(_jour(30), tick=False):
        call_command("alertes_conventions")
        call_command("alertes_conventions")
    sortie = capsys.readouterr().out
    assert "1 alerte(s) de fin de convention, 2 courriel(s) écrit(s)." in sortie
    assert "0 alerte(s) de fin de convention, 0 courriel(s) écrit(s)." in sortie


def test_one_run_sends_one_digest_per_recipient_whatever_the_number_of_conventions(
    convention, charge_affecte, pilotage
):
    autres = [ConventionFactory(date_debut=date(2024, 1, 1), date_fin=FIN) for _ in range(3)]
    with time_machine.travel(_jour(30), tick=False):
        bilan = alertes_conventions_envoyer()
    assert bilan == {"alertes": 4, "emails": 2}
    pour_pilotage = Notification.objects.get(gabarit="territoires_convention_echeance", destinataire=pilotage.email)
    for c in [convention, *autres]:
        assert c.epci.nom in pour_pilotage.corps_texte
    assert pour_pilotage.sujet.startswith("Conventions EPCI : 4 fins de convention")
    pour_charge = Notification.objects.get(gabarit="territoires_convention_echeance", destinataire=charge_affecte.email)
    assert convention.epci.nom in pour_charge.corps_texte and autres[0].epci.nom not in pour_charge.corps_texte


# --- Deadline list ------------------------------------------------------------------------------


@pytest.fixture
def echeance():
    return EcheanceConventionnement.objects.create(type=TypeConvention.AIDES, date=date(2027, 1, 1))


def test_the_weekly_list_names_the_epci_without_a_convention_in_force_at_the_deadline(echeance, pilotage, amiens):
    somme = list(EPCI.objects.filter(departements__code="80").exclude(pk=amiens.pk).order_by("nom")[:3])
    ConventionFactory(epci=amiens, date_debut=date(2024, 1, 1), date_fin=date(2027, 12, 31))  # covers 1 January
    ConventionFactory(epci=somme[0], date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))  # ends the day before
    ConventionFactory(epci=somme[1], statut=Statut.EN_NEGOCIATION, date_debut=date(2027, 1, 1))
    ConventionFactory(epci=somme[2], type=TypeConvention.CADRE, date_fin=date(2028, 12, 31))  # another type
    with time_machine.travel(date(2026, 11, 30), tick=False):
        bilan = liste_echeance_envoyer()
    assert bilan == {"echeances": 1, "emails": 1}
    courriel = Notification.objects.get(gabarit="territoires_echeance_liste")
    assert courriel.destinataire == pilotage.email
    assert courriel.sujet == "Échéance du 01/01/2027 : 91 EPCI sans convention « Aides aux entreprises »"
    assert amiens.nom not in courriel.corps_texte
    assert f"- {somme[0].nom} (80) : aucune convention en cours" in courriel.corps_texte
    assert f"- {somme[1].nom} (80) : convention en cours" in courriel.corps_texte
    assert f"- {somme[2].nom} (80)" in courriel.corps_texte


def test_past_or_inactive_deadlines_are_not_listed(echeance, pilotage, capsys):
    EcheanceConventionnement.objects.create(type=TypeConvention.CADRE, date=date(2027, 6, 1), actif=False)
    with time_machine.travel(date(2027, 1, 2), tick=False):
        call_command("liste_echeance_conventions")
    assert "0 échéance(s) examinée(s), 0 courriel(s) écrit(s)." in capsys.readouterr().out
    assert not Notification.objects.exists()


def test_the_schedule_runs_both_jobs():
    from django.conf import settings

    taches = {entree["task"] for entree in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"territoires.tasks.alertes_conventions", "territoires.tasks.liste_echeance_conventions"} <= taches


def test_the_celery_tasks_run_the_same_services(convention):
    from territoires.tasks import alertes_conventions, liste_echeance_conventions

    EcheanceConventionnement.objects.create(type=TypeConvention.AIDES, date=date(2027, 6, 1))
    with time_machine.travel(_jour(7), tick=False):
        assert alertes_conventions.apply().get() == {"alertes": 1, "emails": 2}
        assert liste_echeance_conventions.apply().get() == {"echeances": 1, "emails": 1}


def test_the_weekly_list_is_sent_once_per_week_whatever_runs_it(echeance, pilotage):
    with time_machine.travel(date(2026, 11, 30), tick=False):
        assert liste_echeance_envoyer()["emails"] == 1
        assert liste_echeance_envoyer()["emails"] == 0
    with time_machine.travel(date(2026, 12, 4), tick=False):  # same ISO week
        assert liste_echeance_envoyer()["emails"] == 0
    with time_machine.travel(date(2026, 12, 7), tick=False):  # next week
        assert liste_echeance_envoyer()["emails"] == 1
    assert Notification.objects.filter(gabarit="territoires_echeance_liste").count() == 2

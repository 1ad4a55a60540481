"""Project reviews, the meeting side: planning, permissions, the next date, the reminder, the EPCI page."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from crm.services_revues import rappels_revues_envoyer, revue_creer, revue_modifier
from portal.models import Notification
from portal.roles import Role
from territoires.models import EPCI, RevueDeProjets

pytestmark = pytest.mark.django_db

LISTE = "/agents/crm/revues/"
NOUVELLE = "/agents/crm/revues/nouvelle/"


@pytest.fixture
def revue(amiens, charge_affecte, pilotage):
    return revue_creer(
        par=pilotage,
        epcis=[amiens],
        participants_internes=[charge_affecte, pilotage],
        date=date(2027, 3, 10),
        heure=time(9, 30),
        lieu="Hôtel de Région",
        participants_partenaires="Marie Durand, CCI\n\n  Paul Petit, CMA  ",
    )


def _donnees(epci, **autres) -> dict:
    return {
        "date": "2027-03-10",
        "heure": "09:30",
        "lieu": "Salle du conseil communautaire",
        "epcis": [str(epci.pk)],
        "participants_partenaires": "Marie Durand, CCI Amiens-Picardie",
        **autres,
    }


def test_an_assigned_charge_de_mission_plans_a_review_of_its_epci(client, charge_affecte, amiens):
    client.force_login(charge_affecte)
    reponse = client.post(NOUVELLE, _donnees(amiens, participants_internes=[str(charge_affecte.pk)]))
    revue = RevueDeProjets.objects.get()
    assert reponse.status_code == 302 and reponse["Location"] == f"/agents/crm/revues/{revue.pk}/"
    assert list(revue.epcis.all()) == [amiens]
    assert list(revue.participants_internes.all()) == [charge_affecte]
    assert revue.statut == RevueDeProjets.Statut.PLANIFIEE and revue.creee_par == charge_affecte
    assert revue.liste_partenaires == ["Marie Durand, CCI Amiens-Picardie"]


def test_a_charge_de_mission_of_another_epci_cannot_plan_one_here_and_loses_nothing_typed(
    client, charge_ailleurs, amiens
):
    client.force_login(charge_ailleurs)
    reponse = client.post(NOUVELLE, _donnees(amiens))
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "seul le pilotage peut y planifier une revue" in page
    assert 'value="Salle du conseil communautaire"' in page
    assert not RevueDeProjets.objects.exists()


def test_a_review_needs_at_least_one_epci_with_a_french_message(client, pilotage):
    client.force_login(pilotage)
    reponse = client.post(NOUVELLE, {"date": "2027-03-10", "lieu": "Amiens"})
    assert "Choisissez au moins un EPCI." in reponse.content.decode()
    assert not RevueDeProjets.objects.exists()


def test_an_instructeur_reads_reviews_but_cannot_plan_them(client, creer_agent, revue):
    client.force_login(creer_agent(Role.INSTRUCTEUR))
    assert client.get(LISTE).status_code == 200
    assert client.get(f"{LISTE}{revue.pk}/").status_code == 200
    assert client.get(NOUVELLE).status_code == 403
    assert client.get(f"{LISTE}{revue.pk}/modifier/").status_code == 403


@pytest.mark.parametrize("chemin", ["", "nouvelle/", "1/"])
def test_anonymous_visitors_go_to_login_and_company_users_get_403(client, utilisateur_entreprise, chemin):
    assert client.get(LISTE + chemin)["Location"].startswith("/connexion/")
    client.force_login(utilisateur_entreprise)
    assert client.get(LISTE + chemin).status_code == 403


def test_an_unknown_review_is_a_404(client, pilotage):
    client.force_login(pilotage)
    assert client.get(f"{LISTE}999999/").status_code == 404
    assert client.get(f"{LISTE}999999/modifier/").status_code == 404


def test_the_next_review_is_suggested_6_to_8_weeks_later_and_prefilled(client, pilotage, revue):
    assert revue.prochaine_date_suggeree == date(2027, 4, 28)
    assert revue.prochaine_fenetre == (date(2027, 4, 21), date(2027, 5, 5))
    client.force_login(pilotage)
    page = client.get(f"{LISTE}{revue.pk}/").content.decode()
    assert "entre le 21/04/2027 et le 05/05/2027" in page and "<strong>28/04/2027</strong>" in page
    formulaire = client.get(f"{NOUVELLE}?suite={revue.pk}").content.decode()
    assert 'value="2027-04-28"' in formulaire and 'value="Hôtel de Région"' in formulaire


def test_a_participant_declares_the_review_held(client, charge_affecte, revue, amiens):
    with time_machine.travel(date(2027, 3, 10), tick=False):
        client.force_login(charge_affecte)  # a session older than its inactivity limit would end
        reponse = client.post(
            f"{LISTE}{revue.pk}/modifier/",
            _donnees(amiens, statut="tenue", participants_internes=[str(charge_affecte.pk)], date="2027-03-10"),
        )
    assert reponse.status_code == 302
    revue.refresh_from_db()
    assert revue.statut == RevueDeProjets.Statut.TENUE
    assert revue.lieu == "Salle du conseil communautaire"


def _rappels():
    return Notification.objects.filter(gabarit="territoires_revue_rappel")


def test_participants_are_reminded_7_days_before_a_planned_review_once(revue, charge_affecte, pilotage):
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 2)) == {"revues": 0, "emails": 0}
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 3)) == {"revues": 1, "emails": 2}
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 4)) == {"revues": 0, "emails": 0}
    assert sorted(_rappels().values_list("destinataire", flat=True)) == sorted([charge_affecte.email, pilotage.email])
    rappel = _rappels().first()
    assert "10/03/2027" in rappel.sujet and "Amiens Métropole" in rappel.sujet
    assert f"/agents/crm/revues/{revue.pk}/" in rappel.corps_texte and "7 jours" in rappel.corps_texte
    revue.refresh_from_db()
    assert revue.rappel_envoye_le is not None


def test_a_held_or_past_review_gets_no_reminder_and_a_new_date_gets_a_new_one(revue):
    RevueDeProjets.objects.filter(pk=revue.pk).update(statut=RevueDeProjets.Statut.TENUE)
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 5))["revues"] == 0
    RevueDeProjets.objects.filter(pk=revue.pk).update(statut=RevueDeProjets.Statut.PLANIFIEE)
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 11))["revues"] == 0
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 5))["revues"] == 1
    revue.refresh_from_db()
    revue_modifier(revue=revue, date=date(2027, 3, 24))
    assert revue.rappel_envoye_le is None
    assert rappels_revues_envoyer(aujourd_hui=date(2027, 3, 20))["emails"] == 2


def test_the_reminder_command_does_the_same_job(revue, capsys):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2027, 3, 5, 8, 0)), tick=False):
        call_command("rappels_revues")
        call_command("rappels_revues")
    sortie = capsys.readouterr().out
    assert "1 revue(s) rappelée(s), 2 courriel(s) écrit(s)." in sortie
    assert "0 revue(s) rappelée(s), 0 courriel(s) écrit(s)." in sortie
    assert _rappels().count() == 2


def test_the_list_shows_coming_reviews_in_a_bounded_number_of_queries(
    client, pilotage, amiens, django_assert_max_num_queries
):
    epcis = list(EPCI.objects.exclude(pk=amiens.pk).order_by("nom")[:3])
    for n in range(30):
        revue_creer(
            par=pilotage,
            epcis=epcis,
            participants_internes=[pilotage],
            date=timezone.localdate() + timedelta(days=n),
            lieu=f"Lieu {n}",
        )
    revue_creer(par=pilotage, epcis=[amiens], date=timezone.localdate() - timedelta(days=3), lieu="Salle ancienne")
    client.force_login(pilotage)
    with django_assert_max_num_queries(12):
        page = client.get(LISTE).content.decode()
    assert "Lieu 0" in page and "Lieu 24" in page and "Lieu 25" not in page and "Salle ancienne" not in page
    assert "Salle ancienne" in client.get(f"{LISTE}?periode=passees").content.decode()
    filtree = client.get(f"{LISTE}?periode=toutes&epci={amiens.pk}").content.decode()
    assert "Salle ancienne" in filtree and "Lieu 0" not in filtree


def test_the_epci_page_shows_the_last_and_the_next_review(client, pilotage, amiens):
    aujourd_hui = timezone.localdate()
    derniere = revue_creer(par=pilotage, epcis=[amiens], date=aujourd_hui - timedelta(days=20), lieu="Amiens")
    client.force_login(pilotage)
    page = client.get(f"/agents/territoires/epci/{amiens.siren}/").content.decode()
    assert f"/agents/crm/revues/{derniere.pk}/" in page
    assert f"suggérée le {derniere.prochaine_date_suggeree:%d/%m/%Y}" in page
    prochaine = revue_creer(par=pilotage, epcis=[amiens], date=aujourd_hui + timedelta(days=25), lieu="Abbeville")
    page = client.get(f"/agents/territoires/epci/{amiens.siren}/").content.decode()
    assert f"/agents/crm/revues/{prochaine.pk}/" in page and "Abbeville" in page


def test_a_charge_de_mission_cannot_move_a_review_to_territories_outside_its_reach(client, charge_affecte, revue):
    ailleurs = EPCI.objects.get(siren="200071892")
    client.force_login(charge_affecte)
    reponse = client.post(f"{LISTE}{revue.pk}/modifier/", _donnees(ailleurs, statut="planifiee"))
    assert "gardez un EPCI auquel vous êtes affecté(e)" in reponse.content.decode()
    assert list(revue.epcis.all()) == [EPCI.objects.get(communes__code_insee="80021")]


def test_a_review_dated_in_the_future_cannot_be_marked_held(client, charge_affecte, revue, amiens):
    with time_machine.travel(date(2027, 3, 9), tick=False):
        client.force_login(charge_affecte)
        reponse = client.post(
            f"{LISTE}{revue.pk}/modifier/",
            _donnees(amiens, statut="tenue", participants_internes=[str(charge_affecte.pk)], date="2027-03-10"),
        )
        assert reponse.status_code == 200
        assert "ne peut pas être déclarée tenue avant le 10/03/2027" in reponse.content.decode()
        with pytest.raises(ValidationError):
            revue_modifier(revue=revue, statut=RevueDeProjets.Statut.TENUE)
    revue.refresh_from_db()
    assert revue.statut == RevueDeProjets.Statut.PLANIFIEE

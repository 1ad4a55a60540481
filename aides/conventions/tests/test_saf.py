"""The SAF dashboard: steps and ages, stalled first, delays per step, XLSX export, daily digest."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from aides.catalogue.tests.factories import DispositifFactory
from aides.conventions.models.convention import ConventionAide, Etape
from aides.conventions.selectors import conventions_tableau, delais_par_etape
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_creee, conventions_en_masse
from crm.tests.factories import EtablissementFactory
from portal.models import Direction, Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory, UserFactory

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def gestionnaire(db):
    return AgentFactory(roles=[Role.GESTIONNAIRE_SAF], direction=Direction.objects.get(code="DAEN"))


def _masse(n: int):
    return conventions_en_masse(
        n,
        etablissements=[EtablissementFactory(), EtablissementFactory()],
        dispositifs=[DispositifFactory(), DispositifFactory(direction=Direction.objects.get(code="DIPI"))],
        demandeur=UserFactory(roles=[Role.ENTREPRISE]),
        graine=n,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("nombre", [5, 50])
def test_the_dashboard_runs_a_fixed_number_of_queries(client, gestionnaire, nombre, django_assert_max_num_queries):
    _masse(nombre)
    client.force_login(gestionnaire)
    with django_assert_max_num_queries(16):
        reponse = client.get(reverse("aides_saf:tableau"))
    assert reponse.status_code == 200
    assert reponse.context["page"].paginator.count == nombre


@pytest.mark.django_db
def test_stalled_conventions_come_first_using_the_configured_delay(settings, gestionnaire):
    settings.SAF_JOURS_BLOCAGE = 15
    debut = timezone.now()
    with time_machine.travel(debut, tick=False):
        ancienne = convention_creee(gestionnaire=gestionnaire)
    with time_machine.travel(debut + timedelta(days=10), tick=False):
        recente = convention_creee(gestionnaire=gestionnaire)
    with time_machine.travel(debut + timedelta(days=14), tick=False):
        assert not ConventionAide.objects.bloquees(15).exists()
    with time_machine.travel(debut + timedelta(days=16), tick=False):
        assert list(ConventionAide.objects.bloquees(15)) == [ancienne]
        ordre = list(conventions_tableau(jours_blocage=15))
        assert ordre[0] == ancienne and ordre[0].bloquee and not ordre[1].bloquee
        assert ordre[1] == recente
    with time_machine.travel(debut + timedelta(days=26), tick=False):
        assert set(ConventionAide.objects.bloquees(15)) == {ancienne, recente}
        assert set(ConventionAide.objects.bloquees(30)) == set()


@pytest.mark.django_db
def test_delays_per_step_give_median_and_90th_percentile_by_direction_and_dispositif(gestionnaire):
    debut = timezone.now() - timedelta(days=60)
    conventions = []
    for jours in (1, 2, 3, 4, 10):
        with time_machine.travel(debut, tick=False):
            convention = convention_creee(gestionnaire=gestionnaire)
        with time_machine.travel(debut + timedelta(days=jours), tick=False):
            from aides.conventions.tests.factories import pdf_genere

            pdf_genere(convention)  # à éditer → éditée after `jours` days
        conventions.append(convention)
    delais = delais_par_etape(debut=timezone.localdate() - timedelta(days=90), fin=timezone.localdate())
    tout = [d for d in delais if d.axe == "tout" and d.etape == Etape.A_EDITER]
    assert len(tout) == 1
    assert tout[0].nombre == 5
    assert tout[0].mediane == pytest.approx(3.0, abs=0.01)
    assert tout[0].p90 == pytest.approx(7.6, abs=0.01)  # percentile_cont: 4 + 0.6 × (10 − 4)
    par_direction = [d for d in delais if d.axe == "direction"]
    assert [(d.cle, d.nombre) for d in par_direction] == [("DAEN", 5)]
    assert len([d for d in delais if d.axe == "dispositif"]) == 5  # one dispositif per application


@pytest.mark.django_db
def test_the_dashboard_shows_steps_ages_and_filters(client, gestionnaire):
    _masse(30)
    client.force_login(gestionnaire)
    page = client.get(reverse("aides_saf:tableau"), {"etape": Etape.ENVOYEE})
    assert page.status_code == 200
    assert all(c.etape == Etape.ENVOYEE for c, _age in page.context["lignes"])
    contenu = page.content.decode()
    assert "Conventions par étape" in contenu and "90<sup>e</sup> centile" in contenu
    assert client.get(reverse("aides_saf:tableau"), {"debut": "2026-12-01", "fin": "2026-01-01"}).status_code == 200


@pytest.mark.django_db
def test_the_xlsx_export_lists_the_filtered_conventions(client, gestionnaire):
    conventions = _masse(12)
    client.force_login(gestionnaire)
    reponse = client.get(reverse("aides_saf:export"))
    assert reponse.status_code == 200
    feuille = load_workbook(BytesIO(reponse.content)).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0][0] == "Numéro"
    assert {ligne[0] for ligne in lignes[1:]} == {c.numero for c in conventions}


@pytest.mark.django_db
def test_every_agent_reads_the_dashboard_but_a_company_user_does_not(client):
    for role in (Role.INSTRUCTEUR, Role.SERVICE_FEDER, Role.PILOTAGE):
        client.force_login(AgentFactory(roles=[role]))
        assert client.get(reverse("aides_saf:tableau")).status_code == 200
    # The territorial agents see the CRM, not the payments (least privilege).
    client.force_login(AgentFactory(roles=[Role.CHARGE_DE_MISSION]))
    assert client.get(reverse("aides_saf:tableau")).status_code == 403
    client.force_login(UserFactory(roles=[Role.ENTREPRISE]))
    assert client.get(reverse("aides_saf:tableau")).status_code == 403
    client.logout()
    assert client.get(reverse("aides_saf:tableau")).status_code == 302


@pytest.mark.django_db
def test_the_daily_digest_goes_to_each_saf_manager_with_stalled_conventions(gestionnaire):
    autre_direction = AgentFactory(roles=[Role.GESTIONNAIRE_SAF], direction=Direction.objects.get(code="DIPI"))
    debut = timezone.now() - timedelta(days=40)
    with time_machine.travel(debut, tick=False):
        bloquee = convention_creee(gestionnaire=AgentFactory(roles=[Role.INSTRUCTEUR]))  # no SAF manager assigned
    convention_creee(gestionnaire=gestionnaire)  # fresh: not stalled
    assert bloquee.gestionnaire is None
    assert sc.digest_bloquees_envoyer(jours=15) == 1
    notification = Notification.objects.get(gabarit="convention_bloquees")
    assert notification.utilisateur == gestionnaire
    assert bloquee.numero in notification.corps_texte
    assert not Notification.objects.filter(utilisateur=autre_direction).exists()
    # The same day's digest, run again by hand or by a second scheduler, is not sent twice.
    call_command("digest_conventions", "--jours", "15")
    assert sc.digest_bloquees_envoyer(jours=15) == 0
    assert Notification.objects.filter(gabarit="convention_bloquees").count() == 1
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert sc.digest_bloquees_envoyer(jours=15) == 1
    assert Notification.objects.filter(gabarit="convention_bloquees").count() == 2


@pytest.mark.django_db
def test_a_convention_being_executed_is_not_stalled_and_each_step_has_its_expected_delay(gestionnaire):
    """En exécution lasts as long as the project: never « bloquée ». Waiting for the company's
    signature is allowed twice the delay of an internal step."""
    convention = convention_creee(gestionnaire=gestionnaire)
    il_y_a = timezone.now() - timedelta(days=200)
    ConventionAide.objects.filter(pk=convention.pk).update(etape=Etape.EN_EXECUTION, etape_depuis=il_y_a)
    assert not ConventionAide.objects.bloquees(15).exists()
    assert not conventions_tableau(jours_blocage=15).get(pk=convention.pk).bloquee
    assert sc.digest_bloquees_envoyer(jours=15) == 0

    ConventionAide.objects.filter(pk=convention.pk).update(
        etape=Etape.ENVOYEE, etape_depuis=timezone.now() - timedelta(days=20)
    )
    assert not ConventionAide.objects.bloquees(15).exists()
    ConventionAide.objects.filter(pk=convention.pk).update(etape_depuis=timezone.now() - timedelta(days=31))
    assert list(ConventionAide.objects.bloquees(15)) == [convention]
    ConventionAide.objects.filter(pk=convention.pk).update(
        etape=Etape.SIGNEE_BENEFICIAIRE, etape_depuis=timezone.now() - timedelta(days=16)
    )
    assert list(ConventionAide.objects.bloquees(15)) == [convention]
    comptes = {c.etape: c.bloquees for c in sc_comptes(15)}
    assert comptes[Etape.SIGNEE_BENEFICIAIRE] == 1 and comptes[Etape.EN_EXECUTION] == 0


def sc_comptes(jours):
    from aides.conventions.selectors import comptes_par_etape

    return comptes_par_etape(jours_blocage=jours)


@pytest.mark.django_db
def test_the_crm_timeline_shows_conventions_and_payments(gestionnaire):
    from aides.conventions.tests.factories import convention_notifiee
    from crm.timeline import chronologie

    convention = convention_notifiee(gestionnaire=gestionnaire)
    sc.versement_creer(convention_id=convention.pk, par=gestionnaire, type="avance", montant=Decimal("1000"))
    evenements = chronologie(convention.etablissement.entreprise)
    genres = {e.genre for e in evenements}
    assert {"convention", "versement"} <= genres
    assert any("notifiée" in e.libelle for e in evenements)


@pytest.mark.django_db
def test_the_histogram_percentiles_match_postgresql_percentile_cont():
    import random

    from django.db import connection

    from aides.conventions.selectors import percentile_cont

    hasard = random.Random(7)
    valeurs = [round(hasard.choice([0.5, 1, 2, 3.3, 8, 13, 40]) + hasard.randrange(3) / 10, 1) for _ in range(301)]
    histogramme = sorted({v: valeurs.count(v) for v in valeurs}.items())
    with connection.cursor() as curseur:
        curseur.execute(
            "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY v), percentile_cont(0.9) WITHIN GROUP (ORDER BY v) "
            "FROM unnest(%s::float8[]) AS v",
            [valeurs],
        )
        mediane, p90 = curseur.fetchone()
    assert percentile_cont(histogramme, 0.5) == pytest.approx(mediane)
    assert percentile_cont(histogramme, 0.9) == pytest.approx(p90)


@pytest.mark.django_db
@pytest.mark.parametrize("versements", [1, 6])
def test_the_convention_page_runs_a_fixed_number_of_queries(client, versements, django_assert_max_num_queries):
    from aides.conventions.tests.factories import convention_notifiee

    convention = convention_notifiee(montant=Decimal("20000"))
    for _ in range(versements):
        sc.versement_creer(
            convention_id=convention.pk, par=convention.gestionnaire, type="acompte", montant=Decimal("100")
        )
    client.force_login(convention.gestionnaire)
    with django_assert_max_num_queries(17):  # + the payment requests and final report (issue 17)
        assert client.get(reverse("aides_saf:convention", args=[convention.pk])).status_code == 200
    client.force_login(convention.demande.demandeur)
    with django_assert_max_num_queries(15):  # + the payment plan and requests (issue 17)
        assert client.get(reverse("espace:convention", args=[convention.pk])).status_code == 200

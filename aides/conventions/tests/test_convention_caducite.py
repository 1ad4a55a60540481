"""Lapse (caducité): a convention still unsigned, or notified with no payment asked for, when its lapse
date has passed becomes « caduque » by the daily job, once, dated and notified."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from aides.conventions.models.convention import ConventionAide, Etape, EtapeConvention
from aides.conventions.services import convention as sc
from aides.conventions.tasks import conventions_caduques_marquer_task
from aides.conventions.tests.factories import convention_creee, convention_envoyee, convention_notifiee, signer_region
from portal.models import Notification
from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE as MOT
from portal.tests.factories import AgentFactory

pytestmark = pytest.mark.usefixtures("media")

PARIS = ZoneInfo("Europe/Paris")


def _le(jour, heure: int = 7) -> datetime:
    return datetime(jour.year, jour.month, jour.day, heure, tzinfo=PARIS)


@pytest.mark.django_db
def test_an_unsigned_convention_lapses_the_day_after_its_lapse_date_once_with_its_history_and_notices():
    convention = convention_envoyee()
    echeance = convention.date_caducite
    assert echeance == convention.date_decision + timedelta(days=365)

    with time_machine.travel(_le(echeance), tick=False):
        assert sc.conventions_caduques_marquer() == 0  # the lapse date itself is still in time
    convention.refresh_from_db()
    assert convention.etape == Etape.ENVOYEE

    with time_machine.travel(_le(echeance + timedelta(days=1)), tick=False):
        sortie = StringIO()
        call_command("caducite_conventions", stdout=sortie)
        assert "1 convention(s) rendue(s) caduque(s)" in sortie.getvalue()
        assert sc.conventions_caduques_marquer() == 0  # a second run changes nothing

    convention.refresh_from_db()
    assert convention.etape == Etape.CADUQUE
    assert convention.etape_depuis == _le(echeance + timedelta(days=1))
    etape = EtapeConvention.objects.get(convention=convention, vers=Etape.CADUQUE)
    assert etape.de == Etape.ENVOYEE and etape.par is None
    assert f"non signée à la date de caducité du {echeance:%d/%m/%Y}" in etape.motif
    saf = Notification.objects.get(gabarit="convention_caduque")
    assert saf.utilisateur == convention.gestionnaire
    assert convention.numero in saf.sujet and etape.motif in saf.corps_texte
    entreprise = Notification.objects.filter(gabarit="convention_notifiee", utilisateur=convention.demande.demandeur)
    assert entreprise.count() == 1 and "caduque" in entreprise.get().corps_texte


@pytest.mark.django_db
def test_the_job_lapses_unsigned_or_unpaid_conventions_and_leaves_signed_or_running_ones():
    a_editer = convention_creee()
    notifiee = convention_notifiee()
    en_execution = convention_notifiee()
    sc.versement_creer(
        convention_id=en_execution.pk, par=en_execution.gestionnaire, type="avance", montant=Decimal("1000")
    )
    # Signed by both but not notified yet: the Région's own delay, left to the SAF (stalled in the digest).
    signee_region = convention_envoyee()
    version = sc.version_courante(signee_region)
    sc.convention_signer_beneficiaire(
        convention_id=signee_region.pk, par=signee_region.demande.demandeur, version_id=version.pk, mot_de_passe=MOT
    )
    signer_region(signee_region, AgentFactory(roles=[Role.PILOTAGE]), version)
    apres = max(c.date_caducite for c in (a_editer, notifiee, en_execution, signee_region)) + timedelta(days=1)

    with time_machine.travel(_le(apres), tick=False):
        assert conventions_caduques_marquer_task() == 2

    etapes = dict(ConventionAide.objects.values_list("pk", "etape"))
    assert etapes[a_editer.pk] == Etape.CADUQUE
    assert etapes[notifiee.pk] == Etape.CADUQUE
    assert etapes[en_execution.pk] == Etape.EN_EXECUTION
    assert etapes[signee_region.pk] == Etape.SIGNEE_REGION
    motif = EtapeConvention.objects.get(convention=notifiee, vers=Etape.CADUQUE).motif
    assert motif.startswith("Aucun versement demandé")


@pytest.mark.django_db
def test_a_convention_signed_between_the_listing_and_the_lapse_is_left_alone():
    convention = convention_notifiee()
    apres = convention.date_caducite + timedelta(days=1)
    sc.convention_executer(convention_id=convention.pk, par=convention.gestionnaire)
    assert sc.convention_rendre_caduque(convention_id=convention.pk, aujourd_hui=apres) is False
    convention.refresh_from_db()
    assert convention.etape == Etape.EN_EXECUTION


def test_the_lapse_runs_daily_and_the_command_refuses_a_bad_date():
    taches = {entree["task"] for entree in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "aides.tasks.conventions_caduques_marquer" in taches
    with pytest.raises(CommandError, match="AAAA-MM-JJ"):
        call_command("caducite_conventions", "--date", "31/12/2027", stdout=StringIO())


@pytest.mark.django_db
def test_the_company_cannot_sign_after_the_lapse_date_even_before_the_job_ran(client):
    convention = convention_envoyee()
    version = sc.version_courante(convention)
    with time_machine.travel(_le(convention.date_caducite + timedelta(days=1), heure=1), tick=False):
        client.force_login(convention.demande.demandeur)
        reponse = client.post(
            reverse("espace:convention-signer", args=[convention.pk]),
            {"version": version.pk, "mot_de_passe": MOT, "je_signe": "on"},
        )
        page = client.get(reverse("espace:convention", args=[convention.pk])).content.decode()
    assert reponse.status_code == 400
    assert f"a expiré le {convention.date_caducite:%d/%m/%Y}" in reponse.content.decode()
    assert "a expiré le" in page and "Je signe" not in page
    assert not convention.signatures.exists()
    with time_machine.travel(_le(convention.date_caducite, heure=23), tick=False):
        sc.convention_signer_beneficiaire(
            convention_id=convention.pk, par=convention.demande.demandeur, version_id=version.pk, mot_de_passe=MOT
        )
    assert convention.signatures.count() == 1

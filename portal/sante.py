"""Health of the portal, for load balancers (liveness) and for people (readiness).

Liveness (`/sante/`) says whether this process can serve pages: it answers and its database does.
Redis or the object storage being down does not take a web node out of the load balancer (pages
still answer; emails and PDFs wait in the database), so they are reported by readiness only
(`/sante/pret/`), with the scheduler's freshness and the backlog of the outbox and of the jobs.
"""

import os
from dataclasses import dataclass, field
from datetime import timedelta

import redis
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Count, Min, Q
from django.utils import timezone

from .celery import app
from .models import Battement, Notification
from .travaux import travaux_en_retard_resume

# The sweep (portal.tasks.travaux_balayer) runs every minute and notes its passage under this name.
BATTEMENT_BALAYAGE = "balayage"


def etat_base() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def etat_courtier() -> bool:
    try:
        with redis.Redis.from_url(app.conf.broker_url, socket_connect_timeout=1, socket_timeout=1) as client:
            return bool(client.ping())
    except Exception:
        return False


def etat_stockage() -> bool:
    """The file storage answers (S3: the bucket is reachable with our keys; disk: MEDIA_ROOT is readable)."""

    try:
        if hasattr(default_storage, "bucket_name"):  # S3: the bucket answers to our keys
            default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
            return True
        dossier = default_storage.location  # disk: MEDIA_ROOT (or where it will be made) is writable
        while not os.path.isdir(dossier):
            dossier = os.path.dirname(dossier)
        return os.access(dossier, os.W_OK)
    except Exception:
        return False


@dataclass
class Pret:
    """What /sante/pret/ reports: `raisons` lists, in French, what is wrong (empty when ready)."""

    details: dict = field(default_factory=dict)
    raisons: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.raisons


def etat_pret() -> Pret:

    pret = Pret()
    maintenant = timezone.now()
    if not etat_base():
        pret.details["base_de_donnees"] = "injoignable"
        pret.raisons.append("Base de données injoignable.")
        return pret  # nothing else can be read
    pret.details["base_de_donnees"] = "ok"

    courtier = etat_courtier()
    pret.details["courtier"] = "ok" if courtier else "injoignable"
    if not courtier:
        pret.raisons.append("Courtier Celery (Redis) injoignable : courriels et PDF attendent dans la base.")

    stockage = etat_stockage()
    pret.details["stockage"] = "ok" if stockage else "injoignable"
    if not stockage:
        pret.raisons.append("Stockage des fichiers injoignable.")

    battement = Battement.objects.filter(nom=BATTEMENT_BALAYAGE).first()
    limite_planificateur = timedelta(minutes=settings.SANTE_PLANIFICATEUR_MINUTES)
    age = (maintenant - battement.le) if battement else None
    pret.details["planificateur"] = {
        "dernier_passage": battement.le.isoformat() if battement else None,
        "age_secondes": int(age.total_seconds()) if age is not None else None,
    }
    if age is None or age > limite_planificateur:
        pret.raisons.append(
            "Tâches périodiques : aucun passage du balayage "
            + (f"depuis {int(age.total_seconds() // 60)} min" if age is not None else "enregistré")
            + " (celery beat ou le worker « periodique » est arrêté)."
        )

    courriels = Notification.objects.aggregate(
        en_attente=Count("pk", filter=Q(statut=Notification.Statut.EN_ATTENTE)),
        echecs=Count("pk", filter=Q(statut=Notification.Statut.ECHEC)),
        plus_ancien=Min("cree_le", filter=Q(statut=Notification.Statut.EN_ATTENTE)),
    )
    age_courriel = (maintenant - courriels["plus_ancien"]) if courriels["plus_ancien"] else None
    pret.details["courriels"] = {
        "en_attente": courriels["en_attente"],
        "echecs": courriels["echecs"],
        "plus_ancien_en_attente": courriels["plus_ancien"].isoformat() if courriels["plus_ancien"] else None,
        "plus_ancien_age_secondes": int(age_courriel.total_seconds()) if age_courriel else None,
    }
    if age_courriel and age_courriel > timedelta(minutes=settings.SANTE_COURRIEL_MINUTES):
        pret.raisons.append(
            f"{courriels['en_attente']} courriel(s) en attente, le plus ancien depuis "
            f"{int(age_courriel.total_seconds() // 60)} min."
        )

    travaux = travaux_en_retard_resume(maintenant)
    pret.details["travaux"] = travaux
    if travaux["en_retard"]:
        pret.raisons.append(f"{travaux['en_retard']} travail(aux) en arrière-plan en retard (PDF, récépissés…).")
    return pret

"""Celery's settings, for portal/settings.py: queues and their time limits, acknowledgement, the
periodic schedule. Tasks keep the names they were first given (a beat row in the database or a queued
message names them): a task that moved to another module says so with an explicit `name=`.
"""

import os

from celery.schedules import crontab

CELERY_RESULT_BACKEND = None

CELERY_TASK_IGNORE_RESULT = True

CELERY_BROKER_CONNECTION_TIMEOUT = 2

CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CELERY_PUBLICATION_DELAI = float(os.environ.get("CELERY_PUBLICATION_DELAI", "0.5"))

CELERY_PUBLICATION_PAUSE = float(os.environ.get("CELERY_PUBLICATION_PAUSE", "5"))

# Queues: emails, documents (WeasyPrint: memory-hungry, its worker recycles its processes) and
# periodic work, each with (soft, hard) time limits in seconds.
CELERY_FILES = {"emails": "emails", "documents": "documents", "periodique": "periodique"}

CELERY_LIMITES_PAR_FILE = {"emails": (60, 90), "documents": (120, 180), "periodique": (600, 900)}


def routes_celery(files: dict[str, str]) -> dict:
    return {
        "portal.tasks.notification_envoyer": {"queue": files["emails"]},
        "portal.tasks.travail_executer": {"queue": files["documents"]},
        "aides.tasks.convention_pdf_generer": {"queue": files["documents"]},
        "*": {"queue": files["periodique"]},
    }


def annotations_celery() -> dict:
    limites = {
        nom: {"soft_time_limit": CELERY_LIMITES_PAR_FILE[file][0], "time_limit": CELERY_LIMITES_PAR_FILE[file][1]}
        for nom, file in [
            ("portal.tasks.notification_envoyer", "emails"),
            ("portal.tasks.travail_executer", "documents"),
            ("aides.tasks.convention_pdf_generer", "documents"),
        ]
    }
    return limites


CELERY_TASK_ROUTES = routes_celery(CELERY_FILES)

CELERY_TASK_DEFAULT_QUEUE = CELERY_FILES["periodique"]

CELERY_TASK_ANNOTATIONS = annotations_celery()

CELERY_TASK_SOFT_TIME_LIMIT, CELERY_TASK_TIME_LIMIT = CELERY_LIMITES_PAR_FILE["periodique"]

# A message is acknowledged once its task ends; a worker killed mid-task gives it back to the queue
# (the task's row claim makes the redelivery harmless). An unacknowledged message of a whole
# worker that died comes back after the visibility timeout: longer than the longest hard limit.
CELERY_TASK_ACKS_LATE = True

CELERY_TASK_REJECT_ON_WORKER_LOST = True

CELERY_WORKER_PREFETCH_MULTIPLIER = 1

CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 10,
    "visibility_timeout": max(limites[1] for limites in CELERY_LIMITES_PAR_FILE.values()) + 300,
}


# The schedule lives in the database (django-celery-beat): beat syncs these entries into it when it
# starts, keeps each task's last run across deploys, and daily/weekly jobs run at fixed times.
# Every periodic send also claims its period in the database (portal.periodes), so two beats or a
# manual command send once.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

CELERY_BEAT_SCHEDULE = {
    # The one sweep: late jobs of every kind (emails, PDF, receipts), outbox failures alert.
    "portal-travaux-balayer": {"task": "portal.tasks.travaux_balayer", "schedule": crontab(minute="*")},
    "portal-echecs-alerter": {"task": "portal.tasks.echecs_alerter", "schedule": crontab(minute=5)},
    # Password-reset requests whose task was lost (portal.services.reinitialisation_demander).
    "portal-reinitialisations-relancer": {
        "task": "portal.tasks.reinitialisations_relancer",
        "schedule": crontab(minute="*/5"),
    },
    "crm-sollicitations-relancer": {"task": "crm.tasks.sollicitations_relancer", "schedule": crontab(minute=10)},
    "crm-contacts-anonymiser": {"task": "crm.tasks.contacts_anonymiser", "schedule": crontab(hour=3, minute=0)},
    "portal-documents-orphelins-purger": {
        "task": "portal.tasks.documents_orphelins_purger",
        "schedule": crontab(hour=3, minute=50),
    },
    "parcours-syntheses-purger": {"task": "parcours.tasks.syntheses_purger", "schedule": crontab(hour=3, minute=20)},
    "aides-fichiers-en-attente-purger": {
        "task": "aides.tasks.fichiers_en_attente_purger",
        "schedule": crontab(hour=3, minute=40),
    },
    "crm-taches-rappeler": {"task": "crm.tasks.taches_rappeler", "schedule": crontab(hour=7, minute=15)},
    # Experts whose opinion on an application is due soon (aides.demandes.services.avis).
    "aides-avis-rappeler": {"task": "aides.tasks.avis_rappeler", "schedule": crontab(hour=7, minute=20)},
    "aides-conventions-caduques-marquer": {
        "task": "aides.tasks.conventions_caduques_marquer",
        "schedule": crontab(hour=6, minute=30),
    },
    "territoires-alertes-conventions": {
        "task": "territoires.tasks.alertes_conventions",
        "schedule": crontab(hour=7, minute=0),
    },
    "territoires-rappels-revues": {
        "task": "territoires.tasks.rappels_revues",
        "schedule": crontab(hour=7, minute=15),
    },
    "territoires-liste-echeance-conventions": {
        "task": "territoires.tasks.liste_echeance_conventions",
        "schedule": crontab(hour=7, minute=30, day_of_week="monday"),
    },
    "aides-conventions-bloquees-digest": {
        "task": "aides.tasks.conventions_bloquees_digest",
        "schedule": crontab(hour=7, minute=45),
    },
}

CELERY_BEAT_SCHEDULE["aides-conventions-bloquees-digest"] = {
    "task": "aides.tasks.conventions_bloquees_digest",
    "schedule": crontab(hour=7, minute=45),
}

# Catalogue alerts: digests every morning (weekly ones on the week's first run), then the GDPR purge.
CELERY_BEAT_SCHEDULE["aides-alertes-envoyer"] = {
    "task": "aides.tasks.alertes_envoyer",
    "schedule": crontab(hour=8, minute=0),
}

CELERY_BEAT_SCHEDULE["aides-alertes-purger"] = {
    "task": "aides.tasks.alertes_purger",
    "schedule": crontab(hour=3, minute=30),
}

# The table of facts the statistics pages read, rebuilt every hour (the hour is claimed: once).
CELERY_BEAT_SCHEDULE["pilotage-agregats-rafraichir"] = {
    "task": "pilotage.tasks.agregats_rafraichir",
    "schedule": crontab(minute=5),
}

# Satisfaction surveys after a request is answered or a decision taken (one per object, see pilotage).
CELERY_BEAT_SCHEDULE["pilotage-enquetes-envoyer"] = {
    "task": "pilotage.tasks.enquetes_envoyer",
    "schedule": crontab(minute=20),
}

# Complement requests whose deadline is near: the company is reminded, once each.
CELERY_BEAT_SCHEDULE["aides-complements-rappeler"] = {
    "task": "aides.tasks.complements_rappeler",
    "schedule": crontab(hour=8, minute=0),
}

CELERY_BEAT_SCHEDULE["aides-rappels-remboursements"] = {
    "task": "aides.tasks.rappels_remboursements",
    "schedule": crontab(hour=7, minute=15),
}

CELERY_BEAT_SCHEDULE["partenaires-orientations-relancer"] = {
    "task": "partenaires.tasks.orientations_relancer",
    "schedule": crontab(hour=9, minute=0),
}

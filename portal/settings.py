"""Settings of the portal, all values from the environment.

Defaults suit a developer's machine (`make run` sets DEBUG=1). With DEBUG off the portal refuses
to start without SECRET_KEY and turns on the production security settings.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY est obligatoire quand DEBUG est désactivé "
            "(sur un poste de développement : export DEBUG=1, comme le fait `make run`)."
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # The Django admin, whose site requires a verified second factor (portal.admin_site).
    "portal.admin_config.AdminPortailConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "territoires",
    "crm",
    "aides",
    "parcours",
    "partenaires",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor (TOTP).
    "django_otp.middleware.OTPMiddleware",
    # Staff (and companies that opted in) finish the second factor before anything else.
    "portal.double_facteur.DoubleFacteurMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.context_processors.portail",
            ],
        },
    },
    {
        # Plain-text templates (email subjects and text bodies): no HTML escaping, so that
        # « l'aide » does not arrive as « l&#x27;aide ».
        "NAME": "texte",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users: email as login; roles are groups (see portal.roles).
AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "connexion"
LOGIN_REDIRECT_URL = "accueil-apres-connexion"
LOGOUT_REDIRECT_URL = "accueil"

# Sessions live in the database and end after SESSION_INACTIVITY_MINUTES without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_INACTIVITY_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling: AXES_FAILURE_LIMIT failures lock the (user, IP) pair for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form's field is "username" (axes would look for USERNAME_FIELD, "email", and count every
# failure under an empty name); the callable lowercases it, as the login itself ignores case.
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.acces.identifiant_connexion"
AXES_LOCKOUT_TEMPLATE = "registration/verrouille.html"
AXES_RESET_ON_SUCCESS = True
# Client addresses: the number of reverse proxies in front of the portal that append to
# X-Forwarded-For (0: the address of the TCP peer is the client's, X-Forwarded-For is ignored).
# AXES_PROXY_COUNT, its former name, is still read. One function reads the address everywhere.
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", os.environ.get("AXES_PROXY_COUNT", "0")))
AXES_CLIENT_IP_CALLABLE = "portal.reseau.adresse_client"

# Second factor (TOTP, django-otp): the issuer shown in authenticator apps; wrong codes slow the
# next attempt down exponentially (1 s, 2 s, 4 s…) on the device itself.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Portail Entreprises Hauts-de-France")
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploaded files live outside static/, and are only served through views that check access.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "10")) * 1024 * 1024
# Small requests stay in memory; larger files go to a temporary file that stops growing past
# UPLOAD_MAX_BYTES (the rest is counted, not stored) so a 200 MB upload never fills the disk.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "portal.televersement.TeleversementPlafonne",
]

# Domain settings.
CRM_CONSERVATION_CONTACT_ANNEES = int(os.environ.get("CRM_CONSERVATION_CONTACT_ANNEES", "3"))
PARCOURS_CACHE_CATALOGUE_SECONDES = int(os.environ.get("PARCOURS_CACHE_CATALOGUE_SECONDES", "300"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: console on a developer's machine, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 10
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mails"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Région Hauts-de-France <ne-pas-repondre@hautsdefrance.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery on Redis. Publishing never waits long: a web request must not hang when Redis is down.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "notifications-relancer": {
        "task": "portal.tasks.notifications_relancer",
        "schedule": timedelta(minutes=5),
    },
    "crm-sollicitations-relancer": {
        "task": "crm.tasks.sollicitations_relancer",
        "schedule": timedelta(hours=1),
    },
    "crm-contacts-anonymiser": {
        "task": "crm.tasks.contacts_anonymiser",
        "schedule": timedelta(days=1),
    },
    "parcours-syntheses-purger": {
        "task": "parcours.tasks.syntheses_purger",
        "schedule": timedelta(days=1),
    },
    "territoires-alertes-conventions": {
        "task": "territoires.tasks.alertes_conventions",
        "schedule": crontab(hour=7, minute=0),
    },
    "territoires-liste-echeance-conventions": {
        "task": "territoires.tasks.liste_echeance_conventions",
        "schedule": crontab(hour=7, minute=30, day_of_week="monday"),
    },
    "aides-fichiers-en-attente-purger": {
        "task": "aides.tasks.fichiers_en_attente_purger",
        "schedule": timedelta(days=1),
    },
    "aides-recepisses-relancer": {
        "task": "aides.tasks.recepisses_relancer",
        "schedule": timedelta(minutes=10),
    },
    "territoires-rappels-revues": {
        "task": "territoires.tasks.rappels_revues",
        "schedule": crontab(hour=7, minute=15),
    },
}

# Security headers. CSP without unsafe-inline: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the health endpoint over plain HTTP; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^sante/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Aid conventions (SAF): a convention waiting longer than this in one step is « bloquée ».
SAF_JOURS_BLOCAGE = int(os.environ.get("SAF_JOURS_BLOCAGE", "15"))
# The Région's SIRET as the grantor in the open data of subsidies (SCDL « subventions »).
SCDL_SIRET_ATTRIBUANT = os.environ.get("SCDL_SIRET_ATTRIBUANT", "20005374200017")
CELERY_BEAT_SCHEDULE["aides-conventions-bloquees-digest"] = {
    "task": "aides.tasks.conventions_bloquees_digest",
    "schedule": crontab(hour=7, minute=45),
}
# Unsigned conventions past their lapse date become « caduque » before the digest is written.
CELERY_BEAT_SCHEDULE["aides-conventions-caduques-marquer"] = {
    "task": "aides.tasks.conventions_caduques_marquer",
    "schedule": crontab(hour=6, minute=30),
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
# Open API: requests per minute and per client address (429 with Retry-After beyond).
API_LIMITE_PAR_MINUTE = int(os.environ.get("API_LIMITE_PAR_MINUTE", "120"))
# Public forms (« Être contacté », its embed, prescriptions): submissions per address per hour.
PARTENAIRES_LIMITE_FORMULAIRES = int(os.environ.get("PARTENAIRES_LIMITE_FORMULAIRES", "10"))
CELERY_BEAT_SCHEDULE["partenaires-orientations-relancer"] = {
    "task": "partenaires.tasks.orientations_relancer",
    "schedule": crontab(hour=9, minute=0),
}

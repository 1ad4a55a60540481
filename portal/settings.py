"""Settings of the portal, all values from the environment.

Defaults suit a developer's machine (`make run` sets DEBUG=1). With DEBUG off the portal refuses
to start without SECRET_KEY and turns on the production security settings.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from portal.stockage import stockage_defaut

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
    "django_celery_beat",
    "portal",
    "territoires",
    "formulaires",
    "crm",
    "aides",
    "parcours",
    "pilotage",
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
    # A NUL byte anywhere in the request is a 400 before any view or query sees it.
    "portal.middleware.RefusOctetNul",
    "portal.middleware.ConservationSaisie",
    "portal.middleware.DureeAbsolueSession",
    "portal.middleware.EnTetesSecurite",
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
            # French plurals, years, sizes and amounts in every template without `{% load %}`.
            "builtins": ["portal.templatetags.portail"],
        },
    },
    {
        # Plain-text templates (email subjects and text bodies): no HTML escaping, so that
        # « l'aide » does not arrive as « l&#x27;aide ».
        "NAME": "texte",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["portal.templatetags.portail"]},
    },
]

# Behind a transaction-pooling PgBouncer (DB_POOLER=transaction), a connection is only ours for one
# transaction: no persistent connection, no server-side cursor (a named cursor outlives the
# transaction that declared it, which the pooler would hand to another client).
DB_POOLER = os.environ.get("DB_POOLER", "").strip().lower()
if DB_POOLER not in {"", "transaction", "session"}:
    raise ImproperlyConfigured("DB_POOLER vaut « transaction », « session » ou rien (connexion directe).")
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portail"),
        conn_max_age=0 if DB_POOLER == "transaction" else int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=DB_POOLER != "transaction",
        disable_server_side_cursors=DB_POOLER == "transaction",
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
LOGIN_URL_CHEMIN = "/connexion/"
LOGIN_REDIRECT_URL = "accueil-apres-connexion"
LOGOUT_REDIRECT_URL = "accueil"

# Sessions live in the database and end after SESSION_INACTIVITY_MINUTES without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_INACTIVITY_MINUTES", "60")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Besides the idle limit, a session ends this long after login whatever the activity.
SESSION_ABSOLUE_HEURES = int(os.environ.get("SESSION_ABSOLUE_HEURES", "12"))

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
# Uploaded and generated files: on disk (MEDIA_ROOT) by default, on S3-compatible object storage
# (OVHcloud, Scaleway, Outscale, MinIO…) with STORAGE_BACKEND=s3, shared by every web and worker
# node. Either way they are read and written through Django's storage API only, and served only by
# access-checked views (portal.fichiers.reponse_fichier).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "fichiers").strip().lower()
STOCKAGE_DEFAUT = stockage_defaut(STORAGE_BACKEND)
STORAGES = {
    "default": STOCKAGE_DEFAUT,
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
# Quotas of stored documents (count, total size), per application and per company account.
UPLOAD_QUOTA_DEMANDE = (
    int(os.environ.get("UPLOAD_QUOTA_DEMANDE_FICHIERS", "30")),
    int(os.environ.get("UPLOAD_QUOTA_DEMANDE_MO", "100")) * 1024 * 1024,
)
UPLOAD_QUOTA_COMPTE = (
    int(os.environ.get("UPLOAD_QUOTA_COMPTE_FICHIERS", "300")),
    int(os.environ.get("UPLOAD_QUOTA_COMPTE_MO", "1000")) * 1024 * 1024,
)
# Small requests stay in memory; larger files go to a temporary file that stops growing past
# UPLOAD_MAX_BYTES (the rest is counted, not stored) so a 200 MB upload never fills the disk.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "portal.televersement.TeleversementPlafonne",
]

# Domain settings.
CRM_CONSERVATION_CONTACT_ANNEES = int(os.environ.get("CRM_CONSERVATION_CONTACT_ANNEES", "3"))
PARCOURS_CACHE_CATALOGUE_SECONDES = int(os.environ.get("PARCOURS_CACHE_CATALOGUE_SECONDES", "300"))
# Statistics pages (pilotage, public /statistiques/) keep their computed figures this long (0 disables).
STATISTIQUES_CACHE_SECONDES = int(os.environ.get("STATISTIQUES_CACHE_SECONDES", "300"))

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

# Celery on Redis. Publishing never waits long: a web request must not hang when Redis is down or
# hung (portal.taches: 0.5 s timeouts and a circuit breaker; the sweep publishes what was missed).
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
# Celery: queues and their time limits, acknowledgement, the periodic schedule (portal/planification.py).
from portal.planification import *  # noqa: E402, F403

CELERY_TIMEZONE = TIME_ZONE


# Abuse limits (portal.limites): "per address,global,window in seconds" (0 = no limit of that kind).
LIMITES_CACHE = "default"
LIMITES_PREFIXE = os.environ.get("LIMITES_PREFIXE", "v1")
LIMITES = {
    # Anonymous forms that write, send emails or render PDFs (every POST counts).
    "contact": os.environ.get("LIMITE_CONTACT", "5,200,3600"),
    "parcours_contact": os.environ.get("LIMITE_PARCOURS_CONTACT", "5,200,3600"),
    "parcours_pdf": os.environ.get("LIMITE_PARCOURS_PDF", "10,120,600"),
    "inscription": os.environ.get("LIMITE_INSCRIPTION", "5,100,3600"),
    "mdp_oublie": os.environ.get("LIMITE_MDP_OUBLIE", "5,200,3600"),
    # Failed logins per address, whatever the account (password spraying); no global lock-out.
    "connexion": os.environ.get("LIMITE_CONNEXION", "20,0,900"),
    # Wrong passwords on the convention signature, per address and per account.
    "signature": os.environ.get("LIMITE_SIGNATURE", "5,0,900"),
    # Open API: requests a minute per client address, GET included (API_LIMITE_PAR_MINUTE: former name).
    "api": os.environ.get("LIMITE_API", f"{os.environ.get('API_LIMITE_PAR_MINUTE', '120')},0,60"),
    # Partners' forms (« Être contacté » embedded on a partner's site, prescriptions): posts an hour
    # per address (PARTENAIRES_LIMITE_FORMULAIRES: their former common setting).
    "integration_contact": os.environ.get(
        "LIMITE_INTEGRATION_CONTACT", f"{os.environ.get('PARTENAIRES_LIMITE_FORMULAIRES', '10')},0,3600"
    ),
    "prescriptions": os.environ.get(
        "LIMITE_PRESCRIPTIONS", f"{os.environ.get('PARTENAIRES_LIMITE_FORMULAIRES', '10')},0,3600"
    ),
    # Acceptances of a partner's invitation, and alert sign-ups (posts an hour per address).
    "invitation_partenaire": os.environ.get("LIMITE_INVITATION_PARTENAIRE", "20,0,3600"),
    "alertes_abonnement": os.environ.get("LIMITE_ALERTES_ABONNEMENT", "10,0,3600"),
    # An EPCI signing its convention (password and second-factor code re-entered): posts an hour.
    "signature_epci": os.environ.get("LIMITE_SIGNATURE_EPCI", "10,0,3600"),
}

# Shared cache (Redis) for every web node: the parcours catalogue and the catalogue's facet counts.
# Redis being down never fails a page (portal.cache: errors read as a miss).
CACHES = {
    "default": {
        "BACKEND": "portal.cache.CacheRedisTolerant",
        "LOCATION": os.environ.get("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": os.environ.get("CACHE_PREFIXE", "portail"),
        "TIMEOUT": 300,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}
CATALOGUE_CACHE_FACETTES_SECONDES = int(os.environ.get("CATALOGUE_CACHE_FACETTES_SECONDES", "120"))
# An anonymous visitor's rendered catalogue page is kept too (same key and lifetime).
CATALOGUE_CACHE_PAGE_ANONYME = env_bool("CATALOGUE_CACHE_PAGE_ANONYME", True)

# Readiness (/sante/pret/): beyond these delays the node reports « dégradé » with the reason.
SANTE_PLANIFICATEUR_MINUTES = int(os.environ.get("SANTE_PLANIFICATEUR_MINUTES", "10"))
SANTE_COURRIEL_MINUTES = int(os.environ.get("SANTE_COURRIEL_MINUTES", "15"))
SANTE_TRAVAUX_MINUTES = int(os.environ.get("SANTE_TRAVAUX_MINUTES", "10"))
# Background jobs: a job claimed longer ago than this (0: its queue's hard limit + 60 s) lost its worker.
TRAVAUX_REPRISE_SECONDES = int(os.environ.get("TRAVAUX_REPRISE_SECONDES", "0"))
# Test only: seconds each PDF render sleeps, to kill a worker in the middle of one.
PDF_PAUSE_TEST_SECONDES = float(os.environ.get("PDF_PAUSE_TEST_SECONDES", "0"))

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
# No page of the portal needs these browser features; a compromised script cannot ask for them.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), interest-cohort=(), browsing-topics=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe the health endpoint over plain HTTP; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^sante/$", r"^sante/pret/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # `__Host-` cookies are refused by browsers unless Secure, for this host only and for path /:
    # a sibling sub-domain cannot plant or read them.
    if env_bool("COOKIES_PREFIXE_HOST", True):
        SESSION_COOKIE_NAME = "__Host-sessionid"
        CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "filters": {"sans_trace_sous_500": {"()": "portal.journal.SansTraceSous500"}},
    "loggers": {
        "axes": {"level": "WARNING"},
        # A 403 or 400 prints one line; a 500 keeps its traceback.
        "django.request": {"filters": ["sans_trace_sous_500"]},
        # WeasyPrint and the font subsetter it calls print hundreds of debug lines per PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Aid conventions (SAF): a convention waiting longer than this in one step is « bloquée ».
SAF_JOURS_BLOCAGE = int(os.environ.get("SAF_JOURS_BLOCAGE", "15"))
# The SAF dashboard's figures kept in the shared cache under the « saf » generation (changed on
# every save of a convention, step or application): an upper bound, e.g. after a bulk import.
SAF_CACHE_SECONDES = int(os.environ.get("SAF_CACHE_SECONDES", "300"))
# A payment above this amount (euros) is « contrôlé » and « mandaté » by two different agents.
VERSEMENT_SEUIL_DOUBLE_CONTROLE = int(os.environ.get("VERSEMENT_SEUIL_DOUBLE_CONTROLE", "23000"))
# Days a company has to answer a complement request (reminded 3 days before).
COMPLEMENT_DELAI_JOURS = int(os.environ.get("COMPLEMENT_DELAI_JOURS", "15"))
# Repayments of repayable advances and loans (issue 17): an unpaid instalment is « échue » from its
# due date, « en retard » after this many days; a reminder is sent this many days before the due date.
REMBOURSEMENT_JOURS_GRACE = int(os.environ.get("REMBOURSEMENT_JOURS_GRACE", "15"))
REMBOURSEMENT_JOURS_RAPPEL = int(os.environ.get("REMBOURSEMENT_JOURS_RAPPEL", "15"))
# The Région's SIRET as the grantor in the open data of subsidies (SCDL « subventions »).
SCDL_SIRET_ATTRIBUANT = os.environ.get("SCDL_SIRET_ATTRIBUANT", "20005374200017")

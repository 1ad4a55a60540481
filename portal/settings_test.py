"""Settings for the test suite: the real PostgreSQL and Redis, a private Celery queue."""

import os
import uuid

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
# The cache on its own Redis database: a test that empties the cache never empties the broker's queues.
os.environ.setdefault("CACHE_URL", "redis://127.0.0.1:6379/14")
# Shared with the worker subprocess started by the tests (it inherits the environment), so that a
# developer's own worker never takes the tests' tasks.
os.environ.setdefault("PORTAIL_TEST_QUEUE", f"tests-{uuid.uuid4().hex[:8]}")
# Playwright runs an event loop in the test thread; Django's ORM is used from it synchronously.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("MEDIA_ROOT", f"/tmp/portail-tests-media-{os.environ['PORTAIL_TEST_QUEUE']}")

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# Every queue (emails, documents, periodique) is the private one: the test worker consumes it.
CELERY_FILES = {file: os.environ["PORTAIL_TEST_QUEUE"] for file in CELERY_FILES}  # noqa: F405
CELERY_TASK_ROUTES = routes_celery(CELERY_FILES)  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = os.environ["PORTAIL_TEST_QUEUE"]
# Tests read the catalogue's context: pages are rendered, except in the tests of that cache.
CATALOGUE_CACHE_PAGE_ANONYME = False
# The shared cache: the Redis database of REDIS_URL, under a prefix of this run only.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.environ['PORTAIL_TEST_QUEUE']}"  # noqa: F405
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
AXES_ENABLED = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Tests check figures right after changing the data: no cached statistics (one test turns it on).
STATISTIQUES_CACHE_SECONDES = 0

"""Celery discovers `<app>.tasks`: aides keeps its tasks in each sub-domain and loads them here."""

from aides.catalogue import tasks as catalogue  # noqa: F401
from aides.conventions import tasks as conventions  # noqa: F401
from aides.demandes import tasks as demandes  # noqa: F401

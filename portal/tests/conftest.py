import base64
import json

import pytest
import redis
from django.conf import settings


class FileCelery:
    """The tests' private Celery queue, read straight from Redis: what was really published."""

    def __init__(self):
        self.client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
        self.nom = settings.CELERY_TASK_DEFAULT_QUEUE

    def taches(self) -> list[tuple[str, list]]:
        """(task name, positional args) of every message waiting, oldest first."""
        messages = [json.loads(brut) for brut in reversed(self.client.lrange(self.nom, 0, -1))]
        return [(message["headers"]["task"], json.loads(base64.b64decode(message["body"]))[0]) for message in messages]

    def vider(self) -> None:
        self.client.delete(self.nom)


@pytest.fixture
def file_celery():
    """The tests' Celery queue, emptied before and after the test (no worker reads it meanwhile)."""
    file = FileCelery()
    file.vider()
    yield file
    file.vider()
    file.client.close()

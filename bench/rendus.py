"""Pages rendered by the benchmarks through the Django test client (full middleware, templates,
PostgreSQL): a staff member's client, logged in with the second factor passed, and the p50/p95 of
N renders of one address. Imported once Django is set up (bench.base_dediee.django_demarrer)."""

import statistics
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.models import Direction, User
from portal.roles import Role
from portal.tests.second_facteur import verifier_session_de_test


def client_agent(email: str, role: Role, *, direction: str | None = None) -> Client:
    """A test client logged in as a staff member holding `role` (created once, direction by code)."""
    defauts = {"is_staff": True}
    if direction:
        defauts["direction"] = Direction.objects.get(code=direction)
    agent, _ = User.objects.get_or_create(email=email, defaults=defauts)
    agent.groups.add(Group.objects.get_or_create(name=role.value)[0])
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(agent)
    verifier_session_de_test(client, agent)  # staff pages need the second factor
    return client


def mesurer(client: Client, url: str, fois: int) -> tuple[float, float, int]:
    """Median and 95th percentile (ms) of `fois` renders after one warm-up render (templates
    compiled, and with a cache on, filled), and the number of SQL queries of one more render."""
    client.get(url)
    durees = []
    for _ in range(fois):
        debut = time.perf_counter()
        reponse = client.get(url)
        durees.append((time.perf_counter() - debut) * 1000)
        assert reponse.status_code == 200, (url, reponse.status_code)
    with CaptureQueriesContext(connection) as requetes:
        client.get(url)
    durees.sort()
    return statistics.median(durees), durees[max(int(len(durees) * 0.95) - 1, 0)], len(requetes)

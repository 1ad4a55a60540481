"""`manage.py demo`: demo staff accounts for a developer's machine, never in production."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal.demo import MOT_DE_PASSE_DEMO
from portal.models import User
from portal.roles import ROLES_AGENTS, Role

pytestmark = pytest.mark.django_db

DOMAINE_DEMO = "@demo.hautsdefrance.fr"


def comptes_demo():
    return User.objects.filter(email__endswith=DOMAINE_DEMO)


def test_demo_data_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refusées quand DEBUG est désactivé"):
        call_command("demo", stdout=io.StringIO())

    assert not comptes_demo().exists()


def test_demo_gives_one_staff_account_per_role_and_can_run_twice(settings):
    settings.DEBUG = True

    for _ in range(2):
        sortie = io.StringIO()
        call_command("demo", stdout=sortie)

        assert "Données de démonstration prêtes" in sortie.getvalue()
        for role in ROLES_AGENTS:
            assert comptes_demo().filter(groups__name=role.value).count() == 1, role
        assert comptes_demo().count() == len(ROLES_AGENTS)

    for compte in comptes_demo():
        assert compte.est_agent
        assert compte.check_password(MOT_DE_PASSE_DEMO)
        assert "(démo)" in compte.last_name
        assert compte.direction is not None
    assert list(comptes_demo().filter(is_superuser=True)) == list(
        comptes_demo().filter(groups__name=Role.ADMINISTRATEUR.value)
    )

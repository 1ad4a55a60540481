"""`manage.py demo`: demo staff accounts for a developer's machine, never in production."""

import io

import pytest
from django.core.management import CommandError, call_command

from portal.demo import COMPTES_DEMO, MOT_DE_PASSE_DEMO
from portal.double_facteur import CLE_DEMO, SECRET_DEMO
from portal.models import User
from portal.roles import ROLES_AGENTS, Role

pytestmark = pytest.mark.django_db

DOMAINE_DEMO = "@demo.hautsdefrance.fr"


def comptes_demo():
    """Every demo account, the other apps' included (territories add chargés de mission)."""
    return User.objects.filter(email__endswith=DOMAINE_DEMO)


def comptes_par_role():
    """The portal's own demo accounts: one per staff role."""
    return User.objects.filter(email__in=[email for email, *_ in COMPTES_DEMO])


def test_demo_data_are_refused_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refusées quand DEBUG est désactivé"):
        call_command("demo", stdout=io.StringIO())

    assert not comptes_demo().exists()


def test_demo_gives_one_staff_account_per_role_and_can_run_twice(settings):
    settings.DEBUG = True

    totaux = []
    for _ in range(2):
        sortie = io.StringIO()
        call_command("demo", stdout=sortie)

        assert "Données de démonstration prêtes" in sortie.getvalue()
        for role in ROLES_AGENTS:
            assert comptes_par_role().filter(groups__name=role.value).count() == 1, role
        assert comptes_par_role().count() == len(ROLES_AGENTS)
        totaux.append(comptes_demo().count())
    assert totaux[0] == totaux[1], "a second run must not create more accounts"

    for compte in comptes_demo():
        assert compte.est_agent
        assert compte.check_password(MOT_DE_PASSE_DEMO)
        assert "(démo)" in compte.last_name
        assert compte.direction is not None
        assert compte.totpdevice_set.get(confirmed=True).key == CLE_DEMO
    assert SECRET_DEMO in sortie.getvalue() and "code_demo" in sortie.getvalue()
    assert list(comptes_demo().filter(is_superuser=True)) == list(
        comptes_par_role().filter(groups__name=Role.ADMINISTRATEUR.value)
    )


def test_the_demo_code_is_printed_with_debug_only(settings):
    from base64 import b32decode

    from django_otp.oath import totp

    settings.DEBUG = True
    sortie = io.StringIO()
    call_command("code_demo", stdout=sortie)
    assert sortie.getvalue().strip() in {f"{totp(b32decode(SECRET_DEMO), drift=d):06d}" for d in (-1, 0)}

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusé quand DEBUG est désactivé"):
        call_command("code_demo", stdout=io.StringIO())

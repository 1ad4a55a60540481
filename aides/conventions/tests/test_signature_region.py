"""The Région's signature re-asks the signatory's password AND a code of their second factor."""

import re

import pytest
from django.urls import reverse

from aides.conventions.models.convention import Etape, Signature
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_envoyee
from conftest import code_totp
from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE, AgentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def a_contresigner():
    convention = convention_envoyee()
    version = sc.version_courante(convention)
    sc.convention_signer_beneficiaire(
        convention_id=convention.pk, par=convention.demande.demandeur, version_id=version.pk, mot_de_passe=MOT_DE_PASSE
    )
    return convention, version


@pytest.fixture
def pilote(client):
    pilote = AgentFactory(roles=[Role.PILOTAGE])
    client.force_login(pilote)
    return pilote


def signer(client, convention, **donnees):
    return client.post(reverse("aides_saf:signer-region", args=[convention.pk]), donnees)


def etape(convention):
    convention.refresh_from_db()
    return convention.etape


def test_the_page_asks_for_the_password_and_the_code(client, a_contresigner, pilote):
    convention, _ = a_contresigner

    page = client.get(reverse("aides_saf:convention", args=[convention.pk])).content.decode()

    mot_de_passe = re.search(r"<input[^>]*name=\"mot_de_passe\"[^>]*>", page).group(0)
    code = re.search(r"<input[^>]*name=\"code\"[^>]*>", page).group(0)
    assert 'type="password"' in mot_de_passe and 'autocomplete="current-password"' in mot_de_passe
    assert 'autocomplete="one-time-code"' in code and 'inputmode="numeric"' in code
    assert re.search(r'<label\s+for="id_code"[^>]*>\s*Code de votre application', page)


def test_without_password_or_code_the_region_does_not_sign(client, a_contresigner, pilote):
    convention, version = a_contresigner

    reponse = signer(client, convention, version=version.pk)

    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert "Saisissez votre mot de passe pour signer." in page
    assert "Saisissez le code à 6 chiffres" in page
    assert etape(convention) == Etape.SIGNEE_BENEFICIAIRE


def test_a_wrong_password_does_not_sign(client, a_contresigner, pilote):
    convention, version = a_contresigner

    reponse = signer(client, convention, version=version.pk, mot_de_passe="pas-le-bon", code=code_totp(pilote))

    assert reponse.status_code == 400
    assert "Mot de passe incorrect : la convention n&#x27;est pas signée." in reponse.content.decode()
    assert etape(convention) == Etape.SIGNEE_BENEFICIAIRE


def test_a_wrong_code_does_not_sign_and_slows_the_next_attempt(client, a_contresigner, pilote, time_machine):
    convention, version = a_contresigner
    time_machine.move_to("2026-06-01 10:00:00+02:00", tick=False)
    bon = code_totp(pilote)
    faux = f"{(int(bon) + 1) % 1_000_000:06d}"

    reponse = signer(client, convention, version=version.pk, mot_de_passe=MOT_DE_PASSE, code=faux)
    assert reponse.status_code == 400
    assert "Code incorrect ou expiré" in reponse.content.decode()
    ralenti = signer(client, convention, version=version.pk, mot_de_passe=MOT_DE_PASSE, code=bon)
    assert ralenti.status_code == 400 and "Trop de codes erronés" in ralenti.content.decode()
    assert etape(convention) == Etape.SIGNEE_BENEFICIAIRE
    assert not convention.signatures.filter(partie=Signature.Partie.REGION).exists()


def test_password_and_code_sign_and_the_record_keeps_the_evidence(client, a_contresigner, pilote, settings):
    convention, version = a_contresigner
    settings.PROXY_COUNT = 1

    reponse = client.post(
        reverse("aides_saf:signer-region", args=[convention.pk]),
        {"version": version.pk, "mot_de_passe": MOT_DE_PASSE, "code": code_totp(pilote)},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.40",
    )

    assert reponse.status_code == 302
    assert etape(convention) == Etape.SIGNEE_REGION
    signature = convention.signatures.get(partie=Signature.Partie.REGION)
    assert signature.signataire == pilote
    assert signature.second_facteur
    assert signature.adresse_ip == "203.0.113.40"
    assert signature.sha256_version == version.document.sha256

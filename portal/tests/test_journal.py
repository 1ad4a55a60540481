"""What the servers print: no font-subsetting chatter, no traceback for an expected 403."""

import copy
import io
import logging
import logging.config
from pathlib import Path

import pytest
from django.conf import settings

from portal import settings as settings_production


@pytest.fixture
def journal_de_production():
    """The LOGGING of `portal.settings` (root at INFO, as `make run`), printed into a buffer."""
    configuration = copy.deepcopy(settings_production.LOGGING)
    configuration["root"]["level"] = "INFO"
    logging.config.dictConfig(configuration)
    tampon = io.StringIO()
    gestionnaire = logging.StreamHandler(tampon)
    gestionnaire.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(gestionnaire)
    try:
        yield tampon
    finally:
        logging.getLogger().removeHandler(gestionnaire)
        logging.config.dictConfig(settings.LOGGING)


def test_a_pdf_with_embedded_fonts_prints_nothing_at_info(journal_de_production):
    from weasyprint import HTML

    police = Path(settings.BASE_DIR) / "static" / "fonts" / "dejavu" / "DejaVuSans.ttf"
    html = (
        f'<style>@font-face {{ font-family: "T"; src: url("{police.as_uri()}"); }} body {{ font-family: "T"; }}</style>'
        "<p>Convention d'aide – Région Hauts-de-France, montant 12 500 €.</p>"
    )
    HTML(string=html).write_pdf()

    assert journal_de_production.getvalue() == ""


@pytest.mark.django_db
@pytest.mark.urls("portal.tests.urls_erreur")
def test_a_403_is_logged_on_one_line_without_traceback(client, journal_de_production):
    reponse = client.get("/interdit/")

    assert reponse.status_code == 403
    sortie = journal_de_production.getvalue()
    assert "Forbidden (Permission denied): /interdit/" in sortie
    assert "Traceback" not in sortie


@pytest.mark.django_db
@pytest.mark.urls("portal.tests.urls_erreur")
def test_a_500_keeps_its_traceback(client, journal_de_production):
    client.raise_request_exception = False

    reponse = client.get("/panne/")

    assert reponse.status_code == 500
    sortie = journal_de_production.getvalue()
    assert "Traceback" in sortie
    assert "panne simulée pour les tests" in sortie

"""The page waiting for a document, with JavaScript (the one poller, static/js/document-en-preparation.js):
the link appears by itself once the worker is done."""

import pytest

from parcours.models import SyntheseParcours
from portal.documents import document_stocker
from portal.tests.factories import document_cree

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_the_status_page_shows_the_link_when_the_pdf_becomes_ready(page, live_server, verifier_axe):
    synthese = SyntheseParcours.objects.create(profil="commune=80021", document=document_cree("parcours.synthese"))
    page.goto(f"{live_server.url}/parcours/synthese/{synthese.pk}/")
    assert page.get_by_text("Préparation de votre document en cours").is_visible()
    verifier_axe(page)

    document_stocker(synthese.document, contenu=b"%PDF-1.4 test")  # what the worker does when done

    lien = page.get_by_role("link", name="Télécharger mon parcours (PDF)")
    lien.wait_for(timeout=10000)
    assert lien.get_attribute("href") == f"/parcours/synthese/{synthese.pk}/fichier/"
    assert page.get_by_role("status").inner_text().startswith("Votre document est prêt.")

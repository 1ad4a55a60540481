"""The PDF status page, with JavaScript: the link appears by itself once the worker is done."""

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from parcours.models import SyntheseParcours

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_the_status_page_shows_the_link_when_the_pdf_becomes_ready(page, live_server, verifier_axe):
    synthese = SyntheseParcours.objects.create(profil="commune=80021")
    page.goto(f"{live_server.url}/parcours/synthese/{synthese.pk}/")
    assert page.get_by_text("Préparation de votre document en cours").is_visible()
    verifier_axe(page)

    synthese.fichier.save("synthese-test.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    synthese.statut = SyntheseParcours.Statut.PRETE
    synthese.sha256 = "0" * 64
    synthese.prete_le = timezone.now()
    synthese.save()

    lien = page.get_by_role("link", name="Télécharger mon parcours (PDF)")
    lien.wait_for(timeout=10000)
    assert lien.get_attribute("href") == f"/parcours/synthese/{synthese.pk}/fichier/"
    assert page.get_by_role("status").inner_text().startswith("Votre document est prêt.")

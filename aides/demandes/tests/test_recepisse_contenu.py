"""The deposit receipt lists the documents received and whom to contact (issue #13, item 20)."""

from html import unescape

import pytest

from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.recepisse import recepisse_html
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import DemandeFactory, piece_pour

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_the_receipt_lists_the_documents_received_and_a_contact():
    dispositif = DispositifFactory(
        contact_nom="Service Booster TPE", contact_email="booster@hautsdefrance.fr", contact_telephone="03 22 97 37 37"
    )
    demande = DemandeFactory(dispositif=dispositif)
    piece_pour(demande, "devis-machine.pdf", type_piece="Devis")
    piece_pour(demande, "kbis.pdf", type_piece="Extrait Kbis")
    demande, _ = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    html = unescape(recepisse_html(demande))
    assert "Pièces reçues (2)" in html
    assert "devis-machine.pdf" in html and "Extrait Kbis" in html and "kbis.pdf" in html
    assert "Service Booster TPE" in html and "booster@hautsdefrance.fr" in html


def test_without_a_contact_on_the_dispositif_the_receipt_names_its_direction():
    demande = DemandeFactory()
    demande, _ = services.demande_deposer(demande_id=demande.pk, par=demande.demandeur)
    html = unescape(recepisse_html(demande))
    assert "Aucune pièce jointe" in html
    assert demande.dispositif.direction.nom in html

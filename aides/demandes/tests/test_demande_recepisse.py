"""The deposit receipt is rendered by a real Celery worker after commit, then offered for download."""

import hashlib

import pytest
from django.urls import reverse
from pypdf import PdfReader

from aides.demandes.models.demande import Demande
from aides.demandes.tests.factories import DemandeFactory, RepresentantFactory
from conftest import attendre
from crm.tests.factories import EtablissementFactory
from territoires.tests.factories import CommuneFactory


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_deposit_enqueues_the_receipt_which_the_page_then_offers(client, celery_worker):
    representant = RepresentantFactory(etablissement=EtablissementFactory(commune=CommuneFactory()))
    demande = DemandeFactory(representant=representant)
    client.force_login(representant.utilisateur)
    client.post(
        reverse("espace:modifier", args=[demande.pk]),
        {
            "intitule": demande.intitule,
            "projet": demande.projet,
            "date_debut_projet": demande.date_debut_projet.isoformat(),
            "montant_demande": "20000",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-nature": "Machine",
            "lignes-0-montant_ht": "50000",
            "action": "deposer",
        },
    )
    demande.refresh_from_db()
    assert demande.numero_depot
    demande = attendre(
        lambda: Demande.objects.filter(pk=demande.pk, recepisse__statut="pret").select_related("recepisse").first(),
        delai=60,
    )
    page = client.get(reverse("espace:demande", args=[demande.pk])).content.decode()
    assert reverse("espace:recepisse", args=[demande.pk]) in page
    reponse = client.get(reverse("espace:recepisse", args=[demande.pk]))
    contenu = b"".join(reponse.streaming_content)
    assert reponse["Content-Disposition"] == f'attachment; filename="recepisse-{demande.numero_depot}.pdf"'
    assert hashlib.sha256(contenu).hexdigest() == demande.recepisse.sha256
    import io

    texte = PdfReader(io.BytesIO(contenu)).pages[0].extract_text()
    assert f"Récépissé de dépôt n° {demande.numero_depot}" in texte

"""Who may open what of the payment requests (issue 17): owner, lecteur, other company, staff roles, anonymous."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse

from aides.conventions.models.paiement import DemandeVersement
from aides.conventions.services import paiement as sp
from aides.conventions.tests.factories_paiement import (
    acompte_depose,
    avance_deposee,
    convention_a_payer,
    rapport_depose,
)
from aides.demandes.models.espace import Membre
from aides.demandes.tests.factories import MembreVerifieFactory, fichier_pdf, membre_de
from portal.roles import Role
from portal.tests.factories import AgentFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def dossier():
    convention, membre = convention_a_payer(
        montant=Decimal("20000"),
    )
    convention.nature = "avance-remboursable"
    convention.save(update_fields=["nature"])
    demande = acompte_depose(convention, membre, montants=("1000",))
    rapport_depose(convention, membre)
    echeance = sp.echeancier_remboursement_generer(convention_id=convention.pk, par=convention.gestionnaire, nombre=2)[
        0
    ]
    return convention, membre, demande, demande.pieces.first(), echeance


def _urls_espace(convention, demande, piece):
    c, d = convention.pk, demande.pk
    return [
        ("get", reverse("espace:versement", args=[c, d])),
        ("post", reverse("espace:versement", args=[c, d])),
        ("post", reverse("espace:versement-nouvelle", args=[c])),
        ("post", reverse("espace:versement-repondre", args=[c, d])),
        ("get", reverse("espace:versement-piece", args=[c, d, piece.pk])),
        ("post", reverse("espace:versement-piece-retirer", args=[c, d, piece.pk])),
        ("get", reverse("espace:rapport", args=[c])),
        ("post", reverse("espace:rapport", args=[c])),
        ("get", reverse("espace:rapport-preuve", args=[c])),
    ]


def _urls_saf(convention, demande, piece, echeance):
    c, d = convention.pk, demande.pk
    return [
        ("post", reverse("aides_saf:versement-accepter", args=[d])),
        ("post", reverse("aides_saf:versement-complement", args=[d])),
        ("post", reverse("aides_saf:versement-refuser", args=[d])),
        ("post", reverse("aides_saf:rapport", args=[c])),
        ("post", reverse("aides_saf:remboursements-generer", args=[c])),
        ("post", reverse("aides_saf:echeance-payee", args=[c, echeance.pk])),
        ("post", reverse("aides_saf:remboursements-importer", args=[c])),
    ]


def _lectures_saf(convention, demande, piece):
    c, d = convention.pk, demande.pk
    return [
        reverse("aides_saf:versements"),
        reverse("aides_saf:versements-export"),
        reverse("aides_saf:versement", args=[d]),
        reverse("aides_saf:versement-piece", args=[d, piece.pk]),
        reverse("aides_saf:rapport", args=[c]),
        reverse("aides_saf:rapport-preuve", args=[c]),
        reverse("aides_saf:remboursements", args=[c]),
    ]


def test_another_company_gets_404_on_every_new_url(client, dossier):
    convention, _membre, demande, piece, _echeance = dossier
    autre = MembreVerifieFactory()
    client.force_login(autre.utilisateur)
    for methode, url in _urls_espace(convention, demande, piece):
        assert getattr(client, methode)(url).status_code == 404, url


def test_the_owner_reads_every_page(client, dossier):
    convention, membre, demande, piece, _echeance = dossier
    client.force_login(membre.utilisateur)
    for methode, url in _urls_espace(convention, demande, piece):
        if methode == "get":
            assert client.get(url).status_code == 200, url


def test_a_reader_sees_but_cannot_request_a_payment(client, dossier):
    convention, membre, demande, piece, _echeance = dossier
    lecteur = membre_de(membre, role=Membre.Role.LECTEUR)
    client.force_login(lecteur.utilisateur)
    page = client.get(reverse("espace:convention", args=[convention.pk])).content.decode()
    assert 'id="versement-reserve"' in page and "Préparer la demande" not in page
    assert client.get(reverse("espace:versement", args=[convention.pk, demande.pk])).status_code == 200
    for methode, url in _urls_espace(convention, demande, piece):
        if methode == "post":
            assert client.post(url, {"tranche": 0}).status_code == 403, url
    assert DemandeVersement.objects.count() == 1


def test_anonymous_is_sent_to_the_login(client, dossier):
    convention, _membre, demande, piece, echeance = dossier
    for methode, url in _urls_espace(convention, demande, piece) + _urls_saf(convention, demande, piece, echeance):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 302 and "/connexion/" in reponse["Location"], url


def test_staff_without_the_saf_role_reads_but_cannot_act(client, dossier):
    convention, _membre, demande, piece, echeance = dossier
    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR]))
    for url in _lectures_saf(convention, demande, piece):
        assert client.get(url).status_code == 200, url
    for _methode, url in _urls_saf(convention, demande, piece, echeance):
        assert client.post(url, {"motif": "x", "texte": "x", "valide": "1"}).status_code == 403, url
    demande.refresh_from_db()
    assert demande.etat == DemandeVersement.Etat.DEPOSEE


def test_a_company_user_gets_403_on_the_saf_pages(client, dossier):
    convention, membre, demande, piece, _echeance = dossier
    client.force_login(membre.utilisateur)
    for url in _lectures_saf(convention, demande, piece):
        assert client.get(url).status_code == 403, url


def test_the_queue_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(3):
        convention, membre = convention_a_payer()
        avance_deposee(convention, membre)
    client.force_login(AgentFactory(roles=[Role.GESTIONNAIRE_SAF]))
    with django_assert_max_num_queries(12):
        reponse = client.get(reverse("aides_saf:versements"))
    assert reponse.content.decode().count("Avance") >= 3


def test_the_accounting_export_neutralises_formulas(client):
    from openpyxl import load_workbook

    convention, membre = convention_a_payer()
    entreprise = convention.etablissement.entreprise
    entreprise.denomination = '=HYPERLINK("http://x")'
    entreprise.save(update_fields=["denomination"])
    demande = avance_deposee(convention, membre)
    sp.demande_versement_accepter(demande_versement_id=demande.pk, par=convention.gestionnaire)
    client.force_login(convention.gestionnaire)
    reponse = client.get(reverse("aides_saf:versements-export"))
    feuille = load_workbook(BytesIO(reponse.content)).active
    ligne = list(feuille.iter_rows(min_row=2))[0]
    assert ligne[1].value == '=HYPERLINK("http://x")' and ligne[1].data_type == "s"  # text, never a formula
    assert ligne[6].value == 6000


def test_a_company_deposits_through_the_page_without_typing_the_amount(client):
    convention, membre = convention_a_payer()
    client.force_login(membre.utilisateur)
    reponse = client.post(reverse("espace:versement-nouvelle", args=[convention.pk]), {"tranche": 1})
    demande = DemandeVersement.objects.get()
    assert reponse["Location"] == reverse("espace:versement", args=[convention.pk, demande.pk])
    prevue = convention.demande.lignes.get(nature="Machine")
    donnees = {
        "lignes-TOTAL_FORMS": "2",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-fournisseur": "Atelier Durand",
        "lignes-0-numero_facture": "A-1",
        "lignes-0-date_facture": sp.periode_convention(convention)[0].isoformat(),
        "lignes-0-montant_ht": "1000",
        "lignes-0-montant_ttc": "1200",
        "lignes-0-ligne_depense": str(prevue.pk),
        "lignes-1-fournisseur": "Brouillon gardé",
        "fichier_1": fichier_pdf("facture.pdf"),
        "certifie": "on",
        "montant_demande": "999999",
        "deposer": "1",
    }
    reponse = client.post(reverse("espace:versement", args=[convention.pk, demande.pk]), donnees)
    assert reponse.status_code == 400  # line 2 is incomplete: listed, and kept
    page = reponse.content.decode()
    assert "Ligne 2 : indiquez n° de facture" in page and "Brouillon gardé" in page
    assert demande.lignes.count() == 2
    donnees.update({"lignes-TOTAL_FORMS": "1"})
    donnees.pop("fichier_1")
    reponse = client.post(reverse("espace:versement", args=[convention.pk, demande.pk]), donnees)
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.etat == "deposee" and demande.montant_demande == Decimal("500.00")


def test_removing_a_file_keeps_the_lines_typed_with_it(client):
    convention, membre = convention_a_payer()
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=1, par=membre.utilisateur, membre=membre)
    client.force_login(membre.utilisateur)
    url = reverse("espace:versement", args=[convention.pk, demande.pk])
    client.post(
        url,
        {"lignes-TOTAL_FORMS": "0", "lignes-INITIAL_FORMS": "0", "fichier_1": fichier_pdf("mauvaise.pdf")},
    )
    piece = demande.pieces.get()
    reponse = client.post(
        url,
        {
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-fournisseur": "Tapé avant de retirer",
            "retirer": str(piece.pk),
        },
    )
    assert reponse.status_code == 302
    assert not demande.pieces.exists()
    assert demande.lignes.get().fournisseur == "Tapé avant de retirer"


def test_staff_do_not_see_a_company_draft(client):
    convention, membre = convention_a_payer()
    demande = sp.demande_versement_creer(convention_id=convention.pk, tranche=0, par=membre.utilisateur, membre=membre)
    client.force_login(convention.gestionnaire)
    assert client.get(reverse("aides_saf:versement", args=[demande.pk])).status_code == 404
    assert "Aucune demande en attente" in client.get(reverse("aides_saf:versements")).content.decode()

"""The agenda and the minutes of a project review as PDF: the content, the status page, the real worker."""

import hashlib
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from conftest import attendre
from crm.models import DocumentRevue, PointRevue
from crm.revues import decision_ajouter, point_ajouter, revue_pdf_rendre
from crm.services_revues import revue_creer
from crm.tests.factories import EtablissementFactory
from portal.roles import Role
from territoires.tests.factories import EPCIFactory


def texte_pdf(contenu: bytes) -> str:
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte)


def _revue_avec_ordre_du_jour(pilotage, epci):
    revue = revue_creer(
        par=None,
        epcis=[epci],
        participants_internes=[pilotage],
        date=date(2027, 3, 10),
        lieu="Hôtel de Région",
        participants_partenaires="Marie Durand, CCI Amiens-Picardie",
    )
    boulangerie = EtablissementFactory(entreprise__denomination="Boulangerie Lefèvre").entreprise
    metallerie = EtablissementFactory(entreprise__denomination="Métallerie du Vimeu").entreprise
    un = point_ajouter(revue=revue, entreprise=boulangerie, sujet="Reprise du fonds", par=None)
    point_ajouter(revue=revue, entreprise=metallerie, sujet="Extension de l'atelier", par=None)
    PointRevue.objects.filter(pk=un.pk).update(compte_rendu="HDFID étudie un prêt d'honneur.")
    un.refresh_from_db()
    decision_ajouter(
        point=un, titre="Transmettre le dossier à HDFID", assignee=pilotage, echeance=date(2027, 3, 24), par=pilotage
    )
    return revue


@pytest.mark.django_db
def test_the_minutes_pdf_holds_the_companies_the_minutes_and_the_decisions(creer_agent):
    pilotage = creer_agent(Role.PILOTAGE, first_name="Nathalie", last_name="Moreau")
    revue = _revue_avec_ordre_du_jour(pilotage, EPCIFactory(nom="Communauté de test du Vimeu"))
    texte = texte_pdf(revue_pdf_rendre(revue, DocumentRevue.Type.COMPTE_RENDU))
    for attendu in [
        "Compte rendu",
        "Revue de projets du 10/03/2027",
        "Communauté de test du Vimeu",
        "Marie Durand, CCI Amiens-Picardie",
        "Nathalie Moreau",
        "Boulangerie Lefèvre",
        "Métallerie du Vimeu",
        "HDFID étudie un prêt d'honneur.",
        "Transmettre le dossier à HDFID",
        "24/03/2027",
        "28/04/2027",
    ]:
        assert attendu in texte, f"« {attendu} » absent du PDF : {texte[:800]}"
    agenda = texte_pdf(revue_pdf_rendre(revue, DocumentRevue.Type.ORDRE_DU_JOUR))
    assert "Ordre du jour" in agenda and "Métallerie du Vimeu" in agenda and "Extension de l'atelier" in agenda
    assert "HDFID étudie" not in agenda


@pytest.mark.django_db
def test_asking_for_a_pdf_leads_to_a_status_page_that_refreshes(client, creer_agent, utilisateur_entreprise):
    pilotage = creer_agent(Role.PILOTAGE)
    revue = _revue_avec_ordre_du_jour(pilotage, EPCIFactory())
    client.force_login(creer_agent(Role.INSTRUCTEUR))
    reponse = client.post(f"/agents/crm/revues/{revue.pk}/documents/ordre_du_jour/")
    document = DocumentRevue.objects.get()
    assert reponse["Location"] == f"/agents/crm/revues/documents/{document.pk}/"
    page = client.get(reponse["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and 'aria-live="polite"' in page
    assert client.get(f"/documents/{document.document_id}/etat/").json()["statut"] == "en_attente"
    assert client.get(f"/agents/crm/revues/documents/{document.pk}/fichier/").status_code == 404
    assert client.post(f"/agents/crm/revues/{revue.pk}/documents/inconnu/").status_code == 404
    assert client.post(f"/agents/crm/revues/{revue.pk}/documents/ordre_du_jour/")["Location"] == reponse["Location"]
    assert DocumentRevue.objects.count() == 1  # a double click prepares one PDF
    client.force_login(utilisateur_entreprise)
    assert client.get(f"/agents/crm/revues/documents/{document.pk}/").status_code == 403
    assert client.get(f"/documents/{document.document_id}/etat/").status_code == 404
    client.logout()
    assert client.get(f"/agents/crm/revues/documents/{document.pk}/fichier/")["Location"].startswith("/connexion/")


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_the_minutes_and_the_review_page_offers_them(client, creer_agent, celery_worker):
    from territoires.chargement import territoires_charger

    territoires_charger()  # the establishments' commune (transactional tests start with empty tables)
    pilotage = creer_agent(Role.PILOTAGE)
    revue = _revue_avec_ordre_du_jour(pilotage, EPCIFactory())
    client.force_login(pilotage)
    reponse = client.post(f"/agents/crm/revues/{revue.pk}/documents/compte_rendu/")
    document = DocumentRevue.objects.get()
    etat = f"/documents/{document.document_id}/etat/"
    attendre(lambda: client.get(etat).json()["statut"] == "pret", delai=60)
    document.refresh_from_db()
    page = client.get(reponse["Location"]).content.decode()
    assert "Le document est prêt" in page and "refresh" not in page
    fichier = client.get(f"/agents/crm/revues/documents/{document.pk}/fichier/")
    assert fichier["Content-Disposition"].startswith('attachment; filename="revue-de-projets-2027-03-10-compte-rendu')
    contenu = b"".join(fichier.streaming_content)
    assert hashlib.sha256(contenu).hexdigest() == document.document.sha256
    assert "HDFID étudie un prêt d'honneur." in texte_pdf(contenu)
    assert (
        f"/agents/crm/revues/documents/{document.pk}/fichier/"
        in client.get(f"/agents/crm/revues/{revue.pk}/").content.decode()
    )

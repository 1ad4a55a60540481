import io
import os
import re

import pytest
from pypdf import PdfReader

from aides.catalogue.referentiels import Thematique
from aides.catalogue.tests.factories import DispositifFactory
from conftest import attendre
from parcours.models import SyntheseParcours
from parcours.pdf import parcours_pdf_rendre
from parcours.selectors import proposition_calculer
from parcours.services import profil_depuis_querystring
from parcours.tests.factories import EtapeParcoursFactory, ParcoursTypeFactory
from portal.models import Direction, Document, Travail
from portal.roles import Role
from portal.tests.factories import document_cree
from territoires.models import Commune
from territoires.tests.factories import AffectationFactory


def texte_pdf(contenu: bytes) -> str:
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte)


def test_the_pdf_holds_the_parcours_the_aids_their_reasons_and_the_contact(db, creer_agent):
    aide = DispositifFactory(
        nom="Prêt export de test", thematiques=[Thematique.EXPORT_ATTRACTIVITE], publics=[], stades=[], effectif_max=49
    )
    parcours = ParcoursTypeFactory(nom="Exporter pas à pas", projets=["exporter"])
    EtapeParcoursFactory(parcours=parcours, titre="Financer la prospection", dispositifs=[aide])
    amiens = Commune.objects.avec_territoire().get(code_insee="80021")
    agent = creer_agent(
        Role.CHARGE_DE_MISSION, first_name="Inès", last_name="Carpentier", direction=Direction.objects.get(code="DAEN")
    )
    AffectationFactory(agent=agent, epci=amiens.epci, direction=agent.direction)
    profil = profil_depuis_querystring("effectif=12&commune=80021&projets=exporter")
    texte = texte_pdf(parcours_pdf_rendre(proposition_calculer(profil=profil, commune=amiens)))
    for attendu in [
        "Mon parcours",
        "Exporter pas à pas",
        "Financer la prospection",
        "Prêt export de test",
        "Réservée aux entreprises de moins de 50 salariés : vous en avez 12",
        "Inès Carpentier",
        "Amiens (80021)",
    ]:
        assert attendu in texte, f"« {attendu} » absent du PDF : {texte[:600]}"


def test_asking_for_the_pdf_redirects_to_a_status_page_that_refreshes(client, db):
    reponse = client.post("/parcours/synthese/", {"profil": "commune=80021&projets=exporter"})
    synthese = SyntheseParcours.objects.get()
    assert reponse["Location"] == f"/parcours/synthese/{synthese.pk}/"
    assert synthese.profil == "commune=80021&projets=exporter"
    page = client.get(reponse["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and 'aria-live="polite"' in page
    assert client.get(f"/documents/{synthese.document_id}/etat/").json()["statut"] == "en_attente"
    assert client.get(f"/parcours/synthese/{synthese.pk}/fichier/").status_code == 404


def test_asking_for_the_pdf_without_answers_goes_back_to_the_questions(client, db):
    assert client.post("/parcours/synthese/", {"profil": "projets=exporter"})["Location"] == "/parcours/"
    assert not SyntheseParcours.objects.exists()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_renders_the_pdf_and_the_page_offers_it(client, celery_worker):
    from territoires.chargement import territoires_charger

    territoires_charger()
    DispositifFactory(nom="Aide numérique de test", thematiques=[Thematique.NUMERIQUE], publics=[], stades=[])
    reponse = client.post("/parcours/synthese/", {"profil": "commune=80021&projets=numeriser"})
    synthese = SyntheseParcours.objects.get()
    attendre(lambda: client.get(f"/documents/{synthese.document_id}/etat/").json()["statut"] == "pret", delai=60)
    synthese.refresh_from_db()
    page = client.get(reponse["Location"]).content.decode()
    assert "Votre document est prêt" in page and "refresh" not in page
    fichier = client.get(f"/parcours/synthese/{synthese.pk}/fichier/")
    assert fichier["Content-Disposition"].startswith("attachment")
    contenu = b"".join(fichier.streaming_content)
    import hashlib

    assert hashlib.sha256(contenu).hexdigest() == synthese.document.sha256
    assert "Aide numérique de test" in texte_pdf(contenu)


def test_old_summaries_are_purged_with_their_files(db, settings, tmp_path, django_capture_on_commit_callbacks):
    import datetime

    from django.core.management import call_command
    from django.utils import timezone

    settings.MEDIA_ROOT = tmp_path
    vieille = SyntheseParcours.objects.create(
        profil="commune=80021",
        cree_le=timezone.now() - datetime.timedelta(days=8),
        document=document_cree("parcours.synthese", contenu=b"%PDF-"),
    )
    chemin = vieille.document.fichier.path
    recente = SyntheseParcours.objects.create(profil="commune=80021", document=document_cree("parcours.synthese"))
    sortie = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files leave the storage once deletion commits
        call_command("purger_syntheses_parcours", stdout=sortie)
    assert "1 synthèse(s)" in sortie.getvalue()
    assert list(SyntheseParcours.objects.all()) == [recente]
    assert list(Document.objects.all()) == [recente.document]
    assert not os.path.exists(chemin)


def test_a_double_click_on_the_pdf_button_prepares_one_summary(client, db):
    premiere = client.post("/parcours/synthese/", {"profil": "commune=80021&projets=exporter"})
    seconde = client.post("/parcours/synthese/", {"profil": "commune=80021&projets=exporter"})
    assert premiere["Location"] == seconde["Location"]
    assert SyntheseParcours.objects.count() == 1 and Document.objects.count() == 1
    assert Travail.objects.filter(tache="portal.documents.document_generer").count() == 1

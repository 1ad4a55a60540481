"""Decision letters: rendered from the dispositif's template or the default one, stored as versions,
announced to the company and downloadable by it (only it) and by staff."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aides.catalogue.models.dispositif import valider_modele_lettre
from aides.demandes.lettres import GENRE_LETTRE, lettre_html, lettre_regenerer
from aides.demandes.models.demande import Statut
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import RepresentantFactory, demande_en_instruction
from portal.documents import document_generer
from portal.models import Document, Notification, Travail
from portal.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def stockage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def instructeur(creer_agent):
    return creer_agent(Role.INSTRUCTEUR)


def decider(demande, par, decision=Statut.ACCORDEE, **champs):
    valeurs = {
        "motif": "Projet créateur d'emplois.",
        "montant_accorde": Decimal("15000") if decision == Statut.ACCORDEE else None,
        "date_commission": timezone.localdate() - timedelta(days=1),
        "numero_deliberation": "CP-2026-042",
        **champs,
    }
    return services.demande_decider(
        demande_id=demande.pk, version=demande.version, par=par, decision=decision, **valeurs
    )


def executer_travaux() -> int:
    """Run the pending letter jobs here, as the worker would (the Travail's function and arguments)."""
    faits = 0
    for travail in Travail.objects.filter(tache="portal.documents.document_generer", statut=Travail.Statut.EN_ATTENTE):
        if Document.objects.filter(pk=travail.arguments["document_id"], genre=GENRE_LETTRE).exists():
            faits += document_generer(**travail.arguments)
            travail.statut = Travail.Statut.FAIT
            travail.save(update_fields=["statut"])
    return faits


def texte_pdf(lettre) -> str:
    lettre.document.refresh_from_db()
    with lettre.document.fichier.open("rb") as f:
        return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(BytesIO(f.read())).pages)


def test_a_grant_asks_for_a_letter_rendered_from_the_default_template_and_announced(instructeur):
    demande = decider(demande_en_instruction(instructeur), instructeur)
    assert not Notification.objects.filter(gabarit="demande_lettre").exists()  # not before it is there
    assert executer_travaux() == 1
    lettre = demande.lettres.get()
    assert (lettre.numero, lettre.decision) == (1, Statut.ACCORDEE)
    texte = texte_pdf(lettre)
    assert "15 000" in texte and "CP-2026-042" in texte and demande.dispositif.nom in texte
    assert demande.etablissement.entreprise.denomination in texte
    assert Notification.objects.filter(gabarit="demande_lettre", utilisateur=demande.demandeur).count() == 1


def test_a_refusal_uses_the_dispositif_template_with_its_placeholders(instructeur):
    demande = demande_en_instruction(instructeur)
    demande.dispositif.lettre_refus_modele = "Refus pour **{entreprise}** : {motif}. Dispositif {dispositif}."
    demande.dispositif.save()
    demande = decider(demande, instructeur, decision=Statut.REFUSEE, motif="Dépenses inéligibles")
    executer_travaux()
    texte = texte_pdf(demande.lettres.get())
    assert f"Refus pour {demande.etablissement.entreprise.denomination} : Dépenses inéligibles." in texte


def test_values_and_templates_cannot_inject_markup(instructeur):
    demande = demande_en_instruction(instructeur)
    demande.dispositif.lettre_accord_modele = "<script>alert(1)</script> Bonjour {entreprise} {inconnu}"
    demande.dispositif.save()
    entreprise = demande.etablissement.entreprise
    entreprise.denomination = "<img src=x onerror=alert(1)>"
    entreprise.save()
    demande = decider(demande, instructeur)
    html = lettre_html(demande)
    assert "<script>" not in html and "<img" not in html and "{inconnu}" in html


def test_an_unknown_placeholder_is_refused_when_staff_save_the_template():
    valider_modele_lettre("Bonjour {entreprise}, {montant} le {date_decision}")
    with pytest.raises(ValidationError, match=r"\{montnat\}"):
        valider_modele_lettre("Bonjour {montnat}")


def test_regeneration_adds_a_version_and_keeps_the_first_and_a_retried_job_stores_once(instructeur):
    demande = decider(demande_en_instruction(instructeur), instructeur)
    premiere = demande.lettres.get()
    executer_travaux()
    assert document_generer(document_id=str(premiere.document_id)) is False  # the same job delivered twice
    lettre_regenerer(demande_id=demande.pk)
    executer_travaux()
    assert list(demande.lettres.values_list("numero", flat=True)) == [2, 1]
    assert all(
        lettre.document.pret and lettre.document.fichier.storage.exists(lettre.document.fichier.name)
        for lettre in demande.lettres.select_related("document")
    )
    assert Notification.objects.filter(gabarit="demande_lettre").count() == 2


def test_a_double_click_on_regenerate_asks_for_one_letter(instructeur):
    demande = decider(demande_en_instruction(instructeur), instructeur)
    executer_travaux()
    assert lettre_regenerer(demande_id=demande.pk) == lettre_regenerer(demande_id=demande.pk)
    assert demande.lettres.count() == 2
    assert Document.objects.filter(genre=GENRE_LETTRE, statut=Document.Statut.EN_ATTENTE).count() == 1


def test_no_letter_for_a_file_without_grant_or_refusal(instructeur):
    demande = demande_en_instruction(instructeur)
    with pytest.raises(ValidationError):
        lettre_regenerer(demande_id=demande.pk)
    services.demande_decider(
        demande_id=demande.pk, version=demande.version, par=instructeur, decision=Statut.SANS_SUITE, motif="Abandon"
    )
    assert not demande.lettres.exists() and not Document.objects.filter(genre=GENRE_LETTRE).exists()


def test_the_company_sees_and_downloads_its_letter_and_another_company_cannot(client, instructeur):
    demande = decider(demande_en_instruction(instructeur), instructeur)
    client.force_login(demande.demandeur)
    page = client.get(reverse("espace:demande", args=[demande.pk])).content.decode()
    assert "est en préparation" in page
    executer_travaux()
    lettre = demande.lettres.get()
    url = reverse("espace:lettre", args=[demande.pk, lettre.pk])
    assert url in client.get(reverse("espace:demande", args=[demande.pk])).content.decode()
    reponse = client.get(url)
    assert reponse.status_code == 200 and b"".join(reponse.streaming_content).startswith(b"%PDF")
    client.force_login(RepresentantFactory().utilisateur)
    assert client.get(url).status_code == 404
    client.force_login(instructeur)
    page = client.get(reverse("aides_instruction:demande", args=[demande.pk])).content.decode()
    assert reverse("aides_instruction:lettre", args=[demande.pk, lettre.pk]) in page

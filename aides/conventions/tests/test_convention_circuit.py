"""The signature circuit: order of steps, who signs, which version, in /espace/ and /agents/saf/."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from aides.conventions.models.convention import Etape, Signature
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import (
    convention_creee,
    convention_envoyee,
    convention_notifiee,
    pdf_genere,
    signer_region,
)
from aides.demandes.tests.factories import RepresentantFactory, collegue_de, fichier_pdf
from conftest import code_totp
from portal.models import Document, Notification, Travail
from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE, AgentFactory
from portal.travaux import travail_executer

pytestmark = pytest.mark.usefixtures("media")


@pytest.mark.django_db
def test_no_step_can_be_skipped():
    convention = convention_creee()
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        sc.convention_envoyer(convention_id=convention.pk, par=convention.gestionnaire)
    with pytest.raises(ValidationError, match="ne peut pas passer"):
        sc.convention_notifier(convention_id=convention.pk, par=convention.gestionnaire)
    convention.refresh_from_db()
    assert convention.etape == Etape.A_EDITER


@pytest.mark.django_db
def test_the_full_circuit_dates_every_step_and_notifies_company_and_saf():
    convention = convention_notifiee()
    convention = sc.convention_executer(convention_id=convention.pk, par=convention.gestionnaire)
    etapes = list(convention.etapes.order_by("le", "pk"))
    assert [e.vers for e in etapes] == [
        Etape.A_EDITER,
        Etape.EDITEE,
        Etape.ENVOYEE,
        Etape.SIGNEE_BENEFICIAIRE,
        Etape.SIGNEE_REGION,
        Etape.NOTIFIEE,
        Etape.EN_EXECUTION,
    ]
    assert all(e.le for e in etapes)
    assert all(e.duree_de is not None for e in etapes[1:])
    gabarits = set(Notification.objects.values_list("gabarit", flat=True))
    assert {"convention_a_signer", "convention_signee", "convention_notifiee"} <= gabarits
    assert Notification.objects.filter(gabarit="convention_signee", utilisateur=convention.gestionnaire).count() == 2


@pytest.mark.django_db
def test_the_company_signs_with_its_password_and_the_record_keeps_ip_and_hash(client):
    convention = convention_envoyee()
    demandeur = convention.demande.demandeur
    version = sc.version_courante(convention)
    client.force_login(demandeur)
    page = client.get(reverse("espace:convention", args=[convention.pk]))
    assert page.status_code == 200 and "Je signe" in page.content.decode()
    reponse = client.post(
        reverse("espace:convention-signer", args=[convention.pk]),
        {"version": version.pk, "mot_de_passe": MOT_DE_PASSE, "je_signe": "on"},
        REMOTE_ADDR="203.0.113.7",
    )
    assert reponse.status_code == 302
    signature = Signature.objects.get(convention=convention)
    assert signature.signataire == demandeur
    assert signature.adresse_ip == "203.0.113.7"
    assert signature.sha256_version == version.document.sha256
    assert signature.mode == Signature.Mode.ELECTRONIQUE
    convention.refresh_from_db()
    assert convention.etape == Etape.SIGNEE_BENEFICIAIRE


@pytest.mark.django_db
def test_a_wrong_password_signs_nothing_and_says_so(client):
    convention = convention_envoyee()
    client.force_login(convention.demande.demandeur)
    reponse = client.post(
        reverse("espace:convention-signer", args=[convention.pk]),
        {"version": sc.version_courante(convention).pk, "mot_de_passe": "faux", "je_signe": "on"},
    )
    assert reponse.status_code == 400
    assert "Mot de passe incorrect" in reponse.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_signing_without_ticking_je_signe_is_refused(client):
    convention = convention_envoyee()
    client.force_login(convention.demande.demandeur)
    reponse = client.post(
        reverse("espace:convention-signer", args=[convention.pk]),
        {"version": sc.version_courante(convention).pk, "mot_de_passe": MOT_DE_PASSE},
    )
    assert reponse.status_code == 400
    assert "Cochez la case" in reponse.content.decode()


@pytest.mark.django_db
def test_signing_a_superseded_version_is_refused():
    convention = convention_envoyee()
    ancienne = sc.version_courante(convention)
    pdf_genere(convention)  # the SAF regenerated it meanwhile
    with pytest.raises(ValidationError, match="remplacée"):
        sc.convention_signer_beneficiaire(
            convention_id=convention.pk,
            par=convention.demande.demandeur,
            version_id=ancienne.pk,
            mot_de_passe=MOT_DE_PASSE,
        )
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_after_a_superseded_version_the_page_offers_the_new_one_to_sign(client):
    convention = convention_envoyee()
    ancienne = sc.version_courante(convention)
    nouvelle = pdf_genere(convention)
    client.force_login(convention.demande.demandeur)
    for url, donnees in [
        ("espace:convention-signer", {"version": ancienne.pk, "mot_de_passe": MOT_DE_PASSE, "je_signe": "on"}),
        ("espace:convention-scan", {"version": ancienne.pk, "scan": fichier_pdf("signee.pdf")}),
    ]:
        reponse = client.post(reverse(url, args=[convention.pk]), donnees)
        page = reponse.content.decode()
        assert reponse.status_code == 400 and "remplacée" in page
        assert f'name="version" value="{nouvelle.pk}"' in page
        assert f'name="version" value="{ancienne.pk}"' not in page
    reponse = client.post(
        reverse("espace:convention-signer", args=[convention.pk]),
        {"version": nouvelle.pk, "mot_de_passe": MOT_DE_PASSE, "je_signe": "on"},
    )
    assert reponse.status_code == 302
    assert Signature.objects.get().version == nouvelle


@pytest.mark.django_db
def test_a_pdf_rendered_after_the_company_signed_does_not_supersede_the_signed_version():
    convention = convention_envoyee()
    signee = sc.version_courante(convention)
    sc.convention_editer(convention_id=convention.pk, par=convention.gestionnaire)  # task still queued
    en_attente = sc.version_en_preparation(convention)
    sc.convention_signer_beneficiaire(
        convention_id=convention.pk, par=convention.demande.demandeur, version_id=signee.pk, mot_de_passe=MOT_DE_PASSE
    )
    assert not Document.objects.filter(pk=en_attente.document_id).exists()  # withdrawn at the signature
    travail = Travail.objects.get(
        tache="portal.documents.document_generer", arguments__document_id=str(en_attente.document_id)
    )
    assert travail_executer(travail_id=travail.pk) is True  # the late task finds nothing to render
    assert pdf_genere(convention) is None  # and none is asked for any more
    convention.refresh_from_db()
    assert sc.version_en_preparation(convention) is None
    assert sc.version_courante(convention) == signee and convention.versions.count() == 1
    signer_region(convention, AgentFactory(roles=[Role.PILOTAGE]), signee)
    convention.refresh_from_db()
    assert convention.etape == Etape.SIGNEE_REGION


@pytest.mark.django_db
def test_a_colleague_of_the_company_may_sign_but_another_company_gets_404(client):
    convention = convention_envoyee()
    representant = convention.demande.demandeur.adhesions.get()
    autre = RepresentantFactory()
    client.force_login(autre.utilisateur)
    assert client.get(reverse("espace:convention", args=[convention.pk])).status_code == 404
    assert (
        client.post(
            reverse("espace:convention-signer", args=[convention.pk]),
            {"version": 1, "mot_de_passe": MOT_DE_PASSE, "je_signe": "on"},
        ).status_code
        == 404
    )
    collegue = collegue_de(representant)
    client.force_login(collegue.utilisateur)
    assert client.get(reverse("espace:convention", args=[convention.pk])).status_code == 200


@pytest.mark.django_db
def test_an_agent_cannot_sign_for_the_company():
    convention = convention_envoyee()
    with pytest.raises(PermissionDenied):
        sc.convention_signer_beneficiaire(
            convention_id=convention.pk,
            par=convention.gestionnaire,
            version_id=sc.version_courante(convention).pk,
            mot_de_passe=MOT_DE_PASSE,
        )


@pytest.mark.django_db
def test_the_company_may_upload_its_signed_scan_as_a_pdf_only(client):
    convention = convention_envoyee()
    client.force_login(convention.demande.demandeur)
    version = sc.version_courante(convention)
    url = reverse("espace:convention-scan", args=[convention.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="application/pdf")
    assert client.post(url, {"version": version.pk, "scan": png}).status_code == 400
    reponse = client.post(url, {"version": version.pk, "scan": fichier_pdf("signee.pdf")})
    assert reponse.status_code == 302
    signature = Signature.objects.get(convention=convention)
    assert signature.mode == Signature.Mode.SCAN and signature.scan.pret and len(signature.scan.sha256) == 64
    assert signature.scan.genre == "aides.convention.scan" and signature.scan.fichier.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_the_region_signature_needs_the_permission_held_by_pilotage(client):
    convention = convention_envoyee()
    version = sc.version_courante(convention)
    sc.convention_signer_beneficiaire(
        convention_id=convention.pk, par=convention.demande.demandeur, version_id=version.pk, mot_de_passe=MOT_DE_PASSE
    )
    gestionnaire = convention.gestionnaire
    with pytest.raises(PermissionDenied):
        signer_region(convention, gestionnaire, version)
    client.force_login(gestionnaire)
    assert (
        client.post(reverse("aides_saf:signer-region", args=[convention.pk]), {"version": version.pk}).status_code
        == 403
    )
    pilote = AgentFactory(roles=[Role.PILOTAGE])
    client.force_login(pilote)
    reponse = client.post(
        reverse("aides_saf:signer-region", args=[convention.pk]),
        {"version": version.pk, "mot_de_passe": MOT_DE_PASSE, "code": code_totp(pilote)},
    )
    assert reponse.status_code == 302
    convention.refresh_from_db()
    assert convention.etape == Etape.SIGNEE_REGION
    assert convention.signatures.get(partie=Signature.Partie.REGION).signataire == pilote


@pytest.mark.django_db
def test_the_region_cannot_sign_before_the_company():
    convention = convention_envoyee()
    with pytest.raises(ValidationError, match="après le bénéficiaire"):
        signer_region(convention, AgentFactory(roles=[Role.PILOTAGE]), sc.version_courante(convention))


@pytest.mark.django_db
def test_a_lapse_needs_a_motive_and_ends_the_circuit():
    convention = convention_envoyee()
    with pytest.raises(ValidationError):
        sc.convention_clore(convention_id=convention.pk, par=convention.gestionnaire, vers=Etape.CADUQUE, motif=" ")
    sc.convention_clore(
        convention_id=convention.pk, par=convention.gestionnaire, vers=Etape.CADUQUE, motif="Non retournée."
    )
    convention.refresh_from_db()
    assert convention.etape == Etape.CADUQUE
    with pytest.raises(ValidationError):
        sc.convention_envoyer(convention_id=convention.pk, par=convention.gestionnaire)


@pytest.mark.django_db
def test_the_saf_creates_the_convention_from_the_page_and_the_pdf_is_requested(client):
    from aides.conventions.tests.factories import demande_accordee

    demande = demande_accordee(montant=Decimal("40000"))
    gestionnaire = AgentFactory(roles=[Role.GESTIONNAIRE_SAF])
    client.force_login(gestionnaire)
    reponse = client.post(reverse("aides_saf:creer", args=[demande.pk]), {"duree_mois": "24", "part_feder": "5"})
    # The dispositif is not FEDER-eligible: the message comes back next to the field, nothing created.
    assert reponse.status_code == 400 and "pas éligible au FEDER" in reponse.content.decode()
    reponse = client.post(reverse("aides_saf:creer", args=[demande.pk]), {"duree_mois": "24"})
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert sc.version_en_preparation(demande.convention).document.statut == "en_attente"
    page = client.get(reponse["Location"]).content.decode()
    assert "Génération du PDF en cours" in page


@pytest.mark.django_db
def test_the_saf_actions_are_refused_to_an_agent_without_the_role(client):
    convention = convention_creee()
    client.force_login(AgentFactory(roles=[Role.INSTRUCTEUR]))  # reads conventions, does not manage them
    assert client.get(reverse("aides_saf:convention", args=[convention.pk])).status_code == 200
    assert client.post(reverse("aides_saf:editer", args=[convention.pk])).status_code == 403
    client.force_login(convention.demande.demandeur)
    assert client.get(reverse("aides_saf:convention", args=[convention.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("aides_saf:convention", args=[convention.pk])).status_code == 302
    client.force_login(convention.gestionnaire)
    assert client.get(reverse("aides_saf:convention", args=[999999])).status_code == 404

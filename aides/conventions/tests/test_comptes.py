"""Issue 11, company accounts: attachment requests and how they become verified (invitation,
administrator, staff queue), members' roles, signing capacities, the current company."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from aides.conventions.pdf import convention_pdf_html
from aides.conventions.services import convention as sc
from aides.conventions.tests.factories import convention_envoyee
from aides.demandes.models.espace import Invitation, Membre
from aides.demandes.services import comptes as services_comptes
from aides.demandes.tests.factories import (
    DemandeFactory,
    MembreVerifieFactory,
    demandeur_non_verifie,
    fichier_pdf,
    membre_de,
)
from crm.tests.factories import EntrepriseFactory, EtablissementFactory
from portal.models import Notification, User
from portal.roles import Role
from portal.tests.factories import MOT_DE_PASSE, UserFactory
from portal.verification import fichier_verifier

pytestmark = pytest.mark.django_db


def lien(notification: Notification, chemin: str) -> str:
    return re.search(rf"https?://[^/\s]+({chemin}[^\s]+/)", notification.corps_texte).group(1)


@pytest.fixture
def titulaire():
    return MembreVerifieFactory()


@pytest.fixture
def staff(creer_agent):
    return creer_agent(Role.CHARGE_DE_MISSION)


# --- Requests and who verifies them -----------------------------------------------------------------


def test_a_request_emails_the_verified_administrators_who_accept_it(client, titulaire):
    lecteur = membre_de(titulaire, role=Membre.Role.LECTEUR)
    demandeur = UserFactory(roles=[Role.ENTREPRISE])
    membre = services_comptes.rattachement_creer(utilisateur=demandeur, etablissement=titulaire.etablissement)
    assert membre.statut == Membre.Statut.A_VERIFIER
    courriels = Notification.objects.filter(gabarit="rattachement_demande")
    assert [n.destinataire for n in courriels] == [titulaire.utilisateur.email]  # not the lecteur
    assert lecteur.utilisateur.email not in [n.destinataire for n in courriels]

    client.force_login(titulaire.utilisateur)
    page = unescape(client.get(reverse("espace:membres")).content.decode())
    assert demandeur.email in page
    reponse = client.post(reverse("espace:membre", args=[membre.pk]), {"action": "accepter", "role": "lecteur"})
    assert reponse.status_code == 302
    membre.refresh_from_db()
    assert membre.statut == Membre.Statut.VERIFIE and membre.role == Membre.Role.LECTEUR
    assert membre.voie == Membre.Voie.ADMINISTRATEUR and membre.verifie_par == titulaire.utilisateur
    decision = Notification.objects.get(gabarit="rattachement_decision", destinataire=demandeur.email)
    assert "est vérifié" in decision.corps_texte


def test_a_member_who_is_not_administrator_cannot_decide(titulaire):
    collegue = membre_de(titulaire)
    demande = demandeur_non_verifie(titulaire.etablissement)
    with pytest.raises(PermissionDenied):
        services_comptes.rattachement_decider(membre_id=demande.pk, par=collegue.utilisateur, accepter=True)
    with pytest.raises(PermissionDenied):  # nor the requester themselves
        services_comptes.rattachement_decider(membre_id=demande.pk, par=demande.utilisateur, accepter=True)
    demande.refresh_from_db()
    assert demande.statut == Membre.Statut.A_VERIFIER


def test_for_a_company_without_verified_member_only_staff_decide_and_the_first_becomes_administrator(staff):
    etablissement = EtablissementFactory()
    premier = demandeur_non_verifie(etablissement)
    second = demandeur_non_verifie(etablissement)
    with pytest.raises(PermissionDenied):
        services_comptes.rattachement_decider(membre_id=second.pk, par=premier.utilisateur, accepter=True)
    services_comptes.rattachement_decider(membre_id=premier.pk, par=staff, accepter=True)
    premier.refresh_from_db()
    assert premier.est_administrateur and premier.voie == Membre.Voie.AGENTS
    services_comptes.rattachement_decider(membre_id=second.pk, par=staff, accepter=True)
    second.refresh_from_db()
    assert second.est_verifie and second.role == Membre.Role.MEMBRE


def test_staff_queue_shows_evidence_and_sirene_side_by_side_and_a_refusal_is_motivated(client, staff, titulaire):
    demandeur = UserFactory(roles=[Role.ENTREPRISE], email="intrus@exemple.fr")
    membre = services_comptes.rattachement_creer(
        utilisateur=demandeur,
        etablissement=titulaire.etablissement,
        justificatif=fichier_verifier(fichier_pdf("kbis.pdf")),
    )
    client.force_login(staff)
    liste = unescape(client.get(reverse("aides_agents:rattachements")).content.decode())
    assert "intrus@exemple.fr" in liste and titulaire.entreprise.denomination in liste
    page = unescape(client.get(reverse("aides_agents:rattachement", args=[membre.pk])).content.decode())
    assert "kbis.pdf" in page and titulaire.entreprise.siren in page and "données SIRENE" in page
    assert client.get(reverse("aides_agents:rattachement-justificatif", args=[membre.pk])).status_code == 200
    reponse = client.post(reverse("aides_agents:rattachement", args=[membre.pk]), {"action": "refuser", "motif": ""})
    assert reponse.status_code == 400 and "Motivez le refus" in unescape(reponse.content.decode())
    reponse = client.post(
        reverse("aides_agents:rattachement", args=[membre.pk]),
        {"action": "refuser", "motif": "Aucun lien avec l'entreprise."},
    )
    assert reponse.status_code == 302
    membre.refresh_from_db()
    assert membre.statut == Membre.Statut.REFUSE
    courriel = Notification.objects.get(gabarit="rattachement_decision", destinataire="intrus@exemple.fr")
    assert "Rattachement refusé" in courriel.sujet and "Aucun lien avec l'entreprise." in courriel.corps_texte


@pytest.mark.parametrize("role", [Role.INSTRUCTEUR, Role.GESTIONNAIRE_SAF, None])
def test_the_staff_queue_needs_a_crm_role(client, creer_agent, titulaire, role):
    membre = demandeur_non_verifie(titulaire.etablissement)
    if role is None:
        client.force_login(titulaire.utilisateur)
    else:
        client.force_login(creer_agent(role))
    assert client.get(reverse("aides_agents:rattachements")).status_code == 403
    assert (
        client.post(reverse("aides_agents:rattachement", args=[membre.pk]), {"action": "accepter"}).status_code == 403
    )
    membre.refresh_from_db()
    assert membre.statut == Membre.Statut.A_VERIFIER


def test_anonymous_visitors_go_to_the_login_page_for_the_staff_queue(client):
    assert client.get(reverse("aides_agents:rattachements")).status_code == 302


def test_the_staff_queue_lists_in_bounded_queries(client, staff):
    for _ in range(6):
        demandeur_non_verifie(EtablissementFactory())
    client.force_login(staff)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(reverse("aides_agents:rattachements"))
    assert reponse.status_code == 200 and len(reponse.context["page"].object_list) == 6
    assert len(requetes) <= 10


# --- Invitations ------------------------------------------------------------------------------------


def test_an_invited_person_without_account_creates_it_through_the_link_once(client, titulaire):
    client.force_login(titulaire.utilisateur)
    client.post(reverse("espace:inviter"), {"email": "Collegue@Atelier.fr", "role": "membre"})
    courriel = Notification.objects.get(gabarit="invitation_compte")
    assert courriel.destinataire == "collegue@atelier.fr"
    url = lien(courriel, "/espace/invitation/")
    client.logout()
    page = client.get(url)
    assert page.status_code == 200 and titulaire.entreprise.denomination in unescape(page.content.decode())
    reponse = client.post(
        url,
        {
            "prenom": "Léa",
            "nom": "Martin",
            "mot_de_passe": "un-mot-de-passe-solide-2026",
            "mot_de_passe_confirmation": "un-mot-de-passe-solide-2026",
        },
    )
    assert reponse.status_code == 302 and reponse.url == reverse("espace:accueil")
    nouveau = Membre.objects.get(utilisateur__email="collegue@atelier.fr")
    assert nouveau.est_verifie and nouveau.voie == Membre.Voie.INVITATION and nouveau.email_verifie
    assert client.get(reverse("espace:accueil")).status_code == 200  # logged in, no email step
    client.logout()
    deuxieme = client.get(url)
    assert deuxieme.status_code == 400 and "déjà été utilisée" in unescape(deuxieme.content.decode())


def test_an_expired_invitation_is_refused(titulaire):
    invitation, jeton = services_comptes.invitation_creer(
        entreprise_id=titulaire.entreprise_id, par=titulaire.utilisateur, email="x@exemple.fr"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expire_le=timezone.now() - timedelta(minutes=1))
    with pytest.raises(ValidationError, match="expiré"):
        services_comptes.invitation_accepter(jeton=jeton, prenom="X", nom="Y", mot_de_passe="un-mot-de-passe-2026!")
    assert not User.objects.filter(email="x@exemple.fr").exists()


def test_an_existing_account_accepts_only_with_the_invited_address(client, titulaire):
    autre_societe = MembreVerifieFactory(utilisateur__email="comptable@cabinet.fr")
    intrus = MembreVerifieFactory()
    _, jeton = services_comptes.invitation_creer(
        entreprise_id=titulaire.entreprise_id, par=titulaire.utilisateur, email="comptable@cabinet.fr"
    )
    url = reverse("espace:invitation", args=[jeton])
    client.force_login(intrus.utilisateur)
    assert client.post(url).status_code == 403
    client.logout()
    assert client.get(url).url.startswith(reverse("connexion"))
    client.force_login(autre_societe.utilisateur)
    assert client.post(url).status_code == 302
    assert Membre.objects.verifies().filter(utilisateur=autre_societe.utilisateur).count() == 2


# --- Members: roles, removal, capacity --------------------------------------------------------------


def test_the_last_administrator_cannot_be_removed_or_demoted(titulaire):
    with pytest.raises(ValidationError, match="seul administrateur"):
        services_comptes.membre_retirer(membre_id=titulaire.pk, par=titulaire.utilisateur)
    with pytest.raises(ValidationError, match="seul administrateur"):
        services_comptes.membre_role_changer(membre_id=titulaire.pk, par=titulaire.utilisateur, role="lecteur")
    collegue = membre_de(titulaire)
    services_comptes.membre_role_changer(membre_id=collegue.pk, par=titulaire.utilisateur, role="administrateur")
    services_comptes.membre_retirer(membre_id=titulaire.pk, par=collegue.utilisateur)
    titulaire.refresh_from_db()
    assert titulaire.statut == Membre.Statut.RETIRE


def test_a_removed_member_loses_the_space_at_the_next_request(client, titulaire):
    collegue = membre_de(titulaire)
    client.force_login(collegue.utilisateur)
    demande = DemandeFactory(representant=titulaire)
    assert client.get(reverse("espace:demande", args=[demande.pk])).status_code == 200
    services_comptes.membre_retirer(membre_id=collegue.pk, par=titulaire.utilisateur)
    assert client.get(reverse("espace:demande", args=[demande.pk])).status_code == 404
    assert client.get(reverse("espace:accueil")).status_code == 403


def test_a_delegation_needs_its_document_dates_and_grantor(client, titulaire):
    comptable = membre_de(titulaire)
    client.force_login(titulaire.utilisateur)
    url = reverse("espace:membre", args=[comptable.pk])
    reponse = client.post(url, {"action": "capacite", "capacite": "delegataire"})
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 400
    for message in ("Indiquez qui donne la délégation", "date de début", "date de fin", "acte de délégation"):
        assert message in html
    debut = timezone.localdate() - timedelta(days=10)
    fin = timezone.localdate() + timedelta(days=100)
    reponse = client.post(
        url,
        {
            "action": "capacite",
            "capacite": "delegataire",
            "delegation_de": "Claire Picard, gérante",
            "delegation_debut": debut.isoformat(),
            "delegation_fin": fin.isoformat(),
            "document": fichier_pdf("delegation.pdf"),
        },
    )
    assert reponse.status_code == 302
    comptable.refresh_from_db()
    assert comptable.capacite_valide() and comptable.capacite_donnee_par == titulaire.utilisateur
    assert comptable.qualite == f"par délégation de Claire Picard, gérante du {debut:%d/%m/%Y}"
    assert client.get(reverse("espace:membre-fichier", args=[comptable.pk, "delegation"])).status_code == 200


def test_the_signature_and_the_pdf_state_the_signing_capacity(titulaire):
    debut = timezone.localdate() - timedelta(days=3)
    delegataire = MembreVerifieFactory(
        etablissement=titulaire.etablissement,
        role=Membre.Role.MEMBRE,
        capacite=Membre.Capacite.DELEGATAIRE,
        delegation_de="Claire Picard, gérante",
        delegation_debut=debut,
        delegation_fin=debut + timedelta(days=30),
    )
    convention = convention_envoyee(demande={"representant": titulaire})
    signature = sc.convention_signer_beneficiaire(
        convention_id=convention.pk,
        par=delegataire.utilisateur,
        version_id=sc.version_courante(convention).pk,
        mot_de_passe=MOT_DE_PASSE,
    )
    attendu = f"par délégation de Claire Picard, gérante du {debut:%d/%m/%Y}"
    assert signature.qualite == attendu
    assert attendu in unescape(convention_pdf_html(convention))
    legal = convention_envoyee(demande={"representant": titulaire})
    signature = sc.convention_signer_beneficiaire(
        convention_id=legal.pk,
        par=titulaire.utilisateur,
        version_id=sc.version_courante(legal).pk,
        mot_de_passe=MOT_DE_PASSE,
    )
    assert signature.qualite == "représentant légal"
    assert ", représentant légal, le" in unescape(convention_pdf_html(legal))


def test_a_delegation_not_started_yet_does_not_sign(titulaire):
    futur = MembreVerifieFactory(
        etablissement=titulaire.etablissement,
        capacite=Membre.Capacite.DELEGATAIRE,
        delegation_de="Claire Picard",
        delegation_debut=timezone.localdate() + timedelta(days=1),
        delegation_fin=timezone.localdate() + timedelta(days=30),
    )
    convention = convention_envoyee(demande={"representant": titulaire})
    with pytest.raises(PermissionDenied, match="ne couvre pas"):
        sc.convention_signer_beneficiaire(
            convention_id=convention.pk,
            par=futur.utilisateur,
            version_id=sc.version_courante(convention).pk,
            mot_de_passe=MOT_DE_PASSE,
        )


def test_the_database_refuses_an_incomplete_delegation(titulaire):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        Membre.objects.filter(pk=titulaire.pk).update(capacite=Membre.Capacite.DELEGATAIRE)


# --- The current company ----------------------------------------------------------------------------


def test_a_person_switches_company_and_the_header_always_names_it(client, titulaire):
    comptable = MembreVerifieFactory(role=Membre.Role.MEMBRE)
    seconde = MembreVerifieFactory(utilisateur=comptable.utilisateur, etablissement=titulaire.etablissement)
    demande_a = DemandeFactory(representant=titulaire)
    client.force_login(comptable.utilisateur)
    html = unescape(client.get(reverse("espace:accueil")).content.decode())
    assert f"Vous agissez pour <strong>{comptable.entreprise.denomination}</strong>" in html
    assert client.get(reverse("espace:demande", args=[demande_a.pk])).status_code == 404
    reponse = client.post(reverse("espace:entreprise-changer"), {"entreprise": seconde.entreprise_id})
    assert reponse.status_code == 302
    html = unescape(client.get(reverse("espace:accueil")).content.decode())
    assert f"Vous agissez pour <strong>{titulaire.entreprise.denomination}</strong>" in html
    assert client.get(reverse("espace:demande", args=[demande_a.pk])).status_code == 200


def test_the_switch_sends_back_the_id_the_page_wrote_even_past_a_thousand_companies(client):
    """The option's value is read back as a number: never « 12 345 » (French digit grouping)."""
    grande = EntrepriseFactory(pk=12345, denomination="Entreprise numéro 12345")
    comptable = MembreVerifieFactory(role=Membre.Role.MEMBRE)
    MembreVerifieFactory(utilisateur=comptable.utilisateur, etablissement=EtablissementFactory(entreprise=grande))
    client.force_login(comptable.utilisateur)
    html = client.get(reverse("espace:accueil")).content.decode()
    valeur = re.search(r'<option value="([^"]*)"[^>]*>Entreprise numéro 12345', html).group(1)
    assert valeur == "12345"
    assert client.post(reverse("espace:entreprise-changer"), {"entreprise": valeur}).status_code == 302
    html = unescape(client.get(reverse("espace:accueil")).content.decode())
    assert "Vous agissez pour <strong>Entreprise numéro 12345</strong>" in html


def test_a_company_one_is_not_attached_to_cannot_be_chosen(client, titulaire):
    autre = MembreVerifieFactory()
    client.force_login(autre.utilisateur)
    assert client.post(reverse("espace:entreprise-changer"), {"entreprise": titulaire.entreprise_id}).status_code == 404
    assert client.post(reverse("espace:entreprise-changer"), {"entreprise": "x"}).status_code == 404


def test_a_session_pointing_to_a_company_one_left_falls_back_to_a_current_attachment(client, titulaire):
    comptable = MembreVerifieFactory(role=Membre.Role.MEMBRE)
    seconde = MembreVerifieFactory(
        utilisateur=comptable.utilisateur, etablissement=titulaire.etablissement, role=Membre.Role.MEMBRE
    )
    client.force_login(comptable.utilisateur)
    client.post(reverse("espace:entreprise-changer"), {"entreprise": seconde.entreprise_id})
    services_comptes.membre_retirer(membre_id=seconde.pk, par=titulaire.utilisateur)
    reponse = client.get(reverse("espace:accueil"))
    assert reponse.context["membre"].entreprise_id == comptable.entreprise_id


def test_an_existing_user_asks_to_act_for_another_company(client, titulaire):
    autre = MembreVerifieFactory()
    client.force_login(autre.utilisateur)
    reponse = client.post(
        reverse("espace:rattacher"),
        {"siret": titulaire.etablissement.siret, "justificatif": fichier_pdf("mandat.pdf"), "message": "Cabinet"},
    )
    assert reponse.status_code == 302
    demande = Membre.objects.get(utilisateur=autre.utilisateur, entreprise=titulaire.entreprise)
    assert demande.statut == Membre.Statut.A_VERIFIER and demande.justificatif_nom == "mandat.pdf"
    html = unescape(client.get(reverse("espace:accueil")).content.decode())
    assert "Rattachement non vérifié" in html
    assert Notification.objects.filter(gabarit="rattachement_demande", destinataire=titulaire.utilisateur.email)


# --- The migration from one account per company -------------------------------------------------------


def test_the_migration_keeps_the_first_account_and_sets_the_others_back_to_verify():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("aides.migrations.0008_i11a_membres")
    avant = {"statut": "a_verifier", "verifie_le": None, "role": "membre", "capacite": "", "voie": ""}
    etablissement = EtablissementFactory()
    premier = MembreVerifieFactory(etablissement=etablissement, **avant)
    second = MembreVerifieFactory(etablissement=etablissement, **avant)
    Membre.objects.filter(pk=premier.pk).update(cree_le=timezone.now() - timedelta(days=2))
    cree_a_l_inscription = MembreVerifieFactory(**avant)
    demo = MembreVerifieFactory(demo=True, **avant)
    demo_second = MembreVerifieFactory(etablissement=demo.etablissement, demo=True, **avant)
    # The historical field `a_verifier` (company created at sign-up, not yet checked by staff).
    Membre.a_verifier = property(lambda self: self.pk == cree_a_l_inscription.pk)
    try:
        migration.membres_depuis_representants(apps, None)
    finally:
        del Membre.a_verifier
    for membre in (premier, second, cree_a_l_inscription, demo, demo_second):
        membre.refresh_from_db()
    assert premier.est_administrateur and premier.voie == Membre.Voie.MIGRATION and premier.capacite == ""
    assert second.statut == Membre.Statut.A_VERIFIER and second.role == Membre.Role.MEMBRE
    assert cree_a_l_inscription.statut == Membre.Statut.A_VERIFIER
    assert demo.est_administrateur and demo_second.est_administrateur
    assert demo.capacite == Membre.Capacite.REPRESENTANT_LEGAL


# --- Issue 13.12: the company finds its conventions, payments and contacts ------------------------------


def test_the_space_and_the_application_page_show_conventions_payments_and_contacts(client, creer_agent):
    from decimal import Decimal

    from aides.conventions.models.versement import Versement
    from territoires.models import Commune
    from territoires.tests.factories import AffectationFactory

    referent = creer_agent(Role.CHARGE_DE_MISSION, first_name="Rémi", last_name="Référent")
    titulaire = MembreVerifieFactory(etablissement__entreprise__referent=referent)
    contact = creer_agent(Role.CHARGE_DE_MISSION, first_name="Tania", last_name="Territoire")
    AffectationFactory(agent=contact, epci=Commune.objects.get(code_insee="80021").epci)
    convention = convention_envoyee(demande={"representant": titulaire})
    Versement.objects.create(
        convention=convention,
        type="avance",
        montant=Decimal("5000"),
        etat="paye",
        paye_le=timezone.now(),
        par=convention.gestionnaire,
    )
    Versement.objects.create(
        convention=convention, type="acompte", montant=Decimal("3000"), par=convention.gestionnaire
    )
    client.force_login(titulaire.utilisateur)
    accueil = unescape(client.get(reverse("espace:accueil")).content.decode())
    assert convention.numero in accueil and "5\u00a0000,00\u00a0€" in accueil and "à signer" in accueil
    assert "Rémi Référent" in accueil and "Tania Territoire" in accueil
    page = unescape(client.get(reverse("espace:demande", args=[convention.demande_id])).content.decode())
    assert reverse("espace:convention", args=[convention.pk]) in page
    assert "versements reçus 5\u00a0000,00\u00a0€" in page
    liste = unescape(client.get(reverse("espace:conventions")).content.decode())
    assert "5\u00a0000,00\u00a0€" in liste

    # Someone whose attachment is not verified sees none of it.
    inconnu = demandeur_non_verifie(titulaire.etablissement)
    client.force_login(inconnu.utilisateur)
    accueil = unescape(client.get(reverse("espace:accueil")).content.decode())
    assert convention.numero not in accueil and "Tania Territoire" not in accueil and "Rémi Référent" not in accueil


def test_the_members_page_runs_a_bounded_number_of_queries(client, titulaire, django_assert_max_num_queries):
    for role in ("membre", "lecteur", "administrateur", "membre", "membre"):
        membre_de(titulaire, role=role)
    for _ in range(3):
        demandeur_non_verifie(titulaire.etablissement)
    client.force_login(titulaire.utilisateur)
    with django_assert_max_num_queries(12):
        reponse = client.get(reverse("espace:membres"))
    assert len(reponse.context["verifies"]) == 6 and len(reponse.context["en_attente"]) == 3


def test_the_instructeur_form_explains_why_an_unverified_applicant_cannot_be_granted(client, creer_agent, titulaire):
    from aides.demandes.models.demande import Statut
    from aides.demandes.tests.factories import demande_en_instruction

    instructeur = creer_agent(Role.INSTRUCTEUR)
    demande = demande_en_instruction(instructeur, representant=demandeur_non_verifie(titulaire.etablissement))
    client.force_login(instructeur)
    reponse = client.post(
        reverse("aides_instruction:decider", args=[demande.pk]),
        {
            "version": demande.version,
            "decision": Statut.ACCORDEE,
            "motif": "Conforme.",
            "montant_accorde": "1 000",
            "date_commission": timezone.localdate().isoformat(),
            "numero_deliberation": "2026.01",
        },
    )
    assert reponse.status_code == 400
    # The service's error (not only the page's warning banner).
    assert "L'aide ne peut pas être accordée tant que son rattachement" in unescape(reponse.content.decode())
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION


@pytest.mark.parametrize(("role", "voit"), [(Role.CHARGE_DE_MISSION, True), (Role.INSTRUCTEUR, False)])
def test_the_staff_dashboard_links_the_queue_for_those_who_may_use_it(client, creer_agent, role, voit):
    client.force_login(creer_agent(role))
    page = client.get(reverse("agents:tableau")).content.decode()
    assert (reverse("aides_agents:rattachements") in page) is voit


def test_an_invitation_is_cancelled_by_its_company_administrator_only(client, titulaire):
    invitation, jeton = services_comptes.invitation_creer(
        entreprise_id=titulaire.entreprise_id, par=titulaire.utilisateur, email="x@exemple.fr"
    )
    url = reverse("espace:invitation-annuler", args=[invitation.pk])
    for intrus in (MembreVerifieFactory(), membre_de(titulaire)):
        client.force_login(intrus.utilisateur)
        assert client.post(url).status_code == 404
    client.force_login(titulaire.utilisateur)
    assert client.post(url).status_code == 302
    with pytest.raises(ValidationError, match="annulée"):
        services_comptes.invitation_lire(jeton)

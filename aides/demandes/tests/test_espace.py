"""The company space: sign-up with SIRET and email verification, drafts, deposit, answers."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.referentiels import RegimeAide
from aides.catalogue.tests.factories import DispositifFactory
from aides.demandes.models.demande import Demande, PieceJointe, Statut
from aides.demandes.models.espace import Membre
from aides.demandes.services import demande as services
from aides.demandes.tests.factories import (
    DemandeFactory,
    RepresentantFactory,
    demande_en_instruction,
    fichier_pdf,
)
from crm.models import Entreprise, Etablissement
from crm.tests.factories import EtablissementFactory, siren_valide, siret_valide
from portal.models import Document, Notification, User
from portal.roles import Role

pytestmark = pytest.mark.django_db


def inscription(**champs) -> dict:
    return {
        "prenom": "Camille",
        "nom": "Durand",
        "email": "camille@atelier.fr",
        "siret": "",
        "raison_sociale": "Atelier Durand",
        "adresse": "3 rue des Tanneurs",
        "code_postal": "80000",
        "commune": "Amiens",
        "mot_de_passe": "un-mot-de-passe-solide-2026",
        "mot_de_passe_confirmation": "un-mot-de-passe-solide-2026",
        **champs,
    }


def lien_du_courriel(email: str) -> str:
    notification = Notification.objects.get(destinataire=email, gabarit="compte_verifier")
    return re.search(r"https?://[^/\s]+(/espace/verification/[^\s]+/)", notification.corps_texte).group(1)


# --- Sign-up ----------------------------------------------------------------------------------------


def test_sign_up_with_a_known_siret_links_the_crm_establishment(client):
    etablissement = EtablissementFactory()
    reponse = client.post(reverse("espace:inscription"), inscription(siret=etablissement.siret))
    assert reponse.status_code == 302 and reponse.url == reverse("espace:inscription-envoyee")
    membre = Membre.objects.get(utilisateur__email="camille@atelier.fr")
    # An attachment request, never access: the SIRET is public.
    assert membre.etablissement == etablissement and membre.statut == Membre.Statut.A_VERIFIER
    assert membre.role == Membre.Role.MEMBRE and membre.capacite == ""
    assert membre.email_verifie_le is None
    assert membre.utilisateur.a_role(Role.ENTREPRISE)


def test_sign_up_with_an_unknown_siret_creates_the_company_marked_to_check(client):
    siret = siret_valide(siren_valide(77_000_001), 12)
    client.post(
        reverse("espace:inscription"), inscription(siret=" ".join([siret[:3], siret[3:6], siret[6:9], siret[9:]]))
    )
    etablissement = Etablissement.objects.get(siret=siret)
    assert etablissement.entreprise.siren == siret[:9] and etablissement.entreprise.denomination == "Atelier Durand"
    # Issue 13.19: the application and the convention need the address and the commune.
    assert etablissement.adresse == "3 rue des Tanneurs" and etablissement.code_postal == "80000"
    assert etablissement.commune.code_insee == "80021"
    assert Membre.objects.get().statut == Membre.Statut.A_VERIFIER


@pytest.mark.parametrize(
    ("champs", "champ", "message"),
    [
        ({"adresse": ""}, "adresse", "indiquez son adresse"),
        ({"commune": ""}, "commune", "indiquez sa commune"),
        ({"commune": "Atlantis"}, "commune", "Aucune commune « Atlantis » de code postal 80000"),
    ],
)
def test_sign_up_with_an_unknown_siret_asks_for_the_address_and_the_commune(client, champs, champ, message):
    siret = siret_valide(siren_valide(77_000_003), 12)
    reponse = client.post(reverse("espace:inscription"), inscription(siret=siret, **champs))
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200
    bloc = html[html.index(f'id="div_id_{champ}"') :].split("</div>\n</div>")[0]
    assert message in bloc
    assert not Etablissement.objects.filter(siret=siret).exists() and not User.objects.exists()


def test_sign_up_refuses_a_siret_with_a_wrong_key_and_keeps_what_was_typed(client):
    reponse = client.post(reverse("espace:inscription"), inscription(siret="73282932000075"))
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Ce SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez-le." in html
    assert 'value="camille@atelier.fr"' in html and 'value="Atelier Durand"' in html
    assert not Entreprise.objects.exists()


@pytest.mark.parametrize(
    ("champs", "message"),
    [
        ({"siret": "732 829 320"}, "Le SIRET compte exactement 14 chiffres (par exemple 732 829 320 00074)."),
        ({"siret": "SIRET-INCONNU"}, "Le SIRET compte exactement 14 chiffres (par exemple 732 829 320 00074)."),
        ({"nom": ""}, "Saisissez votre nom."),
        ({"prenom": "<script>alert(1)</script>"}, "Les balises HTML (texte entre < et >) ne sont pas acceptées ici"),
        ({"raison_sociale": "<b>Atelier</b> Durand"}, "Les balises HTML (texte entre < et >) ne sont pas acceptées"),
    ],
)
def test_sign_up_explains_bad_input_in_french_next_to_the_field_and_keeps_the_rest(client, champs, message):
    reponse = client.post(reverse("espace:inscription"), inscription(**{"siret": "73282932000074", **champs}))
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    ((champ, saisie),) = champs.items()
    bloc = html[html.index(f'id="div_id_{champ}"') :].split("</div>\n</div>")[0]
    assert message in bloc  # next to the field, not only at the top
    assert 'value="camille@atelier.fr"' in html
    if saisie:
        assert f'value="{saisie}"' in bloc
    assert not User.objects.filter(email="camille@atelier.fr").exists()


def test_the_sign_up_service_refuses_a_tag_in_a_name_under_the_form_field_name():
    with pytest.raises(ValidationError) as erreur:
        services.compte_inscrire(
            email="camille@atelier.fr",
            mot_de_passe="un-mot-de-passe-solide-2026",
            siret="73282932000074",
            nom="<i>Durand</i>",
        )
    assert list(erreur.value.message_dict) == ["nom"]
    assert not Entreprise.objects.exists()


@pytest.mark.parametrize("proprietaire", ["entreprise", "agent"])
def test_sign_up_does_not_reveal_that_an_email_has_an_account_and_tells_its_owner(client, creer_agent, proprietaire):
    """Item 7: the same page either way; the owner of the address (company or staff) is emailed."""
    etablissement = EtablissementFactory()
    reponse_libre = client.post(
        reverse("espace:inscription"), inscription(email="libre@atelier.fr", siret=etablissement.siret)
    )
    if proprietaire == "entreprise":
        existant = RepresentantFactory(utilisateur__email="camille@atelier.fr").utilisateur
    else:
        existant = creer_agent(Role.INSTRUCTEUR, email="camille@atelier.fr")
    mot_de_passe_avant = existant.password
    reponse = client.post(reverse("espace:inscription"), inscription(siret=etablissement.siret))
    assert reponse.status_code == reponse_libre.status_code == 302 and reponse.url == reponse_libre.url
    page = unescape(client.get(reponse.url).content.decode())
    assert "Un compte existe" not in page and "camille@atelier.fr" in page
    existant.refresh_from_db()
    assert existant.password == mot_de_passe_avant
    assert not Membre.objects.filter(utilisateur=existant, entreprise=etablissement.entreprise).exists()
    alerte = Notification.objects.get(destinataire="camille@atelier.fr", gabarit="compte_inscription_existante")
    assert "Aucun compte n'a été créé" in alerte.corps_texte
    assert not Notification.objects.filter(destinataire="camille@atelier.fr", gabarit="compte_verifier").exists()


def test_the_email_link_verifies_the_account_and_login_lands_in_the_space(client, mot_de_passe):
    etablissement = EtablissementFactory()
    client.post(
        reverse("espace:inscription"),
        inscription(siret=etablissement.siret, mot_de_passe=mot_de_passe, mot_de_passe_confirmation=mot_de_passe),
    )
    client.force_login(Membre.objects.get().utilisateur)
    assert client.get(reverse("espace:accueil")).url == reverse("espace:verification-attente")
    reponse = client.get(lien_du_courriel("camille@atelier.fr"))
    assert reponse.status_code == 302 and reponse.url == reverse("espace:accueil")
    assert Membre.objects.get().email_verifie
    assert client.get(reverse("accueil-apres-connexion")).url == reverse("espace:accueil")
    assert client.get(reverse("espace:accueil")).status_code == 200


def test_a_tampered_verification_link_is_refused(client):
    reponse = client.get(reverse("espace:verifier-email", args=["faux-jeton:abc"]))
    assert reponse.status_code == 400
    assert "Ce lien de confirmation n'est pas valide" in unescape(reponse.content.decode())


def test_staff_get_a_french_403_on_the_company_space(agent_client):
    dispositif = DispositifFactory()
    reponse = agent_client.get(reverse("espace:nouvelle", args=[dispositif.slug]))
    assert reponse.status_code == 403
    assert "réservé aux comptes d'entreprise" in unescape(reponse.content.decode())


# --- Applying -------------------------------------------------------------------------------------


def donnees(**champs) -> dict:
    debut = (timezone.localdate() + timedelta(days=10)).isoformat()
    return {
        "intitule": "Robot de soudure",
        "projet": "Automatiser la soudure.",
        "date_debut_projet": debut,
        "montant_demande": "10 000",
        "lignes-TOTAL_FORMS": "3",
        "lignes-INITIAL_FORMS": "0",
        "lignes-0-nature": "Robot",
        "lignes-0-montant_ht": "30 000",
        "lignes-1-nature": "Installation",
        "lignes-1-montant_ht": "5 000,00",
        "action": "enregistrer",
        **champs,
    }


def test_the_form_shows_three_empty_expense_rows_without_javascript(client_entreprise):
    reponse = client_entreprise.get(reverse("espace:nouvelle", args=[DispositifFactory().slug]))
    html = reponse.content.decode()
    assert reponse.status_code == 200
    assert 'name="lignes-2-nature"' in html and 'name="lignes-3-nature"' not in html


def test_a_draft_saves_without_completeness_and_computes_the_total(client_entreprise):
    dispositif = DispositifFactory()
    reponse = client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), donnees(intitule=""))
    demande = Demande.objects.get()
    assert reponse.url == reverse("espace:modifier", args=[demande.pk])
    assert demande.statut == Statut.BROUILLON and demande.total_depenses() == 35000
    page = client_entreprise.get(reponse.url).content.decode()
    assert "35\u00a0000,00\u00a0€" in page
    # the saved rows come back, plus three empty ones
    assert 'value="Installation"' in page and 'name="lignes-4-nature"' in page


def test_deposit_from_the_form_gives_a_number_and_a_second_click_changes_nothing(client_entreprise):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    reponse = client_entreprise.post(url, donnees(action="deposer", piece_0=fichier_pdf()))
    demande = Demande.objects.get()
    assert reponse.url == reverse("espace:demande", args=[demande.pk])
    assert demande.statut == Statut.DEPOSEE and demande.numero_depot
    encore = client_entreprise.post(
        reverse("espace:modifier", args=[demande.pk]), donnees(action="deposer", piece_0=fichier_pdf())
    )
    assert encore.url == reverse("espace:demande", args=[demande.pk])
    assert Demande.objects.count() == 1 and demande.transitions.count() == 1 and demande.pieces.count() == 1
    page = unescape(client_entreprise.get(encore.url).content.decode())
    assert f"Cette demande est déjà déposée (n° {demande.numero_depot})" in page


def jeton_du_formulaire(client, dispositif) -> str:
    """The hidden token of one display of the new-application form."""
    html = client.get(reverse("espace:nouvelle", args=[dispositif.slug])).content.decode()
    return re.search(r'<input type="hidden" name="jeton" value="([0-9a-f-]{36})"', html).group(1)


@pytest.mark.parametrize("piece", [True, False])
def test_a_double_click_on_deposer_in_the_new_form_deposits_one_application(client_entreprise, piece):
    """Without JavaScript the browser posts the new form twice: the second post, with the same form
    token, finds the application of the first one, already deposited."""
    dispositif = DispositifFactory(documents_requis=["Devis"] if piece else [])
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    jeton = jeton_du_formulaire(client_entreprise, dispositif)
    envoi = (
        (lambda: donnees(action="deposer", jeton=jeton, piece_0=fichier_pdf()))
        if piece
        else (lambda: donnees(action="deposer", jeton=jeton))
    )
    premiere, seconde = client_entreprise.post(url, envoi()), client_entreprise.post(url, envoi())
    demande = Demande.objects.get()
    assert str(demande.jeton_creation) == jeton
    assert demande.statut == Statut.DEPOSEE and demande.transitions.count() == 1
    assert Notification.objects.filter(gabarit="demande_deposee").count() == 1
    assert premiere.url == seconde.url == reverse("espace:demande", args=[demande.pk])
    assert demande.pieces.count() == (1 if piece else 0)
    page = unescape(client_entreprise.get(seconde.url).content.decode())
    assert f"Cette demande est déjà déposée (n° {demande.numero_depot})" in page


def test_a_double_click_on_enregistrer_in_the_new_form_saves_one_draft(client_entreprise):
    dispositif = DispositifFactory()
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    jeton = jeton_du_formulaire(client_entreprise, dispositif)
    premiere = client_entreprise.post(url, donnees(jeton=jeton))
    seconde = client_entreprise.post(url, donnees(jeton=jeton, intitule="Robot de soudure v2"))
    demande = Demande.objects.get()
    assert premiere.url == seconde.url == reverse("espace:modifier", args=[demande.pk])
    assert demande.statut == Statut.BROUILLON and demande.intitule == "Robot de soudure v2"


def test_two_displays_of_the_new_form_give_two_drafts(client_entreprise):
    dispositif = DispositifFactory()
    url = reverse("espace:nouvelle", args=[dispositif.slug])
    premier, second = (
        jeton_du_formulaire(client_entreprise, dispositif),
        jeton_du_formulaire(client_entreprise, dispositif),
    )
    assert premier != second
    client_entreprise.post(url, donnees(jeton=premier))
    client_entreprise.post(url, donnees(jeton=second, intitule="Deuxième projet"))
    assert sorted(Demande.objects.values_list("intitule", flat=True)) == ["Deuxième projet", "Robot de soudure"]


@pytest.mark.parametrize("jeton", [None, "", "pas-un-uuid", "12345678-1234-1234-1234-1234567890ZZ"])
def test_a_missing_or_malformed_form_token_still_creates_the_application(client_entreprise, jeton):
    dispositif = DispositifFactory()
    envoi = donnees() if jeton is None else donnees(jeton=jeton)
    reponse = client_entreprise.post(reverse("espace:nouvelle", args=[dispositif.slug]), envoi)
    demande = Demande.objects.get()
    assert reponse.status_code == 302 and reponse.url == reverse("espace:modifier", args=[demande.pk])
    assert demande.jeton_creation is None and demande.intitule == "Robot de soudure"


def test_a_form_token_of_another_company_application_is_ignored(client_entreprise, representant):
    dispositif = DispositifFactory()
    autre = DemandeFactory(dispositif=dispositif, jeton_creation="0b5bd5a8-6f3c-4a3e-9d7e-0a1b2c3d4e5f")
    client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]), donnees(jeton="0b5bd5a8-6f3c-4a3e-9d7e-0a1b2c3d4e5f")
    )
    mienne = Demande.objects.exclude(pk=autre.pk).get()
    assert mienne.demandeur == representant.utilisateur and mienne.intitule == "Robot de soudure"
    autre.refresh_from_db()
    assert autre.intitule != "Robot de soudure"


def test_a_tag_in_the_title_or_an_expense_is_refused_in_french_and_everything_typed_is_kept(client_entreprise):
    dispositif = DispositifFactory(documents_requis=["Devis"])
    reponse = client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]),
        donnees(intitule="<b>Robot</b> de soudure", **{"lignes-1-nature": "<img src=x>"}, piece_0=fichier_pdf()),
    )
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "Intitulé du projet : Les balises HTML (texte entre < et >) ne sont pas acceptées ici" in html
    assert "Dépenses du projet (hors taxes), ligne 2, Nature de la dépense : Les balises HTML" in html
    assert 'value="<b>Robot</b> de soudure"' in html and 'value="5 000,00"' in html and "devis.pdf" in html
    assert Demande.objects.get().intitule == ""  # the draft row exists (for the file), the bad title is not saved


def test_a_refused_deposit_keeps_the_draft_and_explains_the_incentive_rule(client_entreprise):
    dispositif = DispositifFactory()
    hier = timezone.localdate() - timedelta(days=1)
    reponse = client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]),
        donnees(action="deposer", date_debut_projet=hier.isoformat()),
    )
    assert reponse.status_code == 200
    html = unescape(reponse.content.decode())
    assert "La demande n'a pas été déposée" in html
    assert f"Le projet a commencé le {hier:%d/%m/%Y}, avant le dépôt de la demande" in html
    demande = Demande.objects.get()
    assert demande.statut == Statut.BROUILLON and demande.intitule == "Robot de soudure"


def test_a_de_minimis_application_records_the_declarations(client_entreprise, representant):
    dispositif = DispositifFactory(regime=RegimeAide.DE_MINIMIS)
    client_entreprise.post(
        reverse("espace:nouvelle", args=[dispositif.slug]),
        donnees(
            action="deposer",
            **{
                "deminimis-TOTAL_FORMS": "2",
                "deminimis-INITIAL_FORMS": "0",
                "deminimis-0-organisme": "Bpifrance",
                "deminimis-0-date_octroi": "15/03/2025",
                "deminimis-0-montant": "45 000",
                "declaration_de_minimis_faite": "on",
            },
        ),
    )
    demande = Demande.objects.get()
    assert demande.statut == Statut.DEPOSEE
    declaration = demande.declarations_de_minimis.get()
    assert (declaration.organisme, str(declaration.date_octroi), declaration.montant) == (
        "Bpifrance",
        "2025-03-15",
        45000,
    )
    assert declaration.entreprise == representant.entreprise


def test_a_closed_dispositif_cannot_be_applied_to(client_entreprise):
    hier = timezone.localdate() - timedelta(days=1)
    dispositif = DispositifFactory(date_ouverture=hier - timedelta(days=10), date_cloture=hier)
    reponse = client_entreprise.get(reverse("espace:nouvelle", args=[dispositif.slug]))
    assert reponse.status_code == 302 and reponse.url == reverse("aides:detail", args=[dispositif.slug])


def test_the_company_answers_a_complement_request_with_text_and_file(client_entreprise, representant, creer_agent):
    instructeur = creer_agent(Role.INSTRUCTEUR)
    demande = demande_en_instruction(instructeur, representant=representant)
    services.complement_demander(demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis ?")
    page = unescape(client_entreprise.get(reverse("espace:demande", args=[demande.pk])).content.decode())
    assert "Le Kbis ?" in page and "Envoyer ma réponse" in page
    reponse = client_entreprise.post(
        reverse("espace:repondre", args=[demande.pk]), {"texte": "Voici le Kbis.", "fichier_1": fichier_pdf("kbis.pdf")}
    )
    assert reponse.status_code == 302
    demande.refresh_from_db()
    assert demande.statut == Statut.EN_INSTRUCTION
    message = demande.messages.get(genre="reponse")
    assert message.texte == "Voici le Kbis." and message.pieces.get().nom_original == "kbis.pdf"
    assert Notification.objects.filter(gabarit="demande_reponse", destinataire=instructeur.email).exists()


def test_an_answer_with_a_bad_file_keeps_the_text(client_entreprise, representant, creer_agent):
    instructeur = creer_agent(Role.INSTRUCTEUR)
    demande = demande_en_instruction(instructeur, representant=representant)
    services.complement_demander(demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis ?")
    reponse = client_entreprise.post(
        reverse("espace:repondre", args=[demande.pk]),
        {"texte": "Voici le Kbis.", "fichier_1": fichier_pdf("kbis.pdf", contenu=b"MZ\x90\x00" * 10)},
    )
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200 and "n'est pas d'un format accepté" in html and "Voici le Kbis." in html
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLEMENT_DEMANDE


def _complement_demande(representant, creer_agent):
    instructeur = creer_agent(Role.INSTRUCTEUR)
    demande = demande_en_instruction(instructeur, representant=representant)
    services.complement_demander(
        demande_id=demande.pk, version=demande.version, par=instructeur, texte="Le Kbis et les statuts ?"
    )
    return demande


def valeur_en_attente(html: str) -> str:
    return re.search(r'<input type="hidden" name="en_attente" value="([^"]*)"', html).group(1)


def test_a_valid_file_sent_with_a_refused_one_is_kept_and_sent_with_the_corrected_answer(
    client_entreprise, representant, creer_agent, django_capture_on_commit_callbacks
):
    from django.core.files.storage import default_storage

    demande = _complement_demande(representant, creer_agent)
    url = reverse("espace:repondre", args=[demande.pk])
    reponse = client_entreprise.post(
        url,
        {
            "texte": "Voici le Kbis et les statuts.",
            "fichier_1": fichier_pdf("kbis.pdf"),
            "fichier_2": fichier_pdf("statuts.pdf", contenu=b"MZ\x90\x00" * 10),
        },
    )
    html = unescape(reponse.content.decode())
    assert reponse.status_code == 200 and "« statuts.pdf » n'est pas d'un format accepté" in html
    assert "Voici le Kbis et les statuts." in html
    assert "Documents déjà joints à cette réponse" in html and "kbis.pdf" in html
    demande.refresh_from_db()
    assert demande.statut == Statut.COMPLEMENT_DEMANDE and not demande.messages.filter(genre="reponse").exists()
    en_attente = valeur_en_attente(html)
    (attente,) = re.findall(r'name="retirer" value="([^"]+)"', html)
    nom = Document.objects.get(pk=attente, genre="aides.en_attente").fichier.name  # owned by no row yet
    assert default_storage.exists(nom)

    # The company sends the right statuts only: the Kbis goes with it without being chosen again.
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client_entreprise.post(
            url,
            {
                "texte": "Voici le Kbis et les statuts.",
                "en_attente": en_attente,
                "fichier_1": fichier_pdf("statuts.pdf"),
            },
        )
    assert reponse.status_code == 302
    message = demande.messages.get(genre="reponse")
    assert sorted(message.pieces.values_list("nom_original", flat=True)) == ["kbis.pdf", "statuts.pdf"]
    assert message.pieces.get(nom_original="kbis.pdf").document.fichier.read() == fichier_pdf().read()
    assert not Document.objects.filter(pk=attente).exists() and not default_storage.exists(nom)
    # The same form posted again (a new complement request since) attaches nothing: the file is gone.
    Demande.objects.filter(pk=demande.pk).update(statut=Statut.COMPLEMENT_DEMANDE)
    client_entreprise.post(url, {"texte": "Encore.", "en_attente": en_attente})
    assert not demande.messages.get(texte="Encore.").pieces.exists()


def test_a_waiting_file_can_be_removed_before_sending_the_answer(client_entreprise, representant, creer_agent):
    demande = _complement_demande(representant, creer_agent)
    url = reverse("espace:repondre", args=[demande.pk])
    html = unescape(
        client_entreprise.post(
            url, {"texte": "", "fichier_1": fichier_pdf("mauvais.pdf"), "fichier_2": fichier_pdf("x.pdf", contenu=b"")}
        ).content.decode()
    )
    assert "mauvais.pdf" in html
    chemin = re.search(r'name="retirer" value="([^"]+)"', html).group(1)
    reponse = client_entreprise.post(
        url, {"texte": "Le Kbis suit.", "en_attente": valeur_en_attente(html), "retirer": [chemin]}
    )
    assert reponse.status_code == 302
    assert not demande.messages.get(genre="reponse").pieces.exists()


def test_an_answer_cannot_carry_more_than_three_documents_with_the_waiting_ones(
    client_entreprise, representant, creer_agent
):
    demande = _complement_demande(representant, creer_agent)
    url = reverse("espace:repondre", args=[demande.pk])
    premiere = client_entreprise.post(
        url,
        {"fichier_1": fichier_pdf("a.pdf"), "fichier_2": fichier_pdf("b.pdf"), "fichier_3": fichier_pdf("v.pdf", b"")},
    )
    html = unescape(premiere.content.decode())
    seconde = client_entreprise.post(
        url,
        {"en_attente": valeur_en_attente(html), "fichier_1": fichier_pdf("c.pdf"), "fichier_2": fichier_pdf("d.pdf")},
    )
    html = unescape(seconde.content.decode())
    assert "Joignez au plus 3 documents à une réponse" in html
    assert not demande.messages.filter(genre="reponse").exists()


def test_a_forged_or_foreign_waiting_list_attaches_nothing(client_entreprise, representant, creer_agent):
    from aides.demandes.documents import FichierEnAttente, fichiers_en_attente_signer

    demande = _complement_demande(representant, creer_agent)
    url = reverse("espace:repondre", args=[demande.pk])
    html = unescape(
        client_entreprise.post(
            url, {"fichier_1": fichier_pdf("kbis.pdf"), "fichier_2": fichier_pdf("v.pdf", b"")}
        ).content.decode()
    )
    autre_demande = DemandeFactory(representant=representant)
    etrangere = fichiers_en_attente_signer(
        [
            FichierEnAttente(
                document="00000000-0000-0000-0000-000000000000",
                nom_original="s.pdf",
                taille=1,
                type_mime="application/pdf",
                sha256="0",
            )
        ],
        cle=f"reponse:{autre_demande.pk}:{representant.utilisateur_id}",
    )
    for valeur in ("n'importe quoi", etrangere, valeur_en_attente(html) + "x"):
        reponse = client_entreprise.post(url, {"texte": "Réponse.", "en_attente": valeur})
        assert reponse.status_code == 302
        Demande.objects.filter(pk=demande.pk).update(statut=Statut.COMPLEMENT_DEMANDE)
    assert not PieceJointe.objects.filter(message__demande=demande).exists()


def test_the_company_sees_only_the_public_history(client_entreprise, representant, creer_agent):
    instructeur = creer_agent(Role.INSTRUCTEUR)
    demande = demande_en_instruction(instructeur, representant=representant)
    services.annotation_ajouter(demande=demande, par=instructeur, texte="Note interne confidentielle")
    page = client_entreprise.get(reverse("espace:demande", args=[demande.pk])).content.decode()
    assert "Note interne confidentielle" not in page and "En instruction" in page


def test_the_space_lists_the_company_files_in_bounded_queries(
    client_entreprise, representant, django_assert_max_num_queries
):
    for _ in range(5):
        DemandeFactory(representant=representant)
    DemandeFactory()  # another company's
    with django_assert_max_num_queries(11):
        reponse = client_entreprise.get(reverse("espace:accueil"))
    assert len(reponse.context["page"].object_list) == 5


def test_after_confirming_the_email_the_company_goes_back_to_the_application_it_started(client):
    dispositif = DispositifFactory()
    suite = reverse("espace:nouvelle", args=[dispositif.slug])
    client.post(
        f"{reverse('espace:inscription')}?next={suite}",
        {**inscription(siret=EtablissementFactory().siret), "next": suite},
    )
    reponse = client.get(lien_du_courriel("camille@atelier.fr"))
    assert reponse.url == f"{reverse('connexion')}?next={suite.replace('/', '%2F')}"


def test_the_sign_up_never_redirects_outside_the_space(client):
    client.post(
        reverse("espace:inscription"),
        {**inscription(siret=EtablissementFactory().siret), "next": "https://pirate.example/"},
    )
    reponse = client.get(lien_du_courriel("camille@atelier.fr"))
    assert reponse.url == f"{reverse('connexion')}?next=%2Fespace%2F"


@pytest.mark.django_db(transaction=True)
def test_two_people_signing_up_at_once_for_the_same_unknown_company_share_it():
    from conftest import en_parallele
    from territoires.chargement import territoires_charger

    territoires_charger()

    siret = siret_valide(siren_valide(77_000_002), 12)

    def inscrire(email):
        return lambda: services.compte_inscrire(
            email=email,
            mot_de_passe="un-mot-de-passe-solide-2026",
            siret=siret,
            raison_sociale="Atelier Durand",
            adresse="3 rue des Tanneurs",
            commune_nom="Amiens",
        )

    resultats = en_parallele(inscrire("camille@atelier.fr"), inscrire("dominique@atelier.fr"))
    assert all(isinstance(r, Membre) for r in resultats), resultats
    assert Etablissement.objects.filter(siret=siret).count() == 1
    assert {r.etablissement_id for r in resultats} == {Etablissement.objects.get(siret=siret).pk}


@pytest.mark.django_db(transaction=True)
def test_the_same_email_signing_up_twice_at_once_gets_one_account_and_tells_its_owner():
    from conftest import en_parallele
    from territoires.chargement import territoires_charger

    territoires_charger()

    sirets = iter([EtablissementFactory().siret, EtablissementFactory().siret])

    def inscrire():
        return services.compte_inscrire(
            email="camille@atelier.fr", mot_de_passe="un-mot-de-passe-solide-2026", siret=next(sirets)
        )

    resultats = en_parallele(inscrire, inscrire)
    comptes = [r for r in resultats if isinstance(r, Membre)]
    # The second one waited for the first, found the account and told its owner (no error shown).
    assert len(comptes) == 1 and resultats.count(None) == 1, resultats
    assert User.objects.filter(email="camille@atelier.fr").count() == 1
    assert Notification.objects.filter(gabarit="compte_inscription_existante").count() == 1

"""In a real browser (issue 11): a company administrator invites a colleague and an accountant,
gives the accountant a dated signing delegation; the accountant, also invited by a second company,
switches between the two; an intruder who typed the company's SIRET asks to join, staff refuse,
and the intruder never saw anything of the company."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from aides.demandes.models.espace import Membre
from aides.demandes.services import comptes as services_comptes
from aides.demandes.tests.factories import PDF_MINIMAL, MembreVerifieFactory, demande_deposee
from crm.tests.factories import EntrepriseFactory, EtablissementFactory
from portal.models import Notification
from portal.roles import Role
from portal.tests.factories import AgentFactory
from territoires.chargement import territoires_charger

MOT_DE_PASSE_NOUVEAU = "un-mot-de-passe-solide-2026"


def lien_invitation(email: str) -> str:
    corps = Notification.objects.filter(destinataire=email, gabarit="invitation_compte").latest("pk").corps_texte
    return re.search(r"(/espace/invitation/[^\s]+/)", corps).group(1)


def creer_compte_invite(page, url: str, lien: str, prenom: str, nom: str):
    page.goto(f"{url}{lien}")
    page.locator("#id_prenom").fill(prenom)
    page.locator("#id_nom").fill(nom)
    page.locator("#id_mot_de_passe").fill(MOT_DE_PASSE_NOUVEAU)
    page.locator("#id_mot_de_passe_confirmation").fill(MOT_DE_PASSE_NOUVEAU)
    page.get_by_role("button", name="Créer mon compte et rejoindre").click()
    page.wait_for_load_state()


@pytest.mark.navigateur
@pytest.mark.django_db(transaction=True)
def test_invitations_delegation_switching_company_and_a_refused_intruder(
    page, browser, live_server, connecter, connecter_agent, verifier_axe, tmp_path
):
    territoires_charger()
    url = live_server.url
    page.set_default_timeout(10_000)
    atelier = EtablissementFactory(entreprise=EntrepriseFactory(denomination="Atelier Durand"))
    menuiserie = EtablissementFactory(entreprise=EntrepriseFactory(denomination="Menuiserie Vasseur"))
    claire = MembreVerifieFactory(etablissement=atelier, utilisateur__first_name="Claire")
    paul = MembreVerifieFactory(etablissement=menuiserie)
    secret = demande_deposee(representant=claire, intitule="Projet confidentiel de l'atelier")
    charge = AgentFactory(roles=[Role.CHARGE_DE_MISSION])
    delegation = tmp_path / "delegation.pdf"
    delegation.write_bytes(PDF_MINIMAL)

    # The administrator invites a colleague and an accountant
    connecter(page, claire.utilisateur)
    page.goto(f"{url}/espace/")
    assert "Vous agissez pour Atelier Durand" in page.locator(".bandeau-entreprise").inner_text()
    page.get_by_role("link", name="Membres du compte").click()
    verifier_axe(page)
    for email in ("julien@atelier-durand.fr", "marc@cabinet-compta.fr"):
        page.locator("#id_email").fill(email)
        page.locator("#id_role").select_option("membre")
        page.get_by_role("button", name="Envoyer l'invitation").click()
        page.wait_for_load_state()
        assert f"Invitation envoyée à {email}" in page.content()
    # The second company invites the same accountant
    services_comptes.invitation_creer(
        entreprise_id=menuiserie.entreprise_id, par=paul.utilisateur, email="marc@cabinet-compta.fr"
    )

    # The colleague creates an account through the link and lands in the company's space
    julien = browser.new_page(locale="fr-FR")
    julien.set_default_timeout(10_000)
    julien.goto(f"{url}{lien_invitation('julien@atelier-durand.fr')}")
    verifier_axe(julien)
    creer_compte_invite(julien, url, lien_invitation("julien@atelier-durand.fr"), "Julien", "Lefebvre")
    assert julien.url.endswith("/espace/")
    assert "Vous agissez pour Atelier Durand" in julien.locator(".bandeau-entreprise").inner_text()
    assert secret.numero_depot in julien.content()
    julien.close()

    # The accountant joins both companies
    marc = browser.new_page(locale="fr-FR")
    marc.set_default_timeout(10_000)
    liens = list(
        Notification.objects.filter(destinataire="marc@cabinet-compta.fr", gabarit="invitation_compte").order_by("pk")
    )
    premier, second = (re.search(r"(/espace/invitation/[^\s]+/)", n.corps_texte).group(1) for n in liens)
    creer_compte_invite(marc, url, premier, "Marc", "Dupont")
    marc.goto(f"{url}{second}")
    marc.get_by_role("button", name="Accepter l'invitation").click()
    marc.wait_for_load_state()
    assert "Vous êtes membre du compte de Menuiserie Vasseur" in marc.content()

    # The administrator gives the accountant a dated delegation
    page.goto(f"{url}/espace/membres/")
    page.get_by_role("link", name="Marc Dupont").click()
    verifier_axe(page)
    debut = timezone.localdate() - timedelta(days=1)
    fin = timezone.localdate() + timedelta(days=364)
    page.locator("#id_capacite").select_option("delegataire")
    page.locator("#id_delegation_de").fill("Claire Durand, gérante")
    page.locator("#id_delegation_debut").fill(debut.isoformat())
    page.locator("#id_delegation_fin").fill(fin.isoformat())
    page.locator("#id_document").set_input_files(str(delegation))
    page.get_by_role("button", name="Enregistrer la capacité").click()
    page.wait_for_load_state()
    assert "Capacité de signature de" in page.content()
    page.goto(f"{url}/espace/membres/")
    assert f"par délégation de Claire Durand, gérante du {debut:%d/%m/%Y}" in page.locator("#membres").inner_text()
    verifier_axe(page)

    # The accountant switches between the two companies; the header always names the current one
    marc.set_viewport_size({"width": 390, "height": 844})
    marc.goto(f"{url}/espace/")
    assert "Vous agissez pour Menuiserie Vasseur" in marc.locator(".bandeau-entreprise").inner_text()
    assert secret.numero_depot not in marc.content()
    verifier_axe(marc)
    marc.get_by_label("Changer d'entreprise").select_option(label="Atelier Durand")
    with marc.expect_navigation(timeout=30000):  # the POST then its redirect: wait for the new page
        marc.get_by_role("button", name="Changer", exact=True).click()
    bandeau = marc.locator(".bandeau-entreprise").inner_text(timeout=30000)
    assert "Vous agissez pour Atelier Durand" in bandeau and "par délégation de Claire Durand" in bandeau
    assert secret.numero_depot in marc.content()
    marc.get_by_label("Changer d'entreprise").select_option(label="Menuiserie Vasseur")
    with marc.expect_navigation(timeout=30000):
        marc.get_by_role("button", name="Changer", exact=True).click()
    assert "Vous agissez pour Menuiserie Vasseur" in marc.locator(".bandeau-entreprise").inner_text(timeout=30000)
    marc.close()

    # An intruder types the atelier's public SIRET and signs up
    intrus = browser.new_page(locale="fr-FR")
    intrus.set_default_timeout(10_000)
    intrus.goto(f"{url}/espace/inscription/")
    intrus.locator("#id_prenom").fill("Igor")
    intrus.locator("#id_nom").fill("Intrus")
    intrus.locator("#id_email").fill("igor@intrus.example")
    intrus.locator("#id_siret").fill(atelier.siret)
    intrus.locator("#id_mot_de_passe").fill(MOT_DE_PASSE_NOUVEAU)
    intrus.locator("#id_mot_de_passe_confirmation").fill(MOT_DE_PASSE_NOUVEAU)
    intrus.get_by_role("button", name="Créer mon compte").click()
    intrus.wait_for_load_state()
    corps = Notification.objects.get(destinataire="igor@intrus.example", gabarit="compte_verifier").corps_texte
    confirmation = re.search(r"(/espace/verification/[^\s]+/)", corps).group(1)
    intrus.goto(f"{url}{confirmation}")
    intrus.goto(f"{url}/connexion/")
    intrus.get_by_label("Adresse électronique").fill("igor@intrus.example")
    intrus.get_by_label("Mot de passe").fill(MOT_DE_PASSE_NOUVEAU)
    intrus.get_by_role("button", name="Se connecter").click()
    intrus.wait_for_load_state()
    vu = [intrus.content()]
    assert "Rattachement non vérifié" in vu[0]
    verifier_axe(intrus)
    for chemin in (f"/espace/demandes/{secret.pk}/", "/espace/membres/", "/espace/conventions/"):
        intrus.goto(f"{url}{chemin}")
        vu.append(intrus.content())

    # Staff refuse the request from the queue, with a motive emailed to the requester
    agent = browser.new_page(locale="fr-FR")
    agent.set_default_timeout(10_000)
    connecter_agent(agent, charge)
    agent.goto(f"{url}/agents/rattachements/")
    verifier_axe(agent)
    agent.get_by_role("link", name="Igor Intrus").click()
    assert "L'entreprise (données SIRENE)" in agent.content() and atelier.entreprise.siren in agent.content()
    verifier_axe(agent)
    agent.locator("#id_motif").fill("Personne inconnue de l'entreprise, aucun justificatif.")
    agent.get_by_role("button", name="Refuser le rattachement").click()
    agent.wait_for_load_state()
    assert "refusé" in agent.content()
    agent.close()
    refus = Notification.objects.get(destinataire="igor@intrus.example", gabarit="rattachement_decision")
    assert "Personne inconnue de l'entreprise" in refus.corps_texte

    intrus.goto(f"{url}/espace/")
    vu.append(intrus.content())
    assert "aucune entreprise" in vu[-1]
    intrus.goto(f"{url}/espace/demandes/{secret.pk}/")
    vu.append(intrus.content())
    for contenu in vu:
        assert secret.numero_depot not in contenu and "Projet confidentiel" not in contenu
        assert "julien@atelier-durand.fr" not in contenu and "marc@cabinet-compta.fr" not in contenu
    assert Membre.objects.get(utilisateur__email="igor@intrus.example").statut == Membre.Statut.REFUSE
    intrus.close()

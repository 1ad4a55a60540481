"""Accounts: email login in French, throttling, the staff area, logout, password reset, sessions."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from conftest import code_totp
from portal.acces import agent_requis
from portal.models import Direction, Notification, User
from portal.roles import DIRECTIONS, Role
from portal.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE_ERREUR_CONNEXION = "Adresse électronique ou mot de passe incorrect."


def traiter_les_reinitialisations() -> None:
    """What the Celery task does after the request (run here at once)."""
    from portal.services import reinitialisations_relancer

    reinitialisations_relancer(age_minimum=timedelta(0))


def se_connecter(client, email: str, mot_de_passe: str, **donnees):
    return client.post("/connexion/", {"username": email, "password": mot_de_passe, **donnees})


# --- Users, roles and directions -----------------------------------------------------------------


def test_every_role_is_a_group_and_every_direction_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= {role.value for role in Role}
    assert set(Direction.objects.values_list("code", flat=True)) >= {code for code, _ in DIRECTIONS}


def test_a_user_is_identified_by_an_email_whatever_its_case():
    user = User.objects.create_user("Gerante@Exemple.FR", "un-mot-de-passe-solide")

    assert user.email == "gerante@exemple.fr"
    assert User.objects.get_by_natural_key("GERANTE@exemple.fr") == user


def test_roles_are_read_from_groups(creer_agent):
    agent = creer_agent(Role.INSTRUCTEUR, Role.PILOTAGE)

    assert agent.est_agent
    assert agent.a_role(Role.PILOTAGE)
    assert not agent.a_role(Role.GESTIONNAIRE_SAF)
    assert agent.roles_agent() == ["Instructeur·rice", "Pilotage"]


# --- Login ---------------------------------------------------------------------------------------


def test_login_with_email_password_and_code_leads_an_agent_to_the_back_office(client, agent, mot_de_passe):
    code = code_totp(agent)
    reponse = se_connecter(client, agent.email.upper(), mot_de_passe)

    assert reponse.status_code == 302
    etape_code = client.get(reponse.url)
    assert etape_code.url.startswith("/connexion/second-facteur/")
    reponse = client.post(etape_code.url, {"code": code})
    assert client.get(reponse.url).url == "/agents/"
    assert client.get("/agents/").status_code == 200


def test_login_goes_back_to_the_page_asked_for(client, agent, mot_de_passe):
    code = code_totp(agent)
    reponse = se_connecter(client, agent.email, mot_de_passe, next="/agents/?onglet=1")

    assert reponse.url == "/agents/?onglet=1"
    etape_code = client.get(reponse.url)
    assert client.post(etape_code.url, {"code": code}).url == "/agents/?onglet=1"


def test_login_never_redirects_to_another_site(client, agent, mot_de_passe):
    code = code_totp(agent)
    reponse = se_connecter(client, agent.email, mot_de_passe, next="https://pirate.example.com/")

    assert "pirate" not in reponse.url
    reponse = client.post("/connexion/second-facteur/?next=https://pirate.example.com/", {"code": code})
    assert reponse.status_code == 302 and "pirate" not in reponse.url


def test_a_wrong_password_gives_a_french_message_and_keeps_the_email(client, utilisateur_entreprise):
    reponse = se_connecter(client, utilisateur_entreprise.email, "pas-le-bon-mot-de-passe")

    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert MESSAGE_ERREUR_CONNEXION in page
    assert re.search(r'<div class="alert alert-danger" role="alert"', page)
    champ_email = re.search(r"<input[^>]*name=\"username\"[^>]*>", page).group(0)
    assert f'value="{utilisateur_entreprise.email}"' in champ_email
    assert 'type="email"' in champ_email
    assert "pas-le-bon-mot-de-passe" not in page
    assert "_auth_user_id" not in client.session


def test_an_empty_password_is_summarised_and_gets_the_focus(client):
    reponse = se_connecter(client, "gerante@exemple.fr", "")

    page = reponse.content.decode()
    resume = re.search(r'<div class="alert alert-danger" role="alert".*?</div>', page, re.S).group(0)
    assert '<a href="#id_password">Mot de passe : Saisissez votre mot de passe.</a>' in resume
    champ_mot_de_passe = re.search(r"<input[^>]*name=\"password\"[^>]*>", page).group(0)
    assert "autofocus" in champ_mot_de_passe
    assert 'aria-invalid="true"' in champ_mot_de_passe
    assert "autofocus" not in re.search(r"<input[^>]*name=\"username\"[^>]*>", page).group(0)


def test_the_login_form_labels_its_fields_in_french(client):
    page = client.get("/connexion/").content.decode()

    assert re.search(r'<label\s+for="id_username"[^>]*>\s*Adresse électronique', page)
    assert re.search(r'<label\s+for="id_password"[^>]*>\s*Mot de passe', page)


def test_repeated_failures_lock_the_login_with_a_french_page(client, settings, utilisateur_entreprise, mot_de_passe):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert se_connecter(client, utilisateur_entreprise.email, "mauvais").status_code == 200

    bloquee = se_connecter(client, utilisateur_entreprise.email, "mauvais")
    meme_avec_le_bon = se_connecter(client, utilisateur_entreprise.email, mot_de_passe)

    for reponse in (bloquee, meme_avec_le_bon):
        assert reponse.status_code == 429
        page = reponse.content.decode()
        assert "Connexion temporairement bloquée" in page
        assert "la connexion est bloquée pendant 15 minutes" in " ".join(page.split())
        assert '<html lang="fr"' in page
    assert "_auth_user_id" not in client.session


def test_changing_the_case_of_the_email_does_not_escape_the_lock(client, settings, utilisateur_entreprise):
    for numero in range(settings.AXES_FAILURE_LIMIT):
        variante = utilisateur_entreprise.email.upper() if numero % 2 else utilisateur_entreprise.email
        se_connecter(client, variante, "mauvais")

    assert se_connecter(client, f" {utilisateur_entreprise.email.title()} ", "mauvais").status_code == 429


def test_the_lock_on_one_account_leaves_the_others_open(client, settings, mot_de_passe):
    victime, collegue = UserFactory(), UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        se_connecter(client, victime.email, "mauvais")

    assert se_connecter(client, collegue.email, mot_de_passe).status_code == 302


def test_the_lock_ends_after_the_cool_off_time(client, settings, utilisateur_entreprise, mot_de_passe):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        se_connecter(client, utilisateur_entreprise.email, "mauvais")
    assert se_connecter(client, utilisateur_entreprise.email, mot_de_passe).status_code == 429

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert se_connecter(client, utilisateur_entreprise.email, mot_de_passe).status_code == 302


# --- The staff area ------------------------------------------------------------------------------


def test_the_staff_area_sends_anonymous_visitors_to_the_login_page(client):
    reponse = client.get("/agents/")

    assert reponse.status_code == 302
    assert reponse.url == "/connexion/?next=/agents/"


def test_the_staff_area_refuses_a_company_account_with_a_french_403(entreprise_client):
    reponse = entreprise_client.get("/agents/")

    assert reponse.status_code == 403
    page = reponse.content.decode()
    assert "Accès refusé" in page
    assert "Cet espace est réservé aux agents de la Région." in page


def test_the_staff_area_refuses_a_deactivated_agent(client, creer_agent):
    agent = creer_agent(Role.CHARGE_DE_MISSION)
    client.force_login(agent)
    User.objects.filter(pk=agent.pk).update(is_active=False)

    assert client.get("/agents/").status_code == 302  # the session no longer authenticates


def test_the_staff_area_opens_to_an_agent(agent_client):
    reponse = agent_client.get("/agents/")

    assert reponse.status_code == 200
    assert "Espace agents" in reponse.content.decode()


def test_a_view_kept_for_a_role_refuses_an_agent_without_it(rf, creer_agent):
    @agent_requis(Role.GESTIONNAIRE_SAF)
    def vue_saf(request):
        return HttpResponse("convention")

    requete = rf.get("/agents/conventions/")
    requete.user = creer_agent(Role.CHARGE_DE_MISSION)
    with pytest.raises(PermissionDenied, match="Votre rôle ne permet pas cette action."):
        vue_saf(requete)

    requete.user = creer_agent(Role.GESTIONNAIRE_SAF)
    assert vue_saf(requete).content == b"convention"


# --- Logout --------------------------------------------------------------------------------------


def test_logout_is_a_post_and_ends_the_session(agent_client):
    assert agent_client.get("/deconnexion/").status_code == 405

    reponse = agent_client.post("/deconnexion/")

    assert reponse.status_code == 302
    assert reponse.url == "/"
    assert agent_client.get("/agents/").status_code == 302


# --- Password reset ------------------------------------------------------------------------------


def test_password_reset_full_flow(client):
    user = UserFactory(email="gerante@exemple.fr")

    reponse = client.post("/mot-de-passe/oublie/", {"email": "Gerante@exemple.fr"})
    assert reponse.status_code == 302
    assert reponse.url == "/mot-de-passe/envoye/"
    traiter_les_reinitialisations()

    notification = Notification.objects.get(utilisateur=user)
    assert notification.destinataire == "gerante@exemple.fr"
    lien = re.search(r"https?://[^/\s]+(/mot-de-passe/nouveau/[^/\s]+/[^/\s]+/)", notification.corps_texte).group(1)

    formulaire = client.get(lien, follow=True)
    assert formulaire.status_code == 200
    assert "Choisir un nouveau mot de passe" in formulaire.content.decode()
    url_formulaire = formulaire.redirect_chain[-1][0]

    trop_court = client.post(url_formulaire, {"new_password1": "court", "new_password2": "court"})
    assert trop_court.status_code == 200
    assert 'role="alert"' in trop_court.content.decode()
    assert "Ce mot de passe est trop court" in trop_court.content.decode()

    nouveau = "un-nouveau-mot-de-passe-2026"
    reponse = client.post(url_formulaire, {"new_password1": nouveau, "new_password2": nouveau})
    assert reponse.status_code == 302
    assert reponse.url == "/mot-de-passe/change/"

    assert se_connecter(client, "gerante@exemple.fr", nouveau).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(lien, follow=True).context["validlink"] is False  # the link served once


def test_password_reset_for_an_unknown_email_gives_the_same_answer(client):
    UserFactory(email="gerante@exemple.fr")
    connu = client.post("/mot-de-passe/oublie/", {"email": "gerante@exemple.fr"}, follow=True)

    inconnu = client.post("/mot-de-passe/oublie/", {"email": "personne@exemple.fr"}, follow=True)
    traiter_les_reinitialisations()

    assert inconnu.redirect_chain == connu.redirect_chain == [("/mot-de-passe/envoye/", 302)]
    assert "Si un compte existe pour cette adresse" in inconnu.content.decode()
    assert not Notification.objects.filter(destinataire="personne@exemple.fr").exists()


def test_password_reset_asks_for_a_valid_email_in_french(client):
    reponse = client.post("/mot-de-passe/oublie/", {"email": "pas-une-adresse"})

    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "Saisissez une adresse électronique valide" in page
    assert 'value="pas-une-adresse"' in page
    assert re.search(r'<label\s+for="id_email"[^>]*>\s*Adresse électronique', page)


# --- Sessions ------------------------------------------------------------------------------------


def test_sessions_end_after_inactivity(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 0 < settings.SESSION_COOKIE_AGE <= 8 * 3600


def test_an_idle_session_is_refused_after_the_inactivity_delay(agent_client, settings):
    age = timedelta(seconds=settings.SESSION_COOKIE_AGE)

    with time_machine.travel(timezone.now() + age + timedelta(minutes=1)):
        reponse = agent_client.get("/agents/")

    assert reponse.status_code == 302
    assert reponse.url.startswith("/connexion/")


def test_activity_keeps_the_session_alive(agent_client, settings):
    presque = timedelta(seconds=settings.SESSION_COOKIE_AGE) - timedelta(minutes=1)
    maintenant = timezone.now()

    with time_machine.travel(maintenant + presque):
        assert agent_client.get("/agents/").status_code == 200
    with time_machine.travel(maintenant + 2 * presque):
        assert agent_client.get("/agents/").status_code == 200


def test_an_agent_must_belong_to_a_direction(db):
    from django.core.exceptions import ValidationError

    from portal.models import User

    agent = User(email="sans.direction@hautsdefrance.fr", is_staff=True)
    with pytest.raises(ValidationError) as erreur:
        agent.full_clean()
    assert "direction" in erreur.value.message_dict


def test_password_reset_links_are_not_sent_more_than_three_times_an_hour(client, time_machine):
    from portal.models import Notification
    from portal.tests.factories import UserFactory

    UserFactory(email="gerante@exemple.fr")
    time_machine.move_to("2026-11-27 10:00:00+01:00")
    for _ in range(5):
        reponse = client.post("/mot-de-passe/oublie/", {"email": "gerante@exemple.fr"})
        assert reponse.status_code == 302  # same answer every time: nothing revealed
        traiter_les_reinitialisations()
    assert Notification.objects.filter(gabarit="mot_de_passe").count() == 3

    time_machine.move_to("2026-11-27 11:01:00+01:00")
    client.post("/mot-de-passe/oublie/", {"email": "gerante@exemple.fr"})
    traiter_les_reinitialisations()
    assert Notification.objects.filter(gabarit="mot_de_passe").count() == 4

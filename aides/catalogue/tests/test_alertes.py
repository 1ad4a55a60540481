"""Alerts on a catalogue search: double opt-in, digests once per period, one-click unsubscribe, purge."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aides.catalogue.models.alerte import Alerte
from aides.catalogue.referentiels import Thematique
from aides.catalogue.services import alertes
from aides.catalogue.tests.factories import DispositifFactory
from portal.models import EnvoiPeriodique, Notification
from portal.periodes import periode_reclamer
from portal.services import notification_envoyer

pytestmark = pytest.mark.django_db


def lien(notification: Notification, chemin: str) -> str:
    """The path of the first link of the email that goes to `chemin`."""
    trouve = re.search(rf"https?://[^/\s]+({re.escape(chemin)}[^\s\"?]+)", notification.corps_texte)
    assert trouve, notification.corps_texte
    return trouve.group(1)


def alerte_confirmee(requete="thematique=numerique", *, il_y_a=timedelta(days=2), **champs) -> Alerte:
    return Alerte.objects.create(
        email=champs.pop("email", "dirigeante@exemple.fr"),
        requete=requete,
        frequence=champs.pop("frequence", Alerte.Frequence.QUOTIDIENNE),
        cree_le=timezone.now() - il_y_a,
        confirmee_le=timezone.now() - il_y_a,
        **champs,
    )


def test_an_alert_is_stored_unconfirmed_then_confirmed_by_the_emailed_link(client):
    reponse = client.get(reverse("aides:alerte-nouvelle") + "?thematique=numerique&q=robot&tri=cloture&page=2")
    assert reponse.status_code == 200 and "« robot », thématique : Numérique" in reponse.content.decode()

    reponse = client.post(
        reverse("aides:alerte-nouvelle"),
        {"email": "Dirigeante@Exemple.fr", "frequence": "hebdomadaire", "requete": reponse.context["requete"]},
    )
    assert reponse.status_code == 200 and "Confirmez votre alerte" in reponse.content.decode()
    alerte = Alerte.objects.get()
    assert (alerte.email, alerte.requete, alerte.confirmee_le) == (
        "dirigeante@exemple.fr",
        "q=robot&thematique=numerique",
        None,
    )
    notification = Notification.objects.get(gabarit="alerte_confirmer")
    assert notification.destinataire == "dirigeante@exemple.fr"

    confirmer = lien(notification, "/aides/alertes/confirmer/")
    assert client.get(confirmer).status_code == 200
    alerte.refresh_from_db()
    assert alerte.confirmee_le is None  # a GET (a mail scanner) confirms nothing
    reponse = client.post(confirmer)
    assert reponse.status_code == 200 and "Votre alerte est confirmée" in reponse.content.decode()
    alerte.refresh_from_db()
    assert alerte.est_confirmee


def test_the_same_search_written_differently_is_one_alert(client):
    for requete in (
        "thematique=numerique&thematique=export-attractivite&q=robot",
        "q=+robot+&thematique=export-attractivite&thematique=numerique",
    ):
        client.post(
            reverse("aides:alerte-nouvelle"), {"email": "a@exemple.fr", "frequence": "quotidienne", "requete": requete}
        )
    assert Alerte.objects.count() == 1


def test_an_invalid_email_is_explained_in_french_and_nothing_is_kept(client):
    reponse = client.post(
        reverse("aides:alerte-nouvelle"), {"email": "pas-une-adresse", "frequence": "quotidienne", "requete": ""}
    )
    assert reponse.status_code == 400 and escape("adresse électronique n'est pas valide") in reponse.content.decode()
    assert 'value="pas-une-adresse"' in reponse.content.decode()
    assert not Alerte.objects.exists()


def test_a_robot_filling_the_trap_field_is_refused_and_nothing_is_kept(client):
    # The portal's one honeypot (portal.limites.CHAMP_PIEGE): refused with 400 as on every public form.
    reponse = client.post(
        reverse("aides:alerte-nouvelle"),
        {"email": "robot@exemple.fr", "frequence": "quotidienne", "requete": "", "site_internet": "http://spam"},
    )
    assert reponse.status_code == 400 and "robots" in reponse.content.decode()
    assert not Alerte.objects.exists() and not Notification.objects.exists()


def test_the_subscribe_form_is_rate_limited_per_address_in_french(client):
    for i in range(10):
        client.post(reverse("aides:alerte-nouvelle"), {"email": f"a{i}@exemple.fr", "frequence": "quotidienne"})
    reponse = client.post(reverse("aides:alerte-nouvelle"), {"email": "z@exemple.fr", "frequence": "quotidienne"})
    assert reponse.status_code == 429 and int(reponse["Retry-After"]) > 0
    assert "Trop de demandes" in reponse.content.decode()  # the French 429 page of portal.limites
    assert Alerte.objects.count() == 10


def test_a_digest_lists_exactly_the_new_matching_aids_and_those_closing_soon():
    alerte = alerte_confirmee()
    jour = timezone.localdate()
    avant = timezone.now() - timedelta(days=5)
    nouvelle = DispositifFactory(nom="Chèque numérique", thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    DispositifFactory(nom="Aide à l'export", thematiques=[Thematique.EXPORT_ATTRACTIVITE], publie_le=timezone.now())
    DispositifFactory(nom="Ancienne aide numérique", thematiques=[Thematique.NUMERIQUE], publie_le=avant)
    bientot = DispositifFactory(
        nom="Numérique, fin proche",
        thematiques=[Thematique.NUMERIQUE],
        publie_le=avant,
        date_cloture=jour + timedelta(days=10),
    )
    DispositifFactory(
        nom="Numérique, fin lointaine",
        thematiques=[Thematique.NUMERIQUE],
        publie_le=avant,
        date_cloture=jour + timedelta(days=40),
    )
    DispositifFactory(
        nom="Numérique brouillon", thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now(), statut="brouillon"
    )

    digest = alertes.digest_calculer(alerte, maintenant=timezone.now())
    assert [d.nom for d in digest.nouvelles] == [nouvelle.nom]
    assert [d.nom for d in digest.bientot_closes] == [bientot.nom]

    assert alertes.alertes_envoyer() == 1
    notification = Notification.objects.get(gabarit="alerte_digest")
    assert "Chèque numérique" in notification.corps_texte and "Numérique, fin proche" in notification.corps_texte
    assert "Aide à l'export" not in notification.corps_texte and "Ancienne" not in notification.corps_texte
    assert notification.sujet.startswith("1 nouvelle aide pour votre recherche")


def test_a_digest_is_sent_once_even_if_the_job_runs_twice():
    alerte_confirmee()
    DispositifFactory(thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    call_command("envoyer_alertes", stdout=open("/dev/null", "w"))
    call_command("envoyer_alertes", stdout=open("/dev/null", "w"))
    assert alertes.alertes_envoyer() == 0
    assert Notification.objects.filter(gabarit="alerte_digest").count() == 1


def test_the_next_digest_lists_only_what_came_since_the_last_one():
    alerte = alerte_confirmee()
    premiere = DispositifFactory(thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    alertes.alertes_envoyer()
    demain = timezone.now() + timedelta(days=1)
    seconde = DispositifFactory(thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now() + timedelta(hours=1))
    assert alertes.alertes_envoyer(maintenant=demain) == 1
    alerte.refresh_from_db()
    digest = Notification.objects.filter(gabarit="alerte_digest").order_by("-pk").first()
    assert seconde.nom in digest.corps_texte and premiere.nom not in digest.corps_texte


def test_a_weekly_alert_is_sent_once_a_week():
    alerte_confirmee(frequence=Alerte.Frequence.HEBDOMADAIRE)
    DispositifFactory(thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    lundi = timezone.now() - timedelta(days=timezone.localdate().weekday())
    assert alertes.periode_de("hebdomadaire", timezone.localdate(lundi)) == alertes.periode_de(
        "hebdomadaire", timezone.localdate(lundi + timedelta(days=6))
    )
    assert alertes.alertes_envoyer() == 1
    DispositifFactory(thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    assert alertes.alertes_envoyer() == 0


def test_an_unconfirmed_alert_gets_no_digest():
    Alerte.objects.create(email="x@exemple.fr", requete="", frequence="quotidienne")
    DispositifFactory(publie_le=timezone.now())
    assert alertes.alertes_envoyer() == 0


def test_a_period_is_claimed_once():
    assert periode_reclamer("essai:1", "2026-12-06") is True
    assert periode_reclamer("essai:1", "2026-12-06") is False
    assert periode_reclamer("essai:1", "2026-12-07") is True
    assert EnvoiPeriodique.objects.count() == 2


def test_the_digest_email_carries_the_one_click_unsubscribe_headers_and_it_works_without_csrf():
    alerte = alerte_confirmee()
    DispositifFactory(thematiques=[Thematique.NUMERIQUE], publie_le=timezone.now())
    alertes.alertes_envoyer()
    notification = Notification.objects.get(gabarit="alerte_digest")
    assert notification_envoyer(notification_id=notification.pk)
    entetes = mail.outbox[-1].extra_headers
    assert entetes["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    adresse = re.fullmatch(r"<https?://[^/]+(/aides/alertes/desinscrire/[^>]+)>", entetes["List-Unsubscribe"]).group(1)

    client = Client(enforce_csrf_checks=True)  # the mail provider posts without a CSRF token
    reponse = client.post(adresse, {"List-Unsubscribe": "One-Click"})
    assert reponse.status_code == 200 and "désinscrit" in reponse.content.decode()
    assert not Alerte.objects.filter(pk=alerte.pk).exists()
    assert client.post(adresse, {"List-Unsubscribe": "One-Click"}).status_code == 200  # twice: no error


def test_an_unconfirmed_alert_is_purged_after_seven_days():
    vieille = Alerte.objects.create(
        email="a@exemple.fr", requete="", frequence="quotidienne", cree_le=timezone.now() - timedelta(days=8)
    )
    recente = Alerte.objects.create(
        email="b@exemple.fr", requete="", frequence="quotidienne", cree_le=timezone.now() - timedelta(days=6)
    )
    confirmee = alerte_confirmee(email="c@exemple.fr", il_y_a=timedelta(days=30))
    call_command("purger_alertes", stdout=open("/dev/null", "w"))
    restantes = set(Alerte.objects.values_list("pk", flat=True))
    assert vieille.pk not in restantes and {recente.pk, confirmee.pk} <= restantes


def test_an_alert_unopened_for_a_year_is_asked_to_confirm_then_deleted_without_answer(client):
    dormante = alerte_confirmee(il_y_a=timedelta(days=400))
    lue = alerte_confirmee(email="lue@exemple.fr", il_y_a=timedelta(days=400), derniere_ouverture_le=timezone.now())
    assert alertes.alertes_purger()["reconfirmations"] == 1
    demande = Notification.objects.get(gabarit="alerte_reconfirmer")
    assert demande.destinataire == dormante.email
    assert alertes.alertes_purger()["reconfirmations"] == 0  # asked once

    plus_tard = timezone.now() + timedelta(days=31)
    assert alertes.alertes_purger(maintenant=plus_tard)["sans_reponse"] == 1
    assert not Alerte.objects.filter(pk=dormante.pk).exists() and Alerte.objects.filter(pk=lue.pk).exists()


def test_opening_the_reconfirmation_link_keeps_the_alert(client):
    dormante = alerte_confirmee(il_y_a=timedelta(days=400))
    alertes.alertes_purger()
    ouvrir = lien(Notification.objects.get(gabarit="alerte_reconfirmer"), "/aides/alertes/ouvrir/")
    reponse = client.get(ouvrir)
    assert reponse.status_code == 302 and reponse.url == "/aides/?thematique=numerique"
    assert alertes.alertes_purger(maintenant=timezone.now() + timedelta(days=31))["sans_reponse"] == 0
    dormante.refresh_from_db()
    assert dormante.reconfirmation_demandee_le is None


def test_the_manage_page_lists_changes_and_deletes_the_alerts_of_its_address_only(client):
    mienne = alerte_confirmee()
    autre = alerte_confirmee(email="autre@exemple.fr")
    adresse = reverse("aides:alertes-gerer", args=[alertes.jeton_gerer(mienne.email)])
    reponse = client.get(adresse)
    assert reponse.status_code == 200 and "thématique : Numérique" in reponse.content.decode()
    assert "autre@exemple.fr" not in reponse.content.decode()

    client.post(adresse, {"alerte": mienne.pk, "action": "modifier", "frequence": "hebdomadaire"})
    mienne.refresh_from_db()
    assert mienne.frequence == "hebdomadaire"
    assert client.post(adresse, {"alerte": autre.pk, "action": "supprimer"}).status_code == 404
    assert client.post(adresse, {"alerte": "x", "action": "supprimer"}).status_code == 404
    client.post(adresse, {"alerte": mienne.pk, "action": "supprimer"})
    assert list(Alerte.objects.values_list("pk", flat=True)) == [autre.pk]


@pytest.mark.parametrize(
    "nom", ["aides:alerte-confirmer", "aides:alerte-desinscrire", "aides:alerte-ouvrir", "aides:alertes-gerer"]
)
def test_a_bad_signature_is_a_404(client, nom):
    alerte_confirmee()
    assert client.get(reverse(nom, args=["faux-jeton:abc"])).status_code == 404
    assert client.post(reverse(nom, args=["faux-jeton:abc"])).status_code == 404


def test_a_token_of_one_use_does_not_open_another(client):
    alerte = alerte_confirmee()
    desinscription = alertes.jeton_alerte(alerte)
    assert client.get(reverse("aides:alerte-confirmer", args=[desinscription])).status_code == 404
    assert client.get(reverse("aides:alertes-gerer", args=[desinscription])).status_code == 404


def test_an_expired_confirmation_link_is_a_404(client):
    alerte = Alerte.objects.create(email="a@exemple.fr", requete="", frequence="quotidienne")
    jeton = alertes.jeton_alerte(alerte, alertes.SEL_CONFIRMER)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.get(reverse("aides:alerte-confirmer", args=[jeton])).status_code == 404


def test_my_alerts_from_the_company_space_needs_a_login_and_opens_my_address(client, utilisateur_entreprise):
    reponse = client.get(reverse("aides:mes-alertes"))
    assert reponse.status_code == 302 and "connexion" in reponse.url
    client.force_login(utilisateur_entreprise)
    with time_machine.travel(timezone.now(), tick=False):  # the signed token carries the second it is made
        reponse = client.get(reverse("aides:mes-alertes"))
        attendu = reverse("aides:alertes-gerer", args=[alertes.jeton_gerer(utilisateur_entreprise.email)])
    assert reponse.url == attendu


def test_the_catalogue_offers_to_receive_the_new_aids_of_the_search(client):
    html = client.get(reverse("aides:catalogue") + "?thematique=numerique").content.decode()
    assert reverse("aides:alerte-nouvelle") + "?thematique=numerique" in html
    assert "Recevoir les nouvelles aides" in html

"""Alerts on a catalogue search: subscribe (double opt-in), digests, unsubscribe, GDPR purge.

An alert stores its search as a normalised query string and reads it back with the catalogue's own
FilterSet (`DispositifFilterSet.conditions()`), so a digest lists exactly what `/aides/?…` shows.
Links in the emails carry signed tokens (no account needed); a bad signature is a 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone

from aides.catalogue.filters import FACETTES, DispositifFilterSet
from aides.catalogue.models.alerte import Alerte
from aides.catalogue.models.dispositif import Dispositif
from portal.models import User
from portal.periodes import periode_reclamer
from portal.services import notification_creer

JOURS_CLOTURE_PROCHE = 15
DELAI_CONFIRMATION = timedelta(days=7)  # an unconfirmed alert is deleted after that
DELAI_SANS_OUVERTURE = timedelta(days=365)  # then the person is asked to confirm again…
DELAI_RECONFIRMATION = timedelta(days=30)  # …and the alert is deleted without an answer
ALERTES_MAX_PAR_EMAIL = 20
SEL_CONFIRMER = "aides.alerte.confirmer"
SEL_ALERTE = "aides.alerte"  # unsubscribe and « open » links of one alert
SEL_GERER = "aides.catalogue.services.alertes.gerer"  # the page of all the alerts of one address


# --- The search -------------------------------------------------------------------------------


def requete_normaliser(params: QueryDict | str) -> str:
    """The search's filters as a canonical query string (sorted, commune as its INSEE code, no sort,
    no page): two ways of writing the same search give the same alert."""
    filtres = DispositifFilterSet(QueryDict(params) if isinstance(params, str) else params)
    if not filtres.form.is_valid():
        messages = " ".join(str(m) for erreurs in filtres.form.errors.values() for m in erreurs)
        raise ValidationError(f"Cette recherche contient un filtre invalide : {messages}")
    paires: list[tuple[str, str]] = []
    if texte := filtres.valeur("q"):
        paires.append(("q", " ".join(texte.split())))
    if commune := filtres.commune_choisie:
        paires.append(("commune", commune.code_insee))
    for facette in FACETTES:
        paires += [(facette.nom, code) for code in sorted(filtres.valeurs_cochees(facette.nom))]
    if filtres.avec_clos:
        paires.append(("clos", "1"))
    return urlencode(paires)


def requete_libelle(requete: str) -> str:
    """« "numérique", commune : Amiens, Thématique : Export » – the search in words."""
    filtres = DispositifFilterSet(QueryDict(requete))
    filtres.form.is_valid()
    parties = []
    if texte := filtres.valeur("q"):
        parties.append(f"« {texte} »")
    if commune := filtres.commune_choisie:
        parties.append(f"commune : {commune.nom}")
    for facette in FACETTES:
        libelles = dict(facette.choix.choices)
        if codes := filtres.valeurs_cochees(facette.nom):
            parties.append(f"{facette.libelle.lower()} : {', '.join(str(libelles[c]) for c in codes)}")
    if filtres.avec_clos:
        parties.append("aides clôturées comprises")
    return ", ".join(parties) or "toutes les aides"


def dispositifs_de_la_recherche(requete: str):
    """The published dispositifs the catalogue page shows for this search (its very conditions)."""
    filtres = DispositifFilterSet(QueryDict(requete))
    return Dispositif.objects.publies().filter(*filtres.conditions().values())


# --- Signed links -----------------------------------------------------------------------------


def jeton_alerte(alerte: Alerte, sel: str = SEL_ALERTE) -> str:
    # The creation time too: a token never outlives its alert, even if an id were ever reused.
    return signing.dumps([alerte.pk, int(alerte.cree_le.timestamp())], salt=sel)


def jeton_gerer(email: str) -> str:
    return signing.dumps(email.lower(), salt=SEL_GERER)


def alerte_par_jeton(jeton: str, *, sel: str = SEL_ALERTE, max_age: timedelta | None = None) -> Alerte | None:
    """The alert a signed link names; 404 when the signature is bad or expired, None when the alert
    was deleted since (unsubscribed twice: not an error)."""
    try:
        pk, horodatage = signing.loads(jeton, salt=sel, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError) as erreur:
        raise Http404("Lien invalide.") from erreur
    alerte = Alerte.objects.filter(pk=pk).first()
    if alerte is None or int(alerte.cree_le.timestamp()) != horodatage:
        return None
    return alerte


def email_par_jeton(jeton: str) -> str:
    try:
        return signing.loads(jeton, salt=SEL_GERER)
    except signing.BadSignature as erreur:
        raise Http404("Lien invalide.") from erreur


def liens(alerte: Alerte) -> dict[str, str]:
    """Absolute links of an alert's emails."""
    jeton = jeton_alerte(alerte)
    return {
        "desinscrire": settings.SITE_URL + reverse("aides:alerte-desinscrire", args=[jeton]),
        "ouvrir": settings.SITE_URL + reverse("aides:alerte-ouvrir", args=[jeton]),
        "gerer": settings.SITE_URL + reverse("aides:alertes-gerer", args=[jeton_gerer(alerte.email)]),
        "confirmer": settings.SITE_URL + reverse("aides:alerte-confirmer", args=[jeton_alerte(alerte, SEL_CONFIRMER)]),
    }


def entetes_desinscription(alerte: Alerte) -> dict[str, str]:
    """RFC 2369 and RFC 8058: the mail client's « se désabonner » unsubscribes in one click (POST)."""
    return {
        "List-Unsubscribe": f"<{liens(alerte)['desinscrire']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# --- Services ---------------------------------------------------------------------------------


def _confirmation_envoyer(alerte: Alerte) -> None:
    notification_creer(
        gabarit="alerte_confirmer",
        destinataire=alerte.email,
        contexte={"alerte": alerte, "libelle": requete_libelle(alerte.requete), "liens": liens(alerte)},
    )


@transaction.atomic
def alerte_creer(*, email: str, requete: str, frequence: str, utilisateur: User | None = None) -> Alerte:
    """Subscribe an address to a search; nothing is sent before it confirms (link valid 7 days).

    The same address and search again: the frequency is updated and, while unconfirmed, the
    confirmation email is sent again (the form is rate-limited per address).
    """
    email = email.strip().lower()
    requete = requete_normaliser(requete)
    existante = Alerte.objects.select_for_update().filter(email=email, requete=requete).first()
    if existante is None:
        if Alerte.objects.filter(email=email).count() >= ALERTES_MAX_PAR_EMAIL:
            raise ValidationError(
                f"Cette adresse a déjà {ALERTES_MAX_PAR_EMAIL} alertes : supprimez-en une depuis le lien "
                "« Gérer mes alertes » d'un de nos messages."
            )
        alerte = Alerte(email=email, requete=requete, frequence=frequence, utilisateur=utilisateur)
        alerte.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                alerte.save()
        except IntegrityError:  # the same form posted twice at once: one alert
            alerte = Alerte.objects.select_for_update().get(email=email, requete=requete)
    else:
        alerte = existante
        alerte.frequence = frequence
        alerte.full_clean(validate_constraints=False)
        alerte.save(update_fields=["frequence"])
    if not alerte.est_confirmee:
        _confirmation_envoyer(alerte)
    return alerte


@transaction.atomic
def alerte_confirmer(*, alerte: Alerte) -> Alerte:
    maintenant = timezone.now()
    Alerte.objects.filter(pk=alerte.pk, confirmee_le=None).update(confirmee_le=maintenant)
    Alerte.objects.filter(pk=alerte.pk).update(derniere_ouverture_le=maintenant, reconfirmation_demandee_le=None)
    alerte.refresh_from_db()
    return alerte


@transaction.atomic
def alerte_supprimer(*, alerte: Alerte) -> None:
    Alerte.objects.filter(pk=alerte.pk).delete()


@transaction.atomic
def alerte_modifier(*, alerte: Alerte, frequence: str) -> Alerte:
    alerte.frequence = frequence
    alerte.full_clean(validate_constraints=False)
    alerte.save(update_fields=["frequence"])
    return alerte


def alertes_ouvertes(*, email: str | None = None, alerte: Alerte | None = None) -> None:
    """A click on a link of the alert's emails: the person still reads them (no reconfirmation)."""
    qs = Alerte.objects.filter(pk=alerte.pk) if alerte else Alerte.objects.filter(email=email.lower())
    qs.update(derniere_ouverture_le=timezone.now(), reconfirmation_demandee_le=None)


# --- Digests ----------------------------------------------------------------------------------


def periode_de(frequence: str, jour: date) -> str:
    """« 2026-12-06 » for a daily alert, « 2026-W49 » for a weekly one (sent on the week's first run)."""
    if frequence == Alerte.Frequence.QUOTIDIENNE:
        return jour.isoformat()
    annee, semaine, _ = jour.isocalendar()
    return f"{annee}-W{semaine:02d}"


@dataclass
class Digest:
    nouvelles: list[Dispositif]
    bientot_closes: list[Dispositif]

    def __bool__(self) -> bool:
        return bool(self.nouvelles or self.bientot_closes)


def digest_calculer(alerte: Alerte, *, maintenant: datetime) -> Digest:
    """The aids published since the last digest (or the confirmation), and those whose closing date
    entered the next 15 days since then, that match the search."""
    jour = timezone.localdate(maintenant)
    depuis = alerte.dernier_envoi_le or alerte.confirmee_le
    base = dispositifs_de_la_recherche(alerte.requete).defer("recherche")
    nouvelles = base.filter(publie_le__gt=depuis, publie_le__lte=maintenant).order_by("-publie_le", "nom")
    fin = jour + timedelta(days=JOURS_CLOTURE_PROCHE)
    debut = jour
    if alerte.dernier_envoi_le:
        # Already announced in the last digest when it was within its window.
        debut = max(jour, timezone.localdate(alerte.dernier_envoi_le) + timedelta(days=JOURS_CLOTURE_PROCHE + 1))
    bientot = base.filter(date_cloture__gte=debut, date_cloture__lte=fin).order_by("date_cloture", "nom")
    return Digest(list(nouvelles), list(bientot))


@transaction.atomic
def alerte_digest_envoyer(*, alerte_id: int, maintenant: datetime | None = None) -> bool:
    """Send this alert's digest for the current period, once: the period is claimed with a unique
    row in this transaction (a job run twice, or on two workers, sends one email). Nothing new:
    no email, but the period is claimed all the same."""
    maintenant = maintenant or timezone.now()
    alerte = Alerte.objects.select_for_update().filter(pk=alerte_id, confirmee_le__isnull=False).first()
    if alerte is None:
        return False
    if not periode_reclamer(f"alerte:{alerte.pk}", periode_de(alerte.frequence, timezone.localdate(maintenant))):
        return False
    digest = digest_calculer(alerte, maintenant=maintenant)
    alerte.dernier_envoi_le = maintenant
    alerte.save(update_fields=["dernier_envoi_le"])
    if not digest:
        return False
    notification_creer(
        gabarit="alerte_digest",
        destinataire=alerte.email,
        contexte={
            "alerte": alerte,
            "libelle": requete_libelle(alerte.requete),
            "digest": digest,
            "liens": liens(alerte),
            "jours": JOURS_CLOTURE_PROCHE,
        },
        entetes=entetes_desinscription(alerte),
    )
    return True


def alertes_envoyer(*, maintenant: datetime | None = None) -> int:
    """The periodic job (Celery beat, daily; `manage.py envoyer_alertes`): every confirmed alert's
    digest, one transaction each. Returns how many emails were written."""
    ids = Alerte.objects.filter(confirmee_le__isnull=False).order_by("pk").values_list("pk", flat=True)
    return sum(alerte_digest_envoyer(alerte_id=pk, maintenant=maintenant) for pk in ids.iterator())


# --- GDPR -------------------------------------------------------------------------------------


@transaction.atomic
def alerte_reconfirmation_demander(*, alerte_id: int, maintenant: datetime) -> bool:
    if not Alerte.objects.filter(pk=alerte_id, reconfirmation_demandee_le=None).update(
        reconfirmation_demandee_le=maintenant
    ):
        return False
    alerte = Alerte.objects.get(pk=alerte_id)
    notification_creer(
        gabarit="alerte_reconfirmer",
        destinataire=alerte.email,
        contexte={"alerte": alerte, "libelle": requete_libelle(alerte.requete), "liens": liens(alerte)},
        entetes=entetes_desinscription(alerte),
    )
    return True


def alertes_purger(*, maintenant: datetime | None = None) -> dict[str, int]:
    """Daily (`manage.py purger_alertes`): delete alerts unconfirmed after 7 days; ask again the
    people who opened nothing for a year; delete their alert 30 days later without an answer."""
    maintenant = maintenant or timezone.now()
    non_confirmees, _ = Alerte.objects.filter(confirmee_le=None, cree_le__lt=maintenant - DELAI_CONFIRMATION).delete()
    sans_reponse, _ = Alerte.objects.filter(reconfirmation_demandee_le__lt=maintenant - DELAI_RECONFIRMATION).delete()
    dormantes = (
        Alerte.objects.filter(confirmee_le__isnull=False, reconfirmation_demandee_le=None)
        .annotate(vue_le=Coalesce(F("derniere_ouverture_le"), F("confirmee_le")))
        .filter(Q(vue_le__lt=maintenant - DELAI_SANS_OUVERTURE))
        .values_list("pk", flat=True)
    )
    demandees = sum(alerte_reconfirmation_demander(alerte_id=pk, maintenant=maintenant) for pk in list(dormantes))
    return {"non_confirmees": non_confirmees, "sans_reponse": sans_reponse, "reconfirmations": demandees}

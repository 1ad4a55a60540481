"""Second factor (TOTP, django-otp): every staff account, and companies that opt in.

The login is two steps: the password (the login page, throttled by django-axes), then a 6-digit
code from an authenticator app. A staff member without a confirmed device enrols at their first
login. Until the code is given, `DoubleFacteurMiddleware` sends every page back to the code step:
a session that only knows the password reaches neither /agents/ nor /admin/ (the admin site also
checks it, see portal.admin_site). Wrong codes slow the next attempt down on the device itself
(1 s, 2 s, 4 s…, OTP_TOTP_THROTTLE_FACTOR).
"""

import logging
from base64 import b32decode, b32encode
from binascii import hexlify, unhexlify
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import ROLES_EXTERNES

journal = logging.getLogger("portal.securite")

NOM_APPAREIL = "Application d'authentification"
# Demo only, documented in the README: the demo agents' TOTP secret. A device with this secret is
# neither created nor accepted when DEBUG is off.
SECRET_DEMO = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
CLE_DEMO = hexlify(b32decode(SECRET_DEMO)).decode()

# Pages an authenticated user reaches before giving the code: the login and code steps, logout,
# password reset, static files and the health check.
CHEMINS_LIBRES = ("/connexion/", "/deconnexion/", "/mot-de-passe/", "/static/", "/sante/")
CLE_SESSION_REQUIS = "second_facteur_requis"


def appareil_confirme(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def second_facteur_requis(request) -> bool:
    """Staff, partners and EPCI users always; a company account once it has enabled it."""
    user = request.user
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    requis = request.session.get(CLE_SESSION_REQUIS)
    if requis is None:
        # One query: a partner or EPCI role, or a confirmed device.
        requis = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .filter(
                Q(groups__name__in=[role.value for role in ROLES_EXTERNES])
                | Q(pk__in=TOTPDevice.objects.filter(confirmed=True).values("user_id"))
            )
            .exists()
        )
        request.session[CLE_SESSION_REQUIS] = requis
    return requis


def secret_base32(appareil: TOTPDevice) -> str:
    """The secret as typed into an app by hand: base32, in groups of four characters."""
    brut = b32encode(unhexlify(appareil.key)).decode().rstrip("=")
    return " ".join(brut[i : i + 4] for i in range(0, len(brut), 4))


def qr_code_svg(appareil: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data URI drawn on the server."""

    return segno.make(appareil.config_url, error="m").svg_data_uri(scale=5, border=2)


def _est_demo(appareil: TOTPDevice) -> bool:
    return appareil.key.lower() == CLE_DEMO


def code_verifier(user, code: str, *, appareil: TOTPDevice | None = None) -> TOTPDevice:
    """Check a 6-digit code against the user's device; raise a French ValidationError otherwise.

    A code is accepted once (django-otp refuses a replay); after a wrong code the device refuses
    every code for 1, 2, 4, 8… seconds.
    """
    appareil = appareil or appareil_confirme(user)
    if appareil is None:
        raise ValidationError("Aucune application d'authentification n'est associée à ce compte.")
    if _est_demo(appareil) and not settings.DEBUG:
        journal.warning("Code refusé : appareil de démonstration hors DEBUG (utilisateur %s).", user.pk)
        raise ValidationError("Le code de démonstration n'est pas accepté sur ce serveur.")
    code = "".join((code or "").split())
    autorise, infos = appareil.verify_is_allowed()
    if not autorise and infos and infos.get("locked_until"):
        secondes = max(1, int((infos["locked_until"] - timezone.now()).total_seconds()) + 1)
        raise ValidationError(
            f"Trop de codes erronés : attendez {secondes} seconde{'s' if secondes > 1 else ''} avant de réessayer.",
            code="ralenti",
        )
    if not (code.isdigit() and len(code) == appareil.digits):
        appareil.throttle_increment()
        raise ValidationError("Saisissez les 6 chiffres affichés par votre application.", code="format")
    if verify_token(user, appareil.persistent_id, code) is None:
        journal.info("Code de second facteur erroné (utilisateur %s).", user.pk)
        raise ValidationError(
            "Code incorrect ou expiré : saisissez le code affiché en ce moment par votre application.",
            code="incorrect",
        )
    appareil.refresh_from_db()
    return appareil


def reauthentifier(user, *, mot_de_passe: str, code: str, objet: str = "") -> TOTPDevice:
    """Re-ask the password and a code before a legal act; errors are keyed `mot_de_passe`/`code`.

    Not inside a transaction that the caller rolls back on error: a wrong code must keep counting
    against the device's throttling.
    """
    suite = f" : {objet}" if objet else ""
    if not user.check_password(mot_de_passe or ""):
        raise ValidationError({"mot_de_passe": f"Mot de passe incorrect{suite}."})
    try:
        return code_verifier(user, code)
    except ValidationError as erreur:
        raise ValidationError({"code": [f"{message.rstrip('.')}{suite}." for message in erreur.messages]}) from None


def session_verifier(request, appareil: TOTPDevice) -> None:
    """Mark this session as having passed the second factor with this device."""
    otp_login(request, appareil)
    request.session[CLE_SESSION_REQUIS] = True


@transaction.atomic
def appareil_preparer(*, user, demo: bool = False) -> TOTPDevice:
    """The device being enrolled (not confirmed yet), made once and kept until confirmed."""
    if demo and not settings.DEBUG:
        raise ValidationError("Le secret de démonstration est refusé quand DEBUG est désactivé.")
    appareil = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if appareil is None:
        appareil = TOTPDevice(user=user, name=NOM_APPAREIL, confirmed=False)
        if demo:
            appareil.key = CLE_DEMO
        appareil.save()
    return appareil


def appareil_confirmer(*, request, code: str) -> TOTPDevice:
    """Confirm the device being enrolled with a first code; the session is then verified.

    Not in one transaction: a wrong code must keep counting against the device's throttling.
    """
    user = request.user
    appareil = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if appareil is None:
        raise ValidationError("Aucune activation en cours : rechargez la page.")
    code_verifier(user, code, appareil=appareil)
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=appareil.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=user).exclude(pk=appareil.pk).delete()
    appareil.confirmed = True
    session_verifier(request, appareil)
    journal.info("Second facteur activé (utilisateur %s).", user.pk)
    return appareil


def second_facteur_desactiver(*, request, mot_de_passe: str, code: str) -> None:
    """A company account turns its optional second factor off (password and a code re-asked)."""
    user = request.user
    if user.is_staff:
        raise ValidationError("Le second facteur est obligatoire pour les comptes des agents.")
    if user.a_role(*ROLES_EXTERNES):
        raise ValidationError("Le second facteur est obligatoire pour les comptes des partenaires et des EPCI.")
    reauthentifier(user, mot_de_passe=mot_de_passe, code=code)
    TOTPDevice.objects.filter(user=user).delete()
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[CLE_SESSION_REQUIS] = False
    journal.info("Second facteur désactivé par l'utilisateur %s.", user.pk)


@transaction.atomic
def second_facteur_reinitialiser(*, user, par) -> int:
    """An administrator removes a user's devices: the user enrols again at their next login.

    Sessions verified with the removed device lose their verification (django-otp no longer finds
    the device), so a staff member is sent back to the enrolment at their next page.
    """
    if not (par.is_active and par.is_staff and par.has_perm("otp_totp.delete_totpdevice")):
        raise ValidationError("Seul un administrateur réinitialise le second facteur d'un compte.")
    supprimes, _ = TOTPDevice.objects.filter(user=user).delete()
    journal.warning("Second facteur de l'utilisateur %s réinitialisé par %s.", user.pk, par.pk)
    return supprimes


def appareil_demo_creer(user) -> TOTPDevice:
    """The demo agents' device with the documented secret; refused when DEBUG is off."""
    if not settings.DEBUG:
        raise ValidationError("Le secret de démonstration est refusé quand DEBUG est désactivé.")
    appareil, _ = TOTPDevice.objects.update_or_create(
        user=user, name=f"{NOM_APPAREIL} (démo)", defaults={"key": CLE_DEMO, "confirmed": True}
    )
    return appareil


def _suite(request) -> str:
    return urlencode({"next": request.get_full_path()}, safe="/")


class DoubleFacteurMiddleware:
    """Send an authenticated user who owes the second factor to the code step (or enrolment)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.user.is_authenticated
            and not request.path.startswith(CHEMINS_LIBRES)
            and not request.user.is_verified()
            and second_facteur_requis(request)
        ):
            if appareil_confirme(request.user) is None:
                return redirect(f"{reverse('second-facteur-activer')}?{_suite(request)}")
            return redirect(f"{reverse('second-facteur')}?{_suite(request)}")
        return self.get_response(request)

"""Second factor helpers for tests and benchmarks (never for the portal itself)."""


def verifier_session_de_test(client, user) -> None:
    """Mark a test client's session as having passed the second factor (staff, or opted in).

    Called after `client.force_login(user)` (conftest.py does it for every test; benchmarks call it):
    a staff member gets a confirmed device if they have none.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    appareil = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if appareil is None and not user.is_staff:
        return
    if appareil is None:
        appareil = TOTPDevice.objects.create(user=user, name="Appareil de test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = appareil.persistent_id
    session.save()


def code_totp(user) -> str:
    """The current code of the user's confirmed device (made if missing), usable once more.

    django-otp refuses a code twice in the same 30 s: the helper forgets the last accepted one, so
    that a test may log the same person in twice in a row.
    """
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    appareil = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if appareil is None:
        appareil = TOTPDevice.objects.create(user=user, name="Appareil de test", confirmed=True)
    TOTPDevice.objects.filter(pk=appareil.pk).update(last_t=-1, throttling_failure_count=0)
    return f"{totp(appareil.bin_key, step=appareil.step, t0=appareil.t0, digits=appareil.digits):06d}"

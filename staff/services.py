"""Writes about staff accounts: the security log, second factors (app, recovery codes, passkeys),
unlocking. Each is atomic.

Every function records a `SecurityEvent`; the e-mails to the account owner (a new second factor,
a recovery code used) are enqueued on commit through the task outbox (`staff/tasks.py`).
"""

import secrets

from axes.utils import reset as axes_reset
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import passkeys, security
from staff.models import Passkey, SecurityEvent

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"


def security_event_record(*, kind: str, user=None, username: str = "", request=None, detail: str = "", by=None):
    """Append one row to the security log; for the kinds the owner is told of, enqueue the e-mail."""
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user is not None else ""))[:150],
        ip_address=security.client_address(request) if request is not None else None,
        detail=detail[:200],
        by=by,
        created_at=timezone.now(),
    )
    if kind in SecurityEvent.NOTIFIED_KINDS and user is not None and user.email:
        from staff.tasks import send_security_notice

        transaction.on_commit(lambda: send_security_notice.enqueue(event_id=event.pk))
    return event


def _mark_given(request, device) -> None:
    otp_login(request, device)
    request.session[security.SECOND_FACTOR_AT] = security.now_seconds()
    request.session[security.HAS_SECOND_FACTOR] = "yes"


def totp_device_pending(*, user) -> TOTPDevice:
    """The account's unconfirmed authenticator-app device, created with a new secret if none waits."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


def recovery_codes_renew(*, user, request=None, record: bool = True) -> list[str]:
    """Replace the account's recovery codes with new one-time codes and return them (shown once)."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME)
        device.token_set.all().delete()
        # 48 random bits in three groups of four, within django-otp's 16 characters per token.
        codes = ["-".join(secrets.token_hex(2) for _ in range(3)) for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        if record:
            security_event_record(kind=SecurityEvent.Kind.RECOVERY_CODES_RENEWED, user=user, request=request)
    return codes


def totp_device_confirm(*, request, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator app with a code from it; return the new recovery codes, or None."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=request.user, confirmed=False)
        if not device.verify_token(_digits(code)):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user=request.user, record=False)
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_ADDED, user=request.user, request=request, detail=device.name
        )
        _mark_given(request, device)
    return codes


def second_factor_verify(*, request, code: str) -> bool:
    """Check a code from the authenticator app or a recovery code; on success mark the session."""
    user = request.user
    code = code.strip()
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(_digits(code)):
                security_event_record(kind=SecurityEvent.Kind.SECOND_FACTOR_GIVEN, user=user, request=request)
                _mark_given(request, device)
                return True
        for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code.lower()):
                left = device.token_set.count()
                security_event_record(
                    kind=SecurityEvent.Kind.RECOVERY_CODE_USED, user=user, request=request, detail=f"{left} left"
                )
                _mark_given(request, device)
                return True
    security_event_record(kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, user=user, request=request)
    return False


def second_factor_remove(*, user, by, request=None) -> int:
    """Remove all of an account's second factors (a lost phone); it must enrol again at next login."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice, Passkey):
            removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_REMOVED,
            user=user,
            request=request,
            by=by if by != user else None,
            detail=f"{removed} removed",
        )
    return removed


def passkey_add(*, request, name: str, credential) -> Passkey:
    """Store a new passkey for the session's user after checking the browser's answer.

    Raises `passkeys.PasskeyError` when the answer is refused (nothing is stored then).
    """
    user = request.user
    data = passkeys.check_registration(request, credential)
    with transaction.atomic():
        if Passkey.objects.filter(credential_id=data["credential_id"]).exists():
            raise passkeys.PasskeyError("already_registered")
        passkey = Passkey.objects.create(user=user, name=name, confirmed=True, created_at=timezone.now(), **data)
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_ADDED, user=user, request=request, detail=f"passkey: {name}"
        )
    request.session[security.HAS_SECOND_FACTOR] = "yes"
    return passkey


def passkey_verify(*, request, credential) -> bool:
    """Check a passkey as the second factor; on success mark the session, as a code would."""
    user = request.user
    failure = "unknown_passkey"
    try:
        # Taken first, whatever follows: a challenge is used up by any answer, right or wrong.
        challenge = passkeys.take_challenge(request, passkeys.AUTHENTICATE)
        credential_id = passkeys.credential_id_of(credential)
        with transaction.atomic():
            # Locked: two answers racing with the same counter cannot both pass.
            passkey = (
                Passkey.objects.select_for_update()
                .filter(user=user, confirmed=True, credential_id=credential_id)
                .first()
            )
            if passkey is not None:
                sign_count = passkeys.check_authentication(request, credential, passkey=passkey, challenge=challenge)
                passkey.sign_count = sign_count
                passkey.last_used_at = timezone.now()
                passkey.save(update_fields=["sign_count", "last_used_at"])
                security_event_record(
                    kind=SecurityEvent.Kind.SECOND_FACTOR_GIVEN,
                    user=user,
                    request=request,
                    detail=f"passkey: {passkey.name}",
                )
                _mark_given(request, passkey)
                return True
    except passkeys.PasskeyError as error:
        failure = error.code
    security_event_record(
        kind=SecurityEvent.Kind.SECOND_FACTOR_FAILED, user=user, request=request, detail=f"passkey: {failure}"
    )
    return False


def passkey_remove(*, request, passkey_id: int) -> bool:
    """Remove one of the session user's passkeys; False if there is no such passkey of theirs."""
    user = request.user
    with transaction.atomic():
        passkey = Passkey.objects.select_for_update().filter(user=user, pk=passkey_id).first()
        if passkey is None:
            return False
        passkey.delete()
        security_event_record(
            kind=SecurityEvent.Kind.SECOND_FACTOR_REMOVED,
            user=user,
            request=request,
            detail=f"passkey: {passkey.name}",
        )
    request.session[security.HAS_SECOND_FACTOR] = "yes" if security.has_second_factor(user) else "no"
    return True


def account_unlock(*, username: str, by=None, request=None) -> int:
    """Lift the login lockout of an account from every address; returns the attempts cleared."""
    with transaction.atomic():
        cleared = axes_reset(username=username)
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(username=username).first()
        security_event_record(
            kind=SecurityEvent.Kind.UNLOCK, user=user, username=username, request=request, by=by, detail=f"{cleared}"
        )
    return cleared


def _digits(code: str) -> str:
    return "".join(code.split())

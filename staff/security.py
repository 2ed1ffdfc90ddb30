"""Reads about a staff session: its client address, its second factor and how fresh that is.

The session keeps three timestamps (seconds since the epoch, from `timezone.now()`): when the
password was given, when the second factor was last given, and when the session was last used.
"""

from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user

LOGIN_AT = "staff_login_at"
LAST_SEEN = "staff_last_seen"
SECOND_FACTOR_AT = "staff_second_factor_at"
# "yes" or "no": whether the account had a confirmed second factor at login, so that a request
# of a session without one costs no query to find out.
HAS_SECOND_FACTOR = "staff_has_second_factor"


def client_address(request) -> str | None:
    """The client's IP address as the login throttle sees it, or None when it is unknown."""
    # AXES_CLIENT_IP_CALLABLE names the portal's one proxy-aware helper (inquiries.network, which
    # validates and normalises), so the throttle and the security log agree without `staff`
    # importing an app above it.
    return get_client_ip_address(request) or None


def now_seconds() -> float:
    return timezone.now().timestamp()


def has_second_factor(user) -> bool:
    """Whether the account has a confirmed second factor (TOTP app or recovery codes)."""
    return any(True for _device in devices_for_user(user, confirmed=True))


def session_has_second_factor(request) -> bool:
    """`has_second_factor` for the session's user, remembered in the session."""
    remembered = request.session.get(HAS_SECOND_FACTOR)
    if remembered is None:
        remembered = "yes" if has_second_factor(request.user) else "no"
        request.session[HAS_SECOND_FACTOR] = remembered
    return remembered == "yes"


def second_factor_required(request) -> bool:
    """Whether this staff session must give (or enrol) a second factor before it sees the admin."""
    user = request.user
    if not (user.is_authenticated and user.is_staff) or user.is_verified():
        return False
    return settings.STAFF_REQUIRE_SECOND_FACTOR or session_has_second_factor(request)


def second_factor_redirect(request, *, next_url: str):
    """A redirect to give the second factor (or to enrol one, for an account without any)."""
    target = "staff:second_factor_verify" if session_has_second_factor(request) else "staff:second_factor_enrol"
    return redirect(reverse(target) + "?" + urlencode({"next": next_url}))


def needs_reauthentication(request) -> bool:
    """Whether a sensitive action must first ask for the second factor again (sudo mode)."""
    if not (settings.STAFF_REQUIRE_SECOND_FACTOR or session_has_second_factor(request)):
        return False  # nothing to ask for: the requirement is off and the account has none
    given_at = request.session.get(SECOND_FACTOR_AT)
    if given_at is None or not request.user.is_verified():
        return True
    return now_seconds() - given_at > settings.STAFF_REAUTHENTICATION_SECONDS


def reauthentication_url(next_url: str) -> str:
    return reverse("staff:second_factor_verify") + "?" + urlencode({"next": next_url, "again": "1"})


def reauthentication_redirect(request, *, next_url: str | None = None):
    """A redirect to confirm the second factor again, or None when it was given recently enough.

    For admin actions: the selection is a POST that cannot survive the detour, so the message
    asks to run the action again afterwards.
    """
    if not needs_reauthentication(request):
        return None
    messages.warning(request, _("Please confirm your second factor, then run the action again."))
    return redirect(reauthentication_url(next_url or request.get_full_path()))


def totp_secret(device) -> str:
    """The authenticator-app secret in the base32 form apps accept when typed, in groups of four."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(text: str) -> str:
    """A QR code of the text as an SVG data URI (the CSP allows data: images, not inline SVG styles)."""
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=5, border=2)


def recovery_codes_left(user) -> int:
    from django_otp.plugins.otp_static.models import StaticToken

    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_throttled(user) -> bool:
    """Whether several wrong codes made django-otp refuse this account's codes for a while.

    Its pause doubles with each wrong code (1 s, 2 s, 4 s...); the first ones pass unnoticed.
    """
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    devices = [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]
    return any(device.throttling_failure_count >= 3 and not device.verify_is_allowed()[0] for device in devices)

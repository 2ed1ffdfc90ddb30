"""The personal follow-up links: signed, bound to one inquiry, expiring, revocable.

A token is Django's signed, timestamped value of the inquiry's id and its random
`follow_up_key` (salted for this use only). It opens the follow-up page only while the signature
is intact, it is younger than INQUIRY_FOLLOW_UP_LINK_DAYS, and the key is still the inquiry's:
staff revoke every link by replacing the key. A link is never stored; each e-mail gets a fresh one.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

SALT = "inquiries.follow-up-link"
PARAMETER = "token"  # portal/redaction.py removes `token=…` from every log line and error report


def token_for(inquiry) -> str:
    return signing.dumps({"i": inquiry.pk, "k": inquiry.follow_up_key}, salt=SALT)


def url_for(inquiry) -> str:
    """The absolute link for an e-mail: SITE_URL + /inquiry/follow-up/open/?token=…"""
    return f"{settings.SITE_URL}{reverse('inquiries:follow_up_open')}?{urlencode({PARAMETER: token_for(inquiry)})}"


def inquiry_for(token: str):
    """The inquiry the token opens, or None (tampered, expired, revoked, anonymised, unknown)."""
    from inquiries.models import Inquiry

    try:
        payload = signing.loads(token, salt=SALT, max_age=settings.INQUIRY_FOLLOW_UP_LINK_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("i"), int) or not isinstance(payload.get("k"), str):
        return None
    return Inquiry.objects.filter(pk=payload["i"], follow_up_key=payload["k"], anonymised_at__isnull=True).first()

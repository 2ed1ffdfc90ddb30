"""E-mails to a staff member about their own account, run by the task worker. Each is sent once.

A new second factor or a used recovery code is exactly what the owner should hear about if it
was not them. The e-mail names the event, the time and the address, nothing else.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

logger = logging.getLogger(__name__)


@task()
def send_security_notice(event_id: int, attempt: int = 1) -> None:
    """Tell the account owner about a security event on their account."""
    from staff.models import SecurityEvent

    with transaction.atomic():
        event = (
            SecurityEvent.objects.select_for_update(of=("self",)).filter(pk=event_id).select_related("user").first()
        )
        if event is None or event.notified_at is not None or event.user is None or not event.user.email:
            return
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "username": event.user.get_username(),
                "event": event.get_kind_display(),
                "when": formats.date_format(timezone.localtime(event.created_at), "DATETIME_FORMAT"),
                "address": event.ip_address or "",
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string("staff/email/security_notice_subject.txt", context).strip()
            body = render_to_string("staff/email/security_notice.txt", context)
        try:
            send_mail(subject, body, None, [event.user.email])
        except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried
            if attempt < settings.TRIAGE_NOTIFICATION_MAX_ATTEMPTS:
                delay = settings.TRIAGE_NOTIFICATION_RETRY_SECONDS * 2 ** (attempt - 1)
                send_security_notice.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
                    event_id=event_id, attempt=attempt + 1
                )
            logger.warning("Security notice %s not sent (attempt %s): %s", event_id, attempt, type(error).__name__)
            return
        SecurityEvent.objects.filter(pk=event.pk).update(notified_at=timezone.now())

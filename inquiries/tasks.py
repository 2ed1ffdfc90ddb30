"""E-mails about an inquiry, run by the task worker (`make worker`). Each sends at most once.

They are enqueued inside the submission's transaction (django-tasks-db stores them in the same
database), so an inquiry and its e-mails are saved together or not at all. Neither e-mail holds
health data: the sender's gets the reference, staff get the reference, priority and the triage
reasons without the patient's own words, and a link to the admin.
"""

import re

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

# Triage reasons quote the patient's words in “…”; e-mails leave them out.
QUOTED = re.compile(r"\s*\(?“[^”]*”(?:,\s*“[^”]*”)*\)?")


def reasons_without_quotes(reasons: list[str]) -> list[str]:
    return [QUOTED.sub("", reason).replace(":.", ".") for reason in reasons]


def _locked(inquiry_id: int):
    from inquiries.models import Inquiry

    return Inquiry.objects.select_for_update().filter(pk=inquiry_id).first()


@task()
def send_inquiry_confirmation(inquiry_id: int) -> None:
    """Tell the sender we have their inquiry and its reference; nothing about their health."""
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        if inquiry is None or inquiry.confirmation_sent_at is not None:
            return
        language = inquiry.contact_language if inquiry.contact_language in ("de", "en") else inquiry.language
        with translation.override(language):
            context = {"reference": inquiry.reference, "site_url": settings.SITE_URL}
            subject = render_to_string("inquiries/email/confirmation_subject.txt", context).strip()
            body = render_to_string("inquiries/email/confirmation.txt", context)
        send_mail(subject, body, None, [inquiry.email])
        inquiry.confirmation_sent_at = timezone.now()
        inquiry.save(update_fields=["confirmation_sent_at"])


@task(priority=10)
def notify_oncall_of_urgent_inquiry(inquiry_id: int) -> None:
    """Tell the on-call staff that an urgent inquiry is waiting, without the patient's details."""
    recipients = list(settings.TRIAGE_ONCALL_EMAILS)
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        if inquiry is None or inquiry.oncall_notified_at is not None or not recipients:
            return
        context = {
            "reference": inquiry.reference,
            "priority": inquiry.priority,
            "reasons": reasons_without_quotes(inquiry.triage_reasons),
            "admin_url": settings.SITE_URL + reverse("admin:inquiries_inquiry_change", args=[inquiry.pk]),
        }
        with translation.override(settings.LANGUAGE_CODE):
            subject = render_to_string("inquiries/email/urgent_subject.txt", context).strip()
            body = render_to_string("inquiries/email/urgent.txt", context)
        send_mail(subject, body, None, recipients)
        inquiry.oncall_notified_at = timezone.now()
        inquiry.save(update_fields=["oncall_notified_at"])

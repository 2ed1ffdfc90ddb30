"""E-mails about an inquiry, run by the task worker (`make worker`). Each is sent at most once.

They are enqueued inside the submission's transaction (django-tasks-db stores them in the same
database), so an inquiry and its e-mails are saved together or not at all. Neither e-mail holds
health data: the sender's gets the reference; staff get the reference, the priority, the
first-response deadline, how many triage reasons there are, and a link to the admin. The reasons
themselves ("tumour type given: …", "metastases are known") are health data and stay in the
admin, one click away.

Django's tasks do not retry. `_deliver` does: a failed send is recorded on the inquiry's
`Notification` row (the error's class name only) and the same task is enqueued again with
`run_after` (back-off from settings), in the same transaction, until
`TRIAGE_NOTIFICATION_MAX_ATTEMPTS`; then the row says "failed" and the admin and the dashboard
show it. The inquiry row is locked while sending, and the sent time is committed with it, so a
retried or duplicated job finds it sent and does nothing. If the database fails after the mail
server took the e-mail but before the commit, the worker records the sent time once the database
is back (`record_accepted_sends`), before the job can run again.

These are plain Django tasks: which backend and worker run them is `inquiries/worker.py`'s business.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

logger = logging.getLogger(__name__)


def _locked(inquiry_id: int):
    from inquiries.models import Inquiry

    return Inquiry.objects.select_for_update().filter(pk=inquiry_id).first()


def retry_delay(attempt: int) -> timedelta:
    """Exponential back-off: the base delay, doubled after each failed attempt."""
    return timedelta(seconds=settings.TRIAGE_NOTIFICATION_RETRY_SECONDS * 2 ** (attempt - 1))


def _admin_url(inquiry) -> str:
    return settings.SITE_URL + reverse("admin:inquiries_inquiry_change", args=[inquiry.pk])


def _deliver(*, this_task, kind: str, sent_field: str, inquiry_id: int, attempt: int, message, due=None) -> None:
    """Send one e-mail about an inquiry once, retrying later if the mail server fails.

    By default it is due until `sent_field` is set. E-mails that can be asked for again (a new
    follow-up link, a message waiting) pass `due`: asked for after the last one was sent.
    """
    from inquiries.models import Notification

    # Every writer of an inquiry's notification rows holds the inquiry's row lock first, so the
    # notification row itself needs no lock: it is written once, by an upsert (few round trips
    # per e-mail is what lets one worker send a hundred a second).
    with transaction.atomic():
        inquiry = _locked(inquiry_id)
        if inquiry is None:
            return
        if not (due(inquiry) if due is not None else getattr(inquiry, sent_field) is None):
            return
        content = message(inquiry)
        if content is None:
            return
        subject, body, recipients = content
        try:
            send_mail(subject, body, None, recipients)
        except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried
            if attempt >= settings.TRIAGE_NOTIFICATION_MAX_ATTEMPTS:
                status = Notification.Status.FAILED
                logger.error("Giving up %s e-mail for inquiry %s: %s", kind, inquiry.reference, type(error).__name__)
            else:
                status = Notification.Status.RETRYING
                this_task.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                    inquiry_id=inquiry_id, attempt=attempt + 1
                )
                logger.warning("Retrying %s e-mail for inquiry %s: %s", kind, inquiry.reference, type(error).__name__)
            # The class name only: a mail error can echo the addresses or the text.
            error_class = f"{type(error).__module__}.{type(error).__qualname__}"[:200]
            _notification_save(
                inquiry_id=inquiry_id, kind=kind, status=status, attempts=attempt, last_error=error_class
            )
            return
        now = timezone.now()
        # The mail server has it. Should the database fail before this commits, the worker records
        # it after the outage (record_accepted_sends) instead of letting a retry send it again.
        _accepted.sends = [(inquiry_id, kind, sent_field, attempt, now)]
        _record_sent(inquiry=inquiry, kind=kind, sent_field=sent_field, attempts=attempt, now=now)


def _notification_save(*, inquiry_id: int, kind: str, status: str, attempts: int, last_error="", sent_at=None):
    """Insert or update the delivery state of one e-mail in one statement (the caller holds the inquiry's lock)."""
    from inquiries.models import Notification

    row = Notification(
        inquiry_id=inquiry_id,
        kind=kind,
        status=status,
        attempts=attempts,
        last_error=last_error,
        sent_at=sent_at,
        updated_at=timezone.now(),
    )
    Notification.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["inquiry", "kind"],
        update_fields=["status", "attempts", "last_error", "sent_at", "updated_at"],
    )


def _record_sent(*, inquiry, kind: str, sent_field: str, attempts: int, now) -> None:
    from inquiries.models import Notification

    setattr(inquiry, sent_field, now)
    inquiry.save(update_fields=[sent_field])
    _notification_save(
        inquiry_id=inquiry.pk, kind=kind, status=Notification.Status.SENT, attempts=attempts, sent_at=now
    )


# The e-mail this thread handed to the mail server whose sent time has not been committed yet.
_accepted = threading.local()


def forget_accepted_sends() -> None:
    """The job's transaction committed (or is about to start): nothing is waiting to be recorded."""
    _accepted.sends = []


def record_accepted_sends() -> bool:
    """Record e-mails the mail server took before the database failed; True if there were any.

    Called by the worker inside a transaction, after the outage and before the job could run
    again, so the retry finds the e-mail sent.
    """
    sends = getattr(_accepted, "sends", [])
    for inquiry_id, kind, sent_field, attempts, sent_at in sends:
        inquiry = _locked(inquiry_id)
        recorded = None if inquiry is None else getattr(inquiry, sent_field)
        if inquiry is None or (recorded is not None and recorded >= sent_at):
            continue
        _record_sent(inquiry=inquiry, kind=kind, sent_field=sent_field, attempts=attempts, now=sent_at)
        logger.warning("Recorded a %s e-mail for inquiry %s sent before a database outage", kind, inquiry.reference)
    return bool(sends)


def _patient_context(inquiry) -> dict:
    """What an e-mail to the sender may hold: the reference, a fresh personal link, our next answer."""
    from inquiries import links
    from inquiries.services import promise_text, response_due

    due = response_due(inquiry)
    return {
        "reference": inquiry.reference,
        "site_url": settings.SITE_URL,
        "follow_up_url": links.url_for(inquiry),
        "link_days": settings.INQUIRY_FOLLOW_UP_LINK_DAYS,
        "response_due": promise_text(due) if due else "",
    }


def _to_patient(inquiry, template: str):
    if not inquiry.email or inquiry.anonymised_at is not None:
        return None  # anonymised or erased meanwhile
    with translation.override(inquiry.patient_language):
        context = _patient_context(inquiry)
        subject = render_to_string(f"inquiries/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"inquiries/email/{template}.txt", context)
    return subject, body, [inquiry.email]


def _confirmation(inquiry):
    return _to_patient(inquiry, "confirmation")


def _staff_context(inquiry):
    return {
        "reference": inquiry.reference,
        "priority": inquiry.priority,
        "reason_count": len(inquiry.triage_reasons),
        "deadline": formats.date_format(timezone.localtime(inquiry.deadline), "DATETIME_FORMAT"),
        "admin_url": _admin_url(inquiry),
    }


def _oncall(inquiry):
    recipients = list(settings.TRIAGE_ONCALL_EMAILS)
    if not recipients:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        context = _staff_context(inquiry)
        subject = render_to_string("inquiries/email/urgent_subject.txt", context).strip()
        body = render_to_string("inquiries/email/urgent.txt", context)
    return subject, body, recipients


def _escalation(inquiry):
    recipients = list(settings.TRIAGE_ESCALATION_EMAILS)
    if not recipients or inquiry.first_response_at is not None:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        context = _staff_context(inquiry)
        subject = render_to_string("inquiries/email/escalation_subject.txt", context).strip()
        body = render_to_string("inquiries/email/escalation.txt", context)
    return subject, body, recipients


@task()
def send_inquiry_confirmation(inquiry_id: int, attempt: int = 1) -> None:
    """Tell the sender we have their inquiry and its reference; nothing about their health."""
    _deliver(
        this_task=send_inquiry_confirmation,
        kind="confirmation",
        sent_field="confirmation_sent_at",
        inquiry_id=inquiry_id,
        attempt=attempt,
        message=_confirmation,
    )


@task(priority=10)
def notify_oncall_of_urgent_inquiry(inquiry_id: int, attempt: int = 1) -> None:
    """Tell the on-call staff that an urgent inquiry is waiting, without the patient's details."""
    _deliver(
        this_task=notify_oncall_of_urgent_inquiry,
        kind="oncall",
        sent_field="oncall_notified_at",
        inquiry_id=inquiry_id,
        attempt=attempt,
        message=_oncall,
    )


@task(priority=10)
def notify_escalation(inquiry_id: int, attempt: int = 1) -> None:
    """Tell the escalation addresses that an urgent or high inquiry passed its deadline unanswered."""
    _deliver(
        this_task=notify_escalation,
        kind="escalation",
        sent_field="escalation_sent_at",
        inquiry_id=inquiry_id,
        attempt=attempt,
        message=_escalation,
    )


@task()
def send_follow_up_link(inquiry_id: int, attempt: int = 1) -> None:
    """Send a fresh follow-up link that the sender asked for (reference and address matched)."""
    _deliver(
        this_task=send_follow_up_link,
        kind="follow_up_link",
        sent_field="follow_up_link_sent_at",
        inquiry_id=inquiry_id,
        attempt=attempt,
        message=lambda inquiry: _to_patient(inquiry, "follow_up_link"),
        due=lambda inquiry: _asked_after_sent(inquiry.follow_up_link_requested_at, inquiry.follow_up_link_sent_at),
    )


@task(priority=5)
def notify_patient_of_message(inquiry_id: int, attempt: int = 1) -> None:
    """Tell the sender that a message or a request waits on the follow-up page; never what it says."""
    _deliver(
        this_task=notify_patient_of_message,
        kind="patient_message",
        sent_field="patient_notified_at",
        inquiry_id=inquiry_id,
        attempt=attempt,
        message=lambda inquiry: _to_patient(inquiry, "message_waiting"),
        due=lambda inquiry: _asked_after_sent(inquiry.staff_message_at, inquiry.patient_notified_at),
    )


def _asked_after_sent(asked, sent) -> bool:
    return asked is not None and (sent is None or sent < asked)


@task()
def triage_tick(interval_seconds: int = 300) -> None:
    """The periodic check, as a task that schedules its own next run (see docs/triage-workspace.md)."""
    from inquiries.services import inquiries_escalate_overdue
    from inquiries.worker import schedule_triage_tick, tasks_recover_stalled

    try:
        inquiries_escalate_overdue()
        tasks_recover_stalled()
    finally:
        # Even after an error (a database hiccup), the next check is scheduled: the chain never ends.
        schedule_triage_tick(interval_seconds=interval_seconds, delay=timedelta(seconds=interval_seconds))

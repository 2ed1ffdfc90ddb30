"""The follow-up page's writes: links, the patient's replies (re-triaged), and staff messages.

Keyword-only, atomic, each writing the access log, like inquiries/services.py; kept apart because
it is one concern (docs/inquiries.md, "Follow-up page"). The patient is not a user: their entries
carry the actor "patient" and the client address.
"""

import logging
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from inquiries import checklists, triage
from inquiries.models import (
    REFERENCE_ALPHABET,
    AccessLogEntry,
    Attachment,
    Inquiry,
    InquiryMessage,
    PriorityOverride,
    new_follow_up_key,
)
from inquiries.services import (
    ALLOWED_TRANSITIONS,
    TriageError,
    _delete,
    _locked,
    _refresh,
    access_log_record,
    printable_name,
    triage_answers,
)
from inquiries.tasks import notify_oncall_of_urgent_inquiry, notify_patient_of_message, send_follow_up_link

logger = logging.getLogger(__name__)

PATIENT = AccessLogEntry.Actor.PATIENT
# A second request for a link within this many minutes sends nothing more (no mail bombing).
LINK_REQUEST_QUIET_MINUTES = 10
PRIORITY_ORDER = {priority: rank for rank, priority in enumerate(Inquiry.Priority.values)}  # urgent = 0


class FollowUpError(TriageError):
    """The reply or the message cannot be saved; the message says why, for the person who wrote it."""


def normalise_reference(value: str) -> str:
    """ "k7qm 3xwd-p9rt" → "K7QM-3XWD-P9RT"; anything that cannot be a reference → ""."""
    characters = re.sub(r"[\s-]", "", value or "").upper()
    if len(characters) != 12 or any(character not in REFERENCE_ALPHABET for character in characters):
        return ""
    return "-".join(characters[i : i + 4] for i in range(0, 12, 4))


def follow_up_link_request(*, reference: str, email: str, ip_address: str | None = None) -> bool:
    """E-mail a fresh follow-up link if the reference and the address belong together.

    The caller answers the same either way (nobody learns whether a pair exists); the return
    value is for tests. Links sent before stay valid until they expire or staff revoke them.
    """
    reference = normalise_reference(reference)
    email = (email or "").strip()
    if not reference or not email:
        return False
    inquiry = Inquiry.objects.filter(reference=reference, anonymised_at__isnull=True).for_email(email).first()
    if inquiry is None:
        return False
    now = timezone.now()
    with transaction.atomic():
        locked = _locked(inquiry)
        last = locked.follow_up_link_requested_at
        if last is not None and (now - last).total_seconds() < LINK_REQUEST_QUIET_MINUTES * 60:
            return True
        locked.follow_up_link_requested_at = now
        locked.save(update_fields=["follow_up_link_requested_at"])
        send_follow_up_link.enqueue(inquiry_id=locked.pk)
        access_log_record(
            inquiry=locked,
            user=None,
            actor=PATIENT,
            action=AccessLogEntry.Action.CHANGE,
            detail="new follow-up link requested",
            ip_address=ip_address,
        )
    return True


def follow_up_links_revoke(*, inquiry: Inquiry, by, ip_address: str | None = None) -> Inquiry:
    """Make every follow-up link sent so far useless (a new key); the sender can ask for a new one."""
    with transaction.atomic():
        locked = _locked(inquiry)
        locked.follow_up_key = new_follow_up_key()
        locked.follow_up_revoked_at = timezone.now()
        locked.save(update_fields=["follow_up_key", "follow_up_revoked_at"])
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail="follow-up links revoked",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return inquiry


def follow_up_view_record(*, inquiry: Inquiry, detail: str = "follow-up page", ip_address: str | None = None) -> None:
    """Log that the patient looked at the follow-up page (or opened a link to it)."""
    access_log_record(
        inquiry=inquiry,
        user=None,
        actor=PATIENT,
        action=AccessLogEntry.Action.VIEW,
        detail=detail,
        ip_address=ip_address,
    )


def follow_up_reply(
    *,
    inquiry: Inquiry,
    text: str = "",
    documents: list = (),
    documents_sent: list[str] = (),
    ip_address: str | None = None,
) -> InquiryMessage:
    """Save the patient's message and documents with the inquiry, and put it back before the staff.

    `documents` holds (uploaded file, uploads.CheckedFile) pairs, checked by the form against the
    limits counting what was sent before (checked here again under the row lock). The inquiry is
    marked "patient replied" (top of its priority group in the queue), an "awaiting documents"
    inquiry goes back to "in triage" when documents arrive, and a message is re-triaged
    (`retriage`): the priority can rise, never fall.
    """
    from django.conf import settings

    text = (text or "").strip()
    if not text and not documents:
        raise FollowUpError(_("Please write a message or choose a document."))
    stored_files = []
    try:
        with transaction.atomic():
            locked = _locked(inquiry)
            if not locked.is_open or locked.anonymised_at is not None:
                raise FollowUpError(_("This inquiry is closed. Please send a new inquiry."))
            previous = list(locked.attachments.values_list("size", flat=True))
            if (
                len(previous) + len(documents) > settings.INQUIRY_UPLOAD_MAX_FILES
                or sum(previous) + sum(checked.size for _, checked in documents)
                > settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES
            ):
                raise FollowUpError(_("These documents are more than we can accept for one inquiry."))
            now = timezone.now()
            message = InquiryMessage.objects.create(
                inquiry=locked, author_kind=InquiryMessage.AuthorKind.PATIENT, text=text
            )
            for uploaded, checked in documents:
                attachment = Attachment(
                    inquiry=locked,
                    message=message,
                    original_name=printable_name(uploaded.name),
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                )
                attachment.file.save(uploaded.name, uploaded, save=False)
                stored_files.append(attachment.file)
                attachment.save()
                access_log_record(
                    inquiry=locked,
                    user=None,
                    actor=PATIENT,
                    action=AccessLogEntry.Action.UPLOAD,
                    detail=f"document {attachment.pk}",
                    ip_address=ip_address,
                )
            if text:
                access_log_record(
                    inquiry=locked,
                    user=None,
                    actor=PATIENT,
                    action=AccessLogEntry.Action.MESSAGE,
                    detail=f"message {message.pk}",
                    ip_address=ip_address,
                )
            fields = ["patient_replied_at"]
            # The first unanswered reply keeps its place: the queue serves the longest waiting first.
            locked.patient_replied_at = locked.patient_replied_at or now
            if documents:
                locked.patient_documents_at = locked.patient_documents_at or now
                # The checklist's `satisfies` links count (the graded report is also the histology).
                locked.document_checklist = checklists.mark_sent(locked.document_checklist, documents_sent)
                fields += ["patient_documents_at", "document_checklist"]
                if locked.status == Inquiry.Status.AWAITING_DOCUMENTS:
                    locked.status = Inquiry.Status.IN_TRIAGE
                    locked.status_changed_at = now
                    fields += ["status", "status_changed_at"]
                    access_log_record(
                        inquiry=locked,
                        user=None,
                        action=AccessLogEntry.Action.CHANGE,
                        detail="status: awaiting_documents → in_triage (documents received)",
                    )
            locked.save(update_fields=fields)
            if text:
                retriage(inquiry=locked, message=message)
    except BaseException:
        _delete(stored_files)
        raise
    _refresh(inquiry, locked)
    return message


def retriage(*, inquiry: Inquiry, message: InquiryMessage) -> PriorityOverride | None:
    """Assess the original answers together with every message of the patient; raise, never lower.

    Runs inside the reply's transaction on a locked inquiry. A higher result is recorded as an
    automatic override whose reason quotes what the new words triggered; an urgent one sends the
    on-call alert through the outbox (once per inquiry, as on arrival).
    """
    answers = triage_answers(inquiry)
    earlier_replies = list(
        inquiry.messages.filter(author_kind=InquiryMessage.AuthorKind.PATIENT)
        .exclude(pk=message.pk)
        .values_list("text", flat=True)
    )
    before = triage.assess({**answers, "message": _joined(inquiry.message, *earlier_replies)})
    assessment = triage.assess({**answers, "message": _joined(inquiry.message, *earlier_replies, message.text)})
    # Only the new words can raise it: the reasons they add (quoting them) must be new, so a
    # priority staff lowered on purpose is not raised again by the answers they already weighed.
    new_reasons = [reason for reason in assessment.reasons[1:] if reason not in before.reasons]
    if not new_reasons or PRIORITY_ORDER[assessment.priority] >= PRIORITY_ORDER[inquiry.priority]:
        return None
    reason = "Automatic re-triage of the patient's message of {when}: {reasons}".format(
        when=timezone.localtime(message.created_at).strftime("%Y-%m-%d %H:%M"), reasons=" ".join(new_reasons)
    )[:2000]
    old = inquiry.priority
    override = PriorityOverride.objects.create(
        inquiry=inquiry, from_priority=old, to_priority=assessment.priority, reason=reason, automatic=True
    )
    inquiry.priority = assessment.priority
    inquiry.save(update_fields=["priority"])
    access_log_record(
        inquiry=inquiry,
        user=None,
        action=AccessLogEntry.Action.CHANGE,
        detail=f"priority: {old} → {assessment.priority} (automatic re-triage)",
    )
    if assessment.priority == Inquiry.Priority.URGENT and inquiry.oncall_notified_at is None:
        notify_oncall_of_urgent_inquiry.enqueue(inquiry_id=inquiry.pk)
    logger.warning("Inquiry %s raised to %s by automatic re-triage", inquiry.reference, assessment.priority)
    return override


def _joined(*texts: str) -> str:
    # A blank line between the texts: the rules' clauses (and negations) end at a line break.
    return "\n\n".join(text for text in texts if text)


def follow_up_message_send(
    *, inquiry: Inquiry, text: str = "", requested_documents: list[str] = (), by, ip_address: str | None = None
) -> InquiryMessage:
    """Write to the patient on the follow-up page, optionally asking for missing documents.

    The patient gets an e-mail that a message is waiting (never its text). A request moves the
    inquiry to "awaiting documents"; a first message to a new inquiry moves it to "contacted";
    both count as the first response. Answering clears "patient replied".
    """
    text = (text or "").strip()
    requested_documents = list(dict.fromkeys(requested_documents))
    if not text and not requested_documents:
        raise TriageError(_("Write a message or choose the documents to ask for."))
    with transaction.atomic():
        locked = _locked(inquiry)
        if not locked.is_open:
            raise TriageError(_("%(reference)s is closed.") % {"reference": locked.reference})
        missing = {item.get("code") for item in locked.missing_documents}
        if set(requested_documents) - missing:
            raise TriageError(_("Ask only for documents that are still missing."))
        now = timezone.now()
        message = InquiryMessage.objects.create(
            inquiry=locked,
            author_kind=InquiryMessage.AuthorKind.STAFF,
            author=by,
            text=text,
            requested_documents=requested_documents,
        )
        old = locked.status
        target = Inquiry.Status.AWAITING_DOCUMENTS if requested_documents else None
        if target is None and old == Inquiry.Status.NEW:
            target = Inquiry.Status.CONTACTED
        if target is not None and target != old and target in ALLOWED_TRANSITIONS[old]:
            locked.status = target
            locked.status_changed_at = now
        if locked.first_response_at is None:
            locked.first_response_at = now
        locked.staff_message_at = now
        locked.patient_replied_at = None
        locked.patient_documents_at = None
        locked.save(
            update_fields=[
                "status",
                "status_changed_at",
                "first_response_at",
                "staff_message_at",
                "patient_replied_at",
                "patient_documents_at",
            ]
        )
        notify_patient_of_message.enqueue(inquiry_id=locked.pk)
        detail = f"message to the patient ({len(requested_documents)} documents asked for)"
        if locked.status != old:
            detail += f"; status: {old} → {locked.status}"
        access_log_record(
            inquiry=locked, user=by, action=AccessLogEntry.Action.MESSAGE, detail=detail, ip_address=ip_address
        )
    _refresh(inquiry, locked)
    return message


def follow_up_reply_acknowledge(*, inquiry: Inquiry, by, ip_address: str | None = None) -> Inquiry:
    """Mark the patient's reply as seen without answering (e.g. documents that need no answer)."""
    with transaction.atomic():
        locked = _locked(inquiry)
        if locked.patient_replied_at is None:
            raise TriageError(_("%(reference)s has no unanswered reply.") % {"reference": locked.reference})
        locked.patient_replied_at = None
        locked.patient_documents_at = None
        locked.save(update_fields=["patient_replied_at", "patient_documents_at"])
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail="patient's reply marked as seen",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return inquiry

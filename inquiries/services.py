"""Writes with consequences: submitting an inquiry, and the staff's triage work on it.

Every function is keyword-only, runs in one transaction and writes an access-log row; views,
admin actions and commands call these and add no logic of their own.
"""

import io
import json
import logging
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from hospitals.models import Hospital
from inquiries import checklists, triage
from inquiries.models import (
    AccessLogEntry,
    Attachment,
    ContactLogEntry,
    Inquiry,
    Note,
    PriorityOverride,
)
from inquiries.tasks import notify_escalation, notify_oncall_of_urgent_inquiry, send_inquiry_confirmation

logger = logging.getLogger(__name__)


def triage_answers(inquiry: Inquiry) -> dict:
    """The plain mapping `triage.assess` reads (keys documented in docs/triage.md)."""
    answers = {
        key: getattr(inquiry, key)
        for key in (
            "diagnosis",
            "previous_treatments",
            "message",
            "is_cancer",
            "tumour_type",
            "metastases",
            "doctor_two_week_start",
            "symptoms_worsening",
            "treatment_interrupted",
        )
    }
    answers["requested_treatment"] = inquiry.requested_treatment.slug if inquiry.requested_treatment else ""
    answers["preferred_hospital"] = inquiry.preferred_hospital.slug if inquiry.preferred_hospital else ""
    answers["preferred_hospital_admission"] = (
        Hospital.objects.with_current_status()
        .filter(pk=inquiry.preferred_hospital_id)
        .values_list("current_effective_status", flat=True)
        .first()
        if inquiry.preferred_hospital_id
        else ""
    )
    return answers


def inquiry_submit(*, answers: dict, documents: list, submission_token: str, language: str) -> tuple[Inquiry, bool]:
    """Save the inquiry, its documents and its triage in one transaction and schedule its e-mails.

    `documents` holds (uploaded file, uploads.CheckedFile) pairs. Returns the inquiry and whether
    it is new: a second submission with the same token returns the first inquiry unchanged.
    """
    existing = Inquiry.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    stored_files = []
    try:
        with transaction.atomic():
            inquiry = Inquiry(**answers, submission_token=submission_token, language=language)
            assessment = triage.assess(triage_answers(inquiry))
            inquiry.priority = assessment.priority
            inquiry.triage_priority = assessment.priority
            inquiry.triage_reasons = assessment.reasons
            inquiry.document_checklist = checklists.checklist_for(
                is_oncology=assessment.is_oncology,
                tumour_type=inquiry.tumour_type,
                treatment_slug=answers.get("requested_treatment").slug if answers.get("requested_treatment") else "",
                sent=list(inquiry.documents_sent),
            )
            inquiry.save()
            for uploaded, checked in documents:
                attachment = Attachment(
                    inquiry=inquiry,
                    original_name=printable_name(uploaded.name),
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                )
                attachment.file.save(uploaded.name, uploaded, save=False)
                stored_files.append(attachment.file)
                attachment.save()
            _schedule_emails(inquiry)
    except IntegrityError:
        _delete(stored_files)
        # Two posts of the same form at the same moment: the other one won.
        existing = Inquiry.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
        raise
    except BaseException:
        _delete(stored_files)
        raise
    return inquiry, True


def printable_name(name: str) -> str:
    """The sender's file name without control characters (PostgreSQL refuses NUL), for staff."""
    return "".join(character for character in name if character.isprintable())[:255] or "document"


def _schedule_emails(inquiry: Inquiry) -> None:
    """Enqueue the e-mails in the inquiry's own transaction (the task rows are its outbox).

    If scheduling fails, the inquiry is still saved and flagged for follow-up by hand.
    """
    try:
        with transaction.atomic():
            send_inquiry_confirmation.enqueue(inquiry_id=inquiry.pk)
            if inquiry.priority == Inquiry.Priority.URGENT:
                notify_oncall_of_urgent_inquiry.enqueue(inquiry_id=inquiry.pk)
    except Exception as error:  # noqa: BLE001 - any failure to schedule must not lose the inquiry
        # The class name only: an exception message can quote the patient's answers.
        logger.error("Could not schedule e-mails for inquiry %s: %s", inquiry.reference, type(error).__name__)
        inquiry.needs_follow_up = True
        inquiry.save(update_fields=["needs_follow_up"])


def _delete(files) -> None:
    for stored in files:
        stored.storage.delete(stored.name)


def response_due(inquiry: Inquiry):
    """When the sender can expect our next answer: the staff's own deadline (`with_deadline`).

    The confirmation page, its e-mail and the follow-up page all show this, so what we promise is
    what staff work to (one setting, TRIAGE_FIRST_RESPONSE_HOURS). None when nothing is owed.
    """
    if hasattr(inquiry, "next_answer_due"):  # read with `with_deadline()` already (the e-mail tasks)
        return inquiry.next_answer_due
    return Inquiry.objects.with_deadline().filter(pk=inquiry.pk).values_list("next_answer_due", flat=True).first()


def promise_text(due) -> str:
    """The time we promise to answer by, as the sender reads it: German time, in the active language."""
    # The weekday helps a worried reader more than the date alone; the rest is the language's own
    # format ("Thursday, 3 December 2026, 14:30", "Donnerstag, 3. Dezember 2026 14:30").
    local = timezone.localtime(due)
    return f"{formats.date_format(local, 'l')}, {formats.date_format(local, 'DATETIME_FORMAT')}"


# --- Staff triage work (issue 6) ---------------------------------------------------------------


class TriageError(Exception):
    """A rule of the workflow refused the change; the message is for the staff member."""


class AssignmentConflict(TriageError):
    """Someone else took the inquiry first."""


# The workflow: new → in triage → contacted → awaiting documents → referred → closed. Staff may
# skip ahead (a first call can settle everything) and go back between the working states.
WORKING = [
    Inquiry.Status.IN_TRIAGE,
    Inquiry.Status.CONTACTED,
    Inquiry.Status.AWAITING_DOCUMENTS,
    Inquiry.Status.REFERRED,
]
ALLOWED_TRANSITIONS = {
    Inquiry.Status.NEW: {*WORKING},
    **{status: {*WORKING} - {status} for status in WORKING},
    Inquiry.Status.CLOSED: set(),
}


def access_log_record(
    *, inquiry, user, action: str, detail: str = "", ip_address: str | None = None, actor: str | None = None
) -> AccessLogEntry:
    """Append one row to the access log. `detail` must never hold health data.

    The actor is the staff member when `user` is one, "patient" for the follow-up page (pass
    `actor=AccessLogEntry.Actor.PATIENT`), otherwise the system.
    """
    is_user = user is not None and user.is_authenticated
    if actor is None:
        actor = AccessLogEntry.Actor.STAFF if is_user else AccessLogEntry.Actor.SYSTEM
    return AccessLogEntry.objects.create(
        inquiry=inquiry,
        reference=inquiry.reference if inquiry is not None else "",
        user=user if is_user else None,
        username=user.get_username() if is_user else str(actor),
        actor=actor,
        action=action,
        detail=detail[:300],
        ip_address=ip_address,
    )


def access_log_record_many(*, inquiries, user, action: str, detail: str = "", ip_address: str | None = None) -> int:
    """The same entry for many inquiries in one query (exports)."""
    entries = [
        AccessLogEntry(
            inquiry=inquiry,
            reference=inquiry.reference,
            user=user,
            username=user.get_username(),
            action=action,
            detail=detail[:300],
            ip_address=ip_address,
        )
        for inquiry in inquiries
    ]
    return len(AccessLogEntry.objects.bulk_create(entries))


def _locked(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.select_for_update().get(pk=inquiry.pk)


def _refresh(inquiry: Inquiry, locked: Inquiry) -> None:
    """Let the caller's instance see what was saved."""
    for field in locked._meta.concrete_fields:
        setattr(inquiry, field.attname, getattr(locked, field.attname))


def inquiry_assign(*, inquiry: Inquiry, assignee, by, replace: bool = False, ip_address: str | None = None) -> Inquiry:
    """Give the inquiry to `assignee`. Without `replace`, only an unassigned one: the first wins.

    PostgreSQL locks the row (select_for_update) so the second request waits and then sees the
    owner; on SQLite the lock is a no-op, and the conditional UPDATE … WHERE assigned_to IS NULL
    decides (atomic on both). The loser gets AssignmentConflict naming the owner.
    """
    with transaction.atomic():
        locked = _locked(inquiry)
        if not locked.is_open:
            raise TriageError(_("A closed inquiry cannot be assigned."))
        if locked.assigned_to_id == assignee.pk:
            _refresh(inquiry, locked)
            return inquiry
        now = timezone.now()
        rows = Inquiry.objects.filter(pk=locked.pk)
        if not replace:
            rows = rows.filter(assigned_to__isnull=True)
        if not rows.update(assigned_to=assignee, assigned_at=now):
            owner = Inquiry.objects.filter(pk=locked.pk).values_list("assigned_to__username", flat=True).first()
            raise AssignmentConflict(
                _("%(reference)s is already assigned to %(owner)s.") % {"reference": locked.reference, "owner": owner}
            )
        previous = locked.assigned_to.get_username() if locked.assigned_to_id else "-"
        locked.refresh_from_db()
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"assigned: {previous} → {assignee.get_username()}",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return inquiry


def _leave_new(locked: Inquiry, now) -> None:
    if locked.first_response_at is None:
        locked.first_response_at = now


def inquiry_change_status(*, inquiry: Inquiry, status: str, by, ip_address: str | None = None) -> Inquiry:
    """Move the inquiry along the workflow; the first move out of "new" records the first response."""
    if status == Inquiry.Status.CLOSED:
        raise TriageError(_("Close an inquiry with a closing reason."))
    with transaction.atomic():
        locked = _locked(inquiry)
        if status not in ALLOWED_TRANSITIONS[locked.status]:
            raise TriageError(
                _("%(reference)s cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "reference": locked.reference,
                    "old": locked.get_status_display(),
                    "new": Inquiry.Status(status).label,
                }
            )
        old = locked.status
        locked.status = status
        locked.status_changed_at = timezone.now()
        _leave_new(locked, locked.status_changed_at)
        locked.save(update_fields=["status", "status_changed_at", "first_response_at"])
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"status: {old} → {status}",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return inquiry


def inquiry_close(*, inquiry: Inquiry, reason: str, by, ip_address: str | None = None) -> Inquiry:
    """Close the inquiry with one of the closing reasons."""
    if reason not in Inquiry.ClosingReason.values:
        raise TriageError(_("Choose a closing reason."))
    with transaction.atomic():
        locked = _locked(inquiry)
        if not locked.is_open:
            raise TriageError(_("%(reference)s is already closed.") % {"reference": locked.reference})
        old = locked.status
        now = timezone.now()
        locked.status = Inquiry.Status.CLOSED
        locked.closing_reason = reason
        locked.closed_at = now
        locked.status_changed_at = now
        _leave_new(locked, now)
        locked.save(update_fields=["status", "closing_reason", "closed_at", "status_changed_at", "first_response_at"])
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"status: {old} → closed ({reason})",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return inquiry


def inquiry_follow_up_done(*, inquiry: Inquiry, by, ip_address: str | None = None) -> Inquiry:
    """Clear "needs follow-up" once staff have contacted the sender by hand."""
    with transaction.atomic():
        locked = _locked(inquiry)
        if not locked.needs_follow_up:
            raise TriageError(_("%(reference)s needs no follow-up.") % {"reference": locked.reference})
        locked.needs_follow_up = False
        locked.save(update_fields=["needs_follow_up"])
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail="follow-up done",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return inquiry


def inquiry_override_priority(
    *, inquiry: Inquiry, priority: str, reason: str, by, ip_address: str | None = None
) -> PriorityOverride:
    """Change the working priority with a reason; the automatic triage (`triage_priority`) stays."""
    reason = (reason or "").strip()
    if not reason:
        raise TriageError(_("Say why the priority changes."))
    if priority not in Inquiry.Priority.values:
        raise TriageError(_("Choose a priority."))
    with transaction.atomic():
        locked = _locked(inquiry)
        if locked.priority == priority:
            raise TriageError(_("%(reference)s already has this priority.") % {"reference": locked.reference})
        override = PriorityOverride.objects.create(
            inquiry=locked, from_priority=locked.priority, to_priority=priority, reason=reason, created_by=by
        )
        old = locked.priority
        locked.priority = priority
        locked.save(update_fields=["priority"])
        access_log_record(
            inquiry=locked,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"priority: {old} → {priority}",
            ip_address=ip_address,
        )
    _refresh(inquiry, locked)
    return override


def note_add(*, inquiry: Inquiry, text: str, by, ip_address: str | None = None) -> Note:
    """Add an internal note. The log records that a note was written, never its text."""
    text = (text or "").strip()
    if not text:
        raise TriageError(_("The note is empty."))
    with transaction.atomic():
        note = Note.objects.create(inquiry=inquiry, text=text, author=by)
        access_log_record(
            inquiry=inquiry, user=by, action=AccessLogEntry.Action.CHANGE, detail="note added", ip_address=ip_address
        )
    return note


def contact_log_add(
    *, inquiry: Inquiry, channel: str, outcome: str, summary: str = "", by, ip_address: str | None = None
) -> ContactLogEntry:
    """Record one attempt to reach the sender."""
    if channel not in ContactLogEntry.Channel.values or outcome not in ContactLogEntry.Outcome.values:
        raise TriageError(_("Choose a channel and an outcome."))
    with transaction.atomic():
        entry = ContactLogEntry.objects.create(
            inquiry=inquiry, channel=channel, outcome=outcome, summary=(summary or "").strip(), created_by=by
        )
        access_log_record(
            inquiry=inquiry,
            user=by,
            action=AccessLogEntry.Action.CHANGE,
            detail=f"contact: {channel}, {outcome}",
            ip_address=ip_address,
        )
    return entry


def inquiries_escalate_overdue(*, now=None) -> list[str]:
    """Escalate every urgent or high inquiry past its deadline without a first response, once.

    Marks it escalated and enqueues the e-mail in one transaction (the outbox); returns the
    references. Safe to run from several places at once: the conditional update decides.
    """
    now = now or timezone.now()
    escalated = []
    for pk, reference in Inquiry.objects.awaiting_escalation(now).values_list("pk", "reference"):
        with transaction.atomic():
            if not Inquiry.objects.filter(pk=pk, escalated_at__isnull=True).update(escalated_at=now):
                continue
            notify_escalation.enqueue(inquiry_id=pk)
            inquiry = Inquiry.objects.get(pk=pk)
            access_log_record(
                inquiry=inquiry, user=None, action=AccessLogEntry.Action.CHANGE, detail="escalated: deadline passed"
            )
        escalated.append(reference)
    if escalated:
        logger.warning("Escalated %d overdue inquiries", len(escalated))
    return escalated


# --- Data protection (issue 6) -------------------------------------------------------------------

# What anonymisation keeps: the reference, the dates, the priorities and the outcome.
PERSONAL_BLANKS = {
    "patient_name": "",
    "birth_year": None,
    "country": "",
    "email": "",
    "phone": "",
    "diagnosis": "",
    "previous_treatments": "",
    "travel_period": "",
    "message": "",
    "tumour_type": "",
    "metastases": "",
    "triage_reasons": [],
    "document_checklist": [],
    "documents_sent": [],
}


def _delete_documents(inquiry: Inquiry) -> int:
    """Delete the inquiry's documents, rows and files; the files go once the rows are gone for good."""
    attachments = list(inquiry.attachments.all())
    files = [attachment.file for attachment in attachments]
    inquiry.attachments.all().delete()
    transaction.on_commit(lambda: _delete(files))
    return len(files)


def inquiry_anonymise(*, inquiry: Inquiry, by=None, detail: str = "retention") -> Inquiry:
    """Remove personal and health data, notes and documents; keep reference, dates, priority, outcome."""
    with transaction.atomic():
        locked = _locked(inquiry)
        _delete_documents(locked)
        locked.notes.all().delete()
        locked.contact_log.all().delete()
        locked.messages.all().delete()
        PriorityOverride.objects.filter(inquiry=locked).update(reason="-")
        for field, value in PERSONAL_BLANKS.items():
            setattr(locked, field, value)
        locked.requested_treatment = None
        locked.preferred_hospital = None
        locked.anonymised_at = timezone.now()
        locked.save()
        access_log_record(inquiry=locked, user=by, action=AccessLogEntry.Action.ANONYMISE, detail=detail)
    _refresh(inquiry, locked)
    return inquiry


def inquiries_due_for_purge(*, days: int, now=None):
    """Closed more than `days` days ago and not anonymised yet."""
    now = now or timezone.now()
    return Inquiry.objects.filter(
        status=Inquiry.Status.CLOSED, closed_at__lt=now - timedelta(days=days), anonymised_at__isnull=True
    )


class ExportError(Exception):
    """A subject access export could not be completed; nothing was delivered or logged."""


def _export_person(*, email: str, put) -> list[Inquiry]:
    """Hand one person's inquiries and documents to `put(relative_name, binary_file)`.

    Names inside the export are ours (`documents/<reference>/document-<n>.<type>`): a sender's
    file name can be longer than a file system allows, or hold anything. The manifest
    (`inquiries.json`) keeps each original name next to the file it belongs to.
    """
    inquiries = list(
        Inquiry.objects.for_email(email)
        .select_related("requested_treatment", "preferred_hospital")
        .prefetch_related("attachments", "contact_log", "messages")
    )
    records = []
    for inquiry in inquiries:
        record = {
            "reference": inquiry.reference,
            "received": inquiry.created_at.isoformat(),
            "status": inquiry.status,
            "priority": inquiry.priority,
            "automatic_triage_priority": inquiry.triage_priority,
            "triage_reasons": inquiry.triage_reasons,
            "document_checklist": inquiry.document_checklist,
            "answers": {
                name: str(getattr(inquiry, name)) if getattr(inquiry, name) is not None else None
                for name in Inquiry.ANSWER_FIELDS
            },
            "contact_log": [
                {"when": entry.created_at.isoformat(), "channel": entry.channel, "outcome": entry.outcome}
                for entry in inquiry.contact_log.all()
            ],
            "messages": [
                {
                    "when": message.created_at.isoformat(),
                    "from": message.author_kind,
                    "text": message.text,
                    "documents_asked_for": message.requested_documents,
                }
                for message in inquiry.messages.all()
            ],
            "documents": [],
        }
        for number, attachment in enumerate(inquiry.attachments.all(), start=1):
            file_name = f"documents/{inquiry.reference}/document-{number}{attachment.extension or '.bin'}"
            try:
                with attachment.file.open("rb") as source:
                    put(file_name, source)
            except (FileNotFoundError, ValueError):
                # No chained error: it would carry the storage path into error reports.
                raise ExportError(
                    _("Document %(number)s of %(reference)s is missing from storage; nothing was exported.")
                    % {"number": number, "reference": inquiry.reference}
                ) from None
            record["documents"].append(
                {
                    "name": attachment.original_name,
                    "file": file_name,
                    "type": attachment.content_type,
                    "sha256": attachment.sha256,
                }
            )
        records.append(record)
    put("inquiries.json", io.BytesIO(json.dumps(records, indent=2, ensure_ascii=False).encode()))
    return inquiries


def _log_exports(inquiries, *, by, ip_address, detail: str) -> None:
    """One "export" entry per inquiry, written only once the export is complete."""
    with transaction.atomic():
        for inquiry in inquiries:
            access_log_record(
                inquiry=inquiry, user=by, action=AccessLogEntry.Action.EXPORT, detail=detail, ip_address=ip_address
            )


def person_export(*, email: str, out_dir, by=None, ip_address: str | None = None) -> list[str]:
    """Write one person's inquiries as JSON, with their documents, into `out_dir`; log each export.

    Returns the references. `out_dir` gets `inquiries.json` and `documents/<reference>/document-<n>.<ext>`.
    If anything fails, the files written so far are removed and nothing is logged (ExportError).
    """
    out_dir = Path(out_dir)
    written = []

    def put(relative_name: str, source) -> None:
        target = out_dir / relative_name
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(target)
        with target.open("wb") as destination:
            shutil.copyfileobj(source, destination)

    try:
        inquiries = _export_person(email=email, put=put)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    _log_exports(inquiries, by=by, ip_address=ip_address, detail="subject access export")
    return [inquiry.reference for inquiry in inquiries]


def people_export_archive(*, emails: list[str], archive, by, ip_address: str | None = None) -> list[str]:
    """Write the subject access export of each address into `archive` (a binary file) as one ZIP.

    Each person gets a folder `person-<n>/` laid out as in `person_export`. The exports are
    logged only once the archive is complete; if one person fails, nobody's export is logged.
    """
    exported = []
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for number, email in enumerate(emails, start=1):

            def put(relative_name: str, source, folder=f"person-{number}") -> None:
                with zipped.open(f"{folder}/{relative_name}", "w", force_zip64=True) as destination:
                    shutil.copyfileobj(source, destination)

            exported += _export_person(email=email, put=put)
    _log_exports(exported, by=by, ip_address=ip_address, detail="subject access export (ZIP)")
    return [inquiry.reference for inquiry in exported]


def person_erase(*, email: str, by=None) -> list[str]:
    """Erase one person's inquiries on request: delete them, their notes and their files.

    The access log keeps one "erased" entry per reference (no personal data) as the proof.
    """
    references = []
    with transaction.atomic():
        for inquiry in Inquiry.objects.for_email(email).select_for_update():
            access_log_record(
                inquiry=inquiry, user=by, action=AccessLogEntry.Action.ERASE, detail="erased at the person's request"
            )
            _delete_documents(inquiry)
            references.append(inquiry.reference)
            inquiry.delete()
    return references

"""Writes with consequences: submitting an inquiry."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction

from hospitals.models import Hospital
from inquiries import checklists, triage
from inquiries.models import Attachment, Inquiry
from inquiries.tasks import notify_oncall_of_urgent_inquiry, send_inquiry_confirmation

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
    """When the sender can expect our answer, from the priority's promise in settings."""
    return inquiry.created_at + timedelta(hours=settings.INQUIRY_RESPONSE_HOURS[inquiry.priority])

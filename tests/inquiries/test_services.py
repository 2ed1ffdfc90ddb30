"""inquiry_submit: one transaction for inquiry, documents, triage and the e-mail outbox."""

import logging
import re
from types import SimpleNamespace

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from inquiries import services, tasks
from inquiries.forms import InquiryForm
from inquiries.models import REFERENCE_ALPHABET, Attachment, Inquiry, new_reference
from inquiries.services import inquiry_submit
from tests.factories import TreatmentFactory
from tests.inquiries.helpers import pdf, urgent_net_data, valid_data

pytestmark = pytest.mark.django_db


def submit(data=None, files=None, **kwargs):
    form = InquiryForm(data=data or valid_data(), files={"documents": files or []})
    assert form.is_valid(), form.errors
    return inquiry_submit(
        answers=form.answers(),
        documents=form.cleaned_data["documents"],
        submission_token=form.cleaned_data["submission_token"],
        language=kwargs.get("language", "en"),
    )


def task_paths():
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_a_routine_inquiry_is_saved_with_its_triage_and_a_confirmation_e_mail_scheduled():
    inquiry, created = submit()
    assert created
    assert inquiry.status == Inquiry.Status.NEW
    assert inquiry.priority == Inquiry.Priority.ROUTINE
    assert inquiry.triage_reasons[0].startswith("Nothing in the answers points to cancer")
    assert task_paths() == ["inquiries.tasks.send_inquiry_confirmation"]


def test_an_urgent_inquiry_also_schedules_the_on_call_notification():
    inquiry, _ = submit(urgent_net_data(), files=[pdf()])
    assert inquiry.priority == Inquiry.Priority.URGENT
    assert inquiry.attachments.count() == 1
    assert task_paths() == [
        "inquiries.tasks.notify_oncall_of_urgent_inquiry",
        "inquiries.tasks.send_inquiry_confirmation",
    ]
    assert DBTaskResult.objects.get(task_path__endswith="urgent_inquiry").args_kwargs == {
        "args": [],
        "kwargs": {"inquiry_id": inquiry.pk},
    }


def test_the_checklist_lists_what_a_tumour_board_needs_and_marks_what_was_sent():
    TreatmentFactory(slug="lutetium-177-prrt")
    data = urgent_net_data(documents_sent=["histology_grade_ki67", "doctor_letter"])
    data["requested_treatment"] = str(TreatmentFactory(slug="lutetium-177-prrt").pk)
    inquiry, _ = submit(data)
    codes = {item["code"]: item["sent"] for item in inquiry.document_checklist}
    assert codes["histology_grade_ki67"] is True
    assert codes["doctor_letter"] is True
    assert codes["histology"] is True  # the graded report with Ki-67 satisfies it
    assert codes["ssr_imaging"] is False
    assert codes["kidney_function"] is False
    assert {"ct_mri", "blood_tests", "histology", "tumour_markers"} <= set(codes)
    assert "psma_imaging" not in codes
    assert all(item["en"] and item["de"] for item in inquiry.document_checklist)
    assert "ssr_imaging" in {item["code"] for item in inquiry.missing_documents}
    assert "histology" not in {item["code"] for item in inquiry.missing_documents}


def test_a_routine_case_needs_only_the_doctors_letter():
    inquiry, _ = submit()
    assert [item["code"] for item in inquiry.document_checklist] == ["doctor_letter"]


def test_the_same_token_twice_saves_one_inquiry():
    data = valid_data()
    first, created_first = submit(data)
    second, created_second = submit(data, files=[pdf()])
    assert (created_first, created_second) == (True, False)
    assert first == second
    assert Inquiry.objects.count() == 1
    assert Attachment.objects.count() == 0
    assert len(task_paths()) == 1


def test_a_failure_to_schedule_keeps_the_inquiry_and_flags_it(monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("Lebermetastasen in the message")

    monkeypatch.setattr(services, "send_inquiry_confirmation", SimpleNamespace(enqueue=broken))
    with caplog.at_level(logging.ERROR):
        inquiry, created = submit(urgent_net_data())
    inquiry.refresh_from_db()
    assert created
    assert inquiry.needs_follow_up
    assert DBTaskResult.objects.count() == 0
    assert "Could not schedule e-mails" in caplog.text
    assert "RuntimeError" in caplog.text
    assert "Lebermetastasen" not in caplog.text
    assert "Neuroendokriner" not in caplog.text


def test_a_failure_while_storing_documents_saves_nothing_and_leaves_no_file(monkeypatch, settings):
    original_save = Attachment.save

    def failing_save(self, *args, **kwargs):
        if Attachment.objects.exists():
            raise OSError("disk full")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Attachment, "save", failing_save)
    with pytest.raises(OSError):
        submit(files=[pdf(name="a.pdf"), pdf(name="b.pdf")])
    assert Inquiry.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert list((settings.MEDIA_ROOT / "inquiry-documents").iterdir()) == []


def test_reference_codes_are_random_readable_and_unique():
    references = {new_reference() for _ in range(2000)}
    assert len(references) == 2000
    pattern = re.compile(rf"^[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}-[{REFERENCE_ALPHABET}]{{4}}$")
    assert all(pattern.match(reference) for reference in references)
    assert not set("01ILO") & set("".join(references))


def test_saved_references_are_not_a_sequence():
    inquiries = [submit()[0] for _ in range(5)]
    references = [inquiry.reference for inquiry in inquiries]
    assert len(set(references)) == 5
    # Consecutive rows share no common prefix pattern: no counter is hidden in the code.
    assert len({reference[:4] for reference in references}) > 1


class TestEmails:
    def test_the_confirmation_names_the_reference_and_no_health_data(self):
        inquiry, _ = submit(urgent_net_data(contact_language="de"), language="de")
        tasks.send_inquiry_confirmation.call(inquiry_id=inquiry.pk)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["alex@example.invalid"]
        assert inquiry.reference in message.subject
        assert inquiry.reference in message.body
        text = message.subject + message.body
        for health_word in ("Tumor", "Metastasen", "neuroendo", "urgent", "dringend", "Alex", "1968"):
            assert health_word.lower() not in text.lower(), health_word

    def test_the_confirmation_is_sent_once(self):
        inquiry, _ = submit()
        tasks.send_inquiry_confirmation.call(inquiry_id=inquiry.pk)
        tasks.send_inquiry_confirmation.call(inquiry_id=inquiry.pk)
        inquiry.refresh_from_db()
        assert len(mail.outbox) == 1
        assert inquiry.confirmation_sent_at is not None

    def test_on_call_staff_get_reference_priority_deadline_and_link_but_no_health_data(self, settings):
        settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid", "second@example.invalid"]
        settings.SITE_URL = "https://portal.example.org"
        inquiry, _ = submit(urgent_net_data(message="starke Schmerzen"))
        tasks.notify_oncall_of_urgent_inquiry.call(inquiry_id=inquiry.pk)
        tasks.notify_oncall_of_urgent_inquiry.call(inquiry_id=inquiry.pk)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == settings.TRIAGE_ONCALL_EMAILS
        assert inquiry.reference in message.subject
        assert "urgent" in message.body
        assert "First response due by" in message.body
        assert f"The triage gave {len(inquiry.triage_reasons)} reasons" in message.body
        # The reasons are health data: they stay in the admin.
        for reason in inquiry.triage_reasons:
            assert reason not in message.body
        for detail in ("rapidly worse", "severe pain", "neuroendocrine", "metastases", "Tumour type"):
            assert detail not in message.body
        assert f"https://portal.example.org/admin/inquiries/inquiry/{inquiry.pk}/change/" in message.body
        for private in ("Alex", "Lebermetastasen", "Neuroendokriner", "Schmerzen", "alex@example.invalid"):
            assert private not in message.body
        inquiry.refresh_from_db()
        assert inquiry.oncall_notified_at is not None

    def test_without_on_call_addresses_nothing_is_sent(self, settings):
        settings.TRIAGE_ONCALL_EMAILS = []
        inquiry, _ = submit(urgent_net_data())
        tasks.notify_oncall_of_urgent_inquiry.call(inquiry_id=inquiry.pk)
        assert mail.outbox == []

    def test_a_deleted_inquiry_is_skipped(self):
        tasks.send_inquiry_confirmation.call(inquiry_id=987654)
        assert mail.outbox == []


def test_a_preferred_hospital_that_admits_urgent_cases_only_is_named_in_the_reasons():
    from hospitals.models import AdmissionStatus
    from tests.hospitals.factories import HospitalFactory, record_status

    hospital = HospitalFactory(slug="klinik-nord")
    record_status(hospital, AdmissionStatus.Status.URGENT_ONLY, reason=AdmissionStatus.Reason.LOCKDOWN)
    inquiry, _ = submit(urgent_net_data(preferred_hospital=str(hospital.pk)))
    assert inquiry.preferred_hospital == hospital
    assert "The preferred hospital currently admits urgent cases only." in inquiry.triage_reasons


def test_a_preferred_hospital_that_admits_patients_adds_no_reason():
    from hospitals.models import AdmissionStatus
    from tests.hospitals.factories import HospitalFactory, record_status

    hospital = HospitalFactory(slug="klinik-sued")
    record_status(hospital, AdmissionStatus.Status.ACCEPTING)
    inquiry, _ = submit(valid_data(preferred_hospital=str(hospital.pk)))
    assert not any("urgent cases only" in reason for reason in inquiry.triage_reasons)

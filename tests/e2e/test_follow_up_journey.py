"""A patient comes back through the follow-up link, sends the missing report and worse news; triage sees it first."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from inquiries import followup, links
from inquiries.models import Inquiry, PriorityOverride
from inquiries.services import promise_text
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.inquiries.helpers import PDF_BYTES, triage_role, urgent_net_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "en": {
        "language": "English",
        "message": "since yesterday he has strong abdominal pain and is vomiting blood",
        "quotes": ["“strong abdominal pain”", "“vomiting blood”"],
        "waiting": "Waiting for: Histology (pathology) report of the tumour",
        "answer": "We will answer by {due} (German time) at the latest.",
        "thanks": "Thank you. We have received it",
        "upload": "More medical documents (optional)",
        "histology": "Histology (pathology) report of the tumour",
        "message_label": "Your message (optional)",
        "send": "Send",
        "heading": "Your inquiry",
    },
    "de": {
        "language": "Deutsch",
        "message": "seit gestern hat er starke Bauchschmerzen und Bluterbrechen",
        "quotes": ["“starke Bauchschmerzen”", "“Bluterbrechen”"],
        "waiting": "Wir warten auf: Histologie-Befund (Pathologie) des Tumors",
        "answer": "Wir antworten spätestens bis {due} (deutsche Zeit).",
        "thanks": "Vielen Dank. Wir haben es erhalten",
        "upload": "Weitere medizinische Unterlagen (freiwillig)",
        "histology": "Histologie-Befund (Pathologie) des Tumors",
        "message_label": "Ihre Nachricht (freiwillig)",
        "send": "Senden",
        "heading": "Ihre Anfrage",
    },
}


def run_tasks():
    """What `make worker` does, in this process: the live server shares its database and mail outbox."""
    while (job := DBTaskResult.objects.ready().first()) is not None:
        DBTaskResult.objects.filter(pk=job.pk).delete()
        import_string(job.task_path).call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])


def send_inquiry_without_histology(page, language):
    page.goto("/inquiry/")
    if language == "de":
        page.get_by_role("button", name="Deutsch").click()
        page.get_by_role("heading", level=1, name="Anfrage senden").wait_for()
    page.locator("#id_submitter_role_1").check()
    page.locator("#id_patient_name").fill("Sample Patient")
    page.locator("#id_birth_year").fill("1961")
    page.locator("#id_country").select_option("UA")
    page.locator("#id_email").fill("family@example.invalid")
    page.locator("#id_contact_language").select_option(language)
    page.locator("#id_diagnosis").fill("Neuroendocrine tumour of the small bowel, liver metastases")
    page.locator("#id_is_cancer_0").check()
    page.locator("#id_tumour_type").select_option("neuroendocrine")
    page.locator("#id_metastases_0").check()
    page.locator("#id_doctor_two_week_start_1").check()
    page.locator("#id_symptoms_worsening_1").check()
    page.locator("#id_treatment_interrupted_1").check()
    page.locator("#id_consent_health_data").check()
    page.locator("form.inquiry-form button[type=submit]").click()
    page.get_by_test_id("reference").wait_for()
    return Inquiry.objects.get(email="family@example.invalid")


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_patient_sends_the_missing_report_and_worse_news_through_the_follow_up_page(
    page, axe_check, screenshot, settings, language
):
    words = WORDS[language]
    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    triage_role()
    StaffUserFactory(username="hanna", roles=["Triage staff"])
    # Already waiting in the urgent group, and older: the reply must still come first.
    waiting = make_inquiry(urgent_net_data(email="other@example.invalid"))
    Inquiry.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(hours=1))

    inquiry = send_inquiry_without_histology(page, language)
    assert inquiry.priority == "high"
    staff_deadline = Inquiry.objects.with_deadline().get(pk=inquiry.pk).first_response_due
    with translation.override(language):
        # The staff deadline, written out (German: "Donnerstag, 3. Dezember 2026, 16:21").
        promised = words["answer"].format(due=promise_text(staff_deadline))
    assert promised in page.get_by_test_id("response-due").inner_text()

    run_tasks()
    [confirmation] = [message for message in mail.outbox if message.to == ["family@example.invalid"]]
    link = re.search(r"/inquiry/follow-up/open/\?token=\S+", confirmation.body).group(0)

    # A fresh browser, as from the e-mail program: the link opens the page and leaves the token behind.
    context = page.context.browser.new_context(base_url=page.url.split("/inquiry/")[0])
    patient = context.new_page()
    patient.goto(link)
    patient.wait_for_url("**/inquiry/follow-up/your-inquiry/")
    assert "token" not in patient.url
    patient.get_by_role("heading", level=1, name=f"{words['heading']} {inquiry.reference}").wait_for()
    assert words["waiting"] in patient.get_by_test_id("missing-documents").inner_text()
    assert promised in patient.get_by_test_id("response-due").inner_text()
    axe_check(patient)
    screenshot(patient, f"follow-up-{language}")

    patient.get_by_label(words["upload"]).set_input_files(
        [{"name": "histology.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    patient.get_by_label(words["histology"]).check()
    patient.get_by_label(words["message_label"]).fill(words["message"])
    patient.get_by_role("button", name=words["send"], exact=True).click()
    patient.get_by_text(words["thanks"]).wait_for()
    assert words["waiting"] not in patient.content()
    assert words["message"] in patient.content()
    assert "histology.pdf" in patient.content()
    axe_check(patient)
    context.close()

    inquiry.refresh_from_db()
    assert (inquiry.priority, inquiry.triage_priority) == ("urgent", "high")
    override = PriorityOverride.objects.get(inquiry=inquiry, automatic=True)
    assert all(quote in override.reason for quote in words["quotes"])
    run_tasks()
    oncall = [m for m in mail.outbox if m.to == ["oncall@example.invalid"] and inquiry.reference in m.subject]
    assert len(oncall) == 1
    assert words["message"] not in oncall[0].body

    # Staff work in English, in their own browser.
    page.context.clear_cookies()
    page.goto("/admin/")
    page.get_by_label("Username").fill("hanna")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    assert "1" in page.get_by_role("link", name=re.compile("replies waiting")).inner_text()
    page.locator("tr.model-inquiry th a").click()
    first_row = page.locator("#result_list tbody tr").first
    assert inquiry.reference in first_row.inner_text()
    assert "patient replied" in first_row.inner_text() and "documents received" in first_row.inner_text()
    axe_check(page)
    screenshot(page, f"queue-{language}")

    first_row.get_by_role("link", name=inquiry.reference).click()
    page.get_by_role("heading", name="Conversation with the patient (follow-up page)").wait_for()
    assert words["message"] in page.locator(".triage-conversation").inner_text()
    assert page.locator(".triage-conversation").get_by_role("link", name="histology.pdf").is_visible()
    axe_check(page)


def test_the_follow_up_pages_work_on_a_phone(phone_page, axe_check):
    inquiry = make_inquiry(urgent_net_data())
    followup.follow_up_reply(inquiry=inquiry, text="A long message " * 40)
    phone_page.goto("/inquiry/follow-up/")
    phone_page.get_by_role("button", name="Send me a new link").wait_for()
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)
    phone_page.goto(f"/inquiry/follow-up/open/?token={links.token_for(inquiry)}")
    phone_page.wait_for_url("**/inquiry/follow-up/your-inquiry/")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)


@pytest.mark.parametrize(
    ("language", "warning_text"),
    [
        ("en", "Together with what you sent before, the files are larger than 1 MB."),
        ("de", "Zusammen mit dem, was Sie schon gesendet haben"),
    ],
)
def test_too_large_files_are_caught_before_sending_and_the_message_is_kept(
    page, axe_check, screenshot, settings, language, warning_text
):
    # Over the body cap the server refuses the post unread, and the message typed with it.
    settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES = 1024 * 1024
    inquiry = make_inquiry(urgent_net_data(contact_language=language))
    page.goto(f"/inquiry/follow-up/open/?token={links.token_for(inquiry)}")
    page.wait_for_url("**/inquiry/follow-up/your-inquiry/")
    words = WORDS[language]
    page.get_by_label(words["message_label"]).fill(words["message"])
    documents = page.get_by_label(words["upload"])
    documents.set_input_files(
        [{"name": "Befund.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024)}]
    )
    warning = page.locator("#documents-too-large")
    assert warning.is_visible()
    assert warning_text in warning.inner_text()
    page.get_by_role("button", name=words["send"], exact=True).click()
    assert page.url.endswith("/inquiry/follow-up/your-inquiry/")  # not sent
    assert documents.get_attribute("aria-invalid") == "true"
    assert page.get_by_label(words["message_label"]).input_value() == words["message"]
    assert not inquiry.messages.exists()
    axe_check(page)
    screenshot(page, f"follow-up-too-large-{language}")
    documents.set_input_files([])
    assert warning.is_hidden()

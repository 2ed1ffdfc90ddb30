"""Nothing the patient typed is lost: a refused post, the rate limit, and going back after sending."""

import re

import pytest
from django.core.cache import cache

from inquiries.models import Inquiry
from tests.inquiries.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

PDF_FILE = {"name": "Befund-Histologie.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
TEXT = {
    "en": {
        "send": "Send the inquiry",
        "attached": "Already attached",
        "kept": "Everything you typed is kept, and so are the documents",
        "wait": "Your inquiry has not been sent yet",
        "files": "Files you chose just now were not received",
        "sent": "Thank you, we have received your inquiry",
    },
    "de": {
        "send": "Anfrage absenden",
        "attached": "Bereits angehängt",
        "kept": "Alles, was Sie eingegeben haben, bleibt erhalten, ebenso die Unterlagen",
        "wait": "Ihre Anfrage ist noch nicht gesendet",
        "files": "Dateien, die Sie gerade ausgewählt haben, sind nicht angekommen",
        "sent": "Vielen Dank, wir haben Ihre Anfrage erhalten",
    },
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def open_form(page, language):
    page.goto("/inquiry/")
    if language == "de":
        page.get_by_role("button", name="Deutsch").click()
        page.get_by_role("heading", level=1, name="Anfrage senden").wait_for()


def fill(page, *, phone=""):
    page.locator("#id_submitter_role_0").check()
    page.locator("#id_patient_name").fill("Alex Beispiel")
    page.locator("#id_birth_year").fill("1968")
    page.locator("#id_country").select_option("PL")
    page.locator("#id_email").fill("alex@example.invalid")
    page.locator("#id_phone").fill(phone)
    page.locator("#id_contact_language").select_option("en")
    page.locator("#id_diagnosis").fill("Neuroendocrine tumour of the pancreas, G2")
    page.locator("#id_is_cancer_0").check()
    page.locator("#id_tumour_type").select_option("neuroendocrine")
    page.locator("#id_metastases_1").check()
    page.locator("#id_doctor_two_week_start_1").check()
    page.locator("#id_symptoms_worsening_1").check()
    page.locator("#id_treatment_interrupted_1").check()
    page.locator("#id_message").fill("Sample data: please answer in English.")
    page.locator("#id_consent_health_data").check()


def assert_everything_typed_is_there(page):
    assert page.locator("#id_submitter_role_0").is_checked()
    assert page.locator("#id_patient_name").input_value() == "Alex Beispiel"
    assert page.locator("#id_birth_year").input_value() == "1968"
    assert page.locator("#id_country").input_value() == "PL"
    assert page.locator("#id_email").input_value() == "alex@example.invalid"
    assert page.locator("#id_contact_language").input_value() == "en"
    assert page.locator("#id_diagnosis").input_value() == "Neuroendocrine tumour of the pancreas, G2"
    assert page.locator("#id_is_cancer_0").is_checked()
    assert page.locator("#id_tumour_type").input_value() == "neuroendocrine"
    assert page.locator("#id_metastases_1").is_checked()
    assert page.locator("#id_treatment_interrupted_1").is_checked()
    assert page.locator("#id_message").input_value() == "Sample data: please answer in English."
    assert page.locator("#id_consent_health_data").is_checked()


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_upload_is_kept_after_a_phone_number_error(page, axe_check, screenshot, language):
    text = TEXT[language]
    open_form(page, language)
    fill(page, phone="044 123 4567")
    page.locator("#id_documents").set_input_files([PDF_FILE])
    page.get_by_role("button", name=text["send"]).click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert text["kept"] in summary.inner_text()
    held = page.locator("#held-documents")
    assert text["attached"] in held.inner_text()
    assert "Befund-Histologie.pdf" in held.inner_text()
    assert_everything_typed_is_there(page)
    axe_check(page)
    screenshot(page, "kept")

    # Only the phone number is corrected; the file is not chosen again.
    page.locator("#id_phone").fill("+48 22 123 45 67")
    page.get_by_role("button", name=text["send"]).click()
    page.get_by_role("heading", level=1, name=text["sent"]).wait_for()
    inquiry = Inquiry.objects.get()
    assert [a.original_name for a in inquiry.attachments.all()] == ["Befund-Histologie.pdf"]
    assert inquiry.attachments.get().file.read() == PDF_BYTES


def test_a_kept_upload_can_be_removed(page, axe_check):
    open_form(page, "en")
    fill(page, phone="044 123 4567")
    page.locator("#id_documents").set_input_files([PDF_FILE])
    page.get_by_role("button", name="Send the inquiry").click()
    page.locator("#error-summary").wait_for()
    page.get_by_label("Remove “Befund-Histologie.pdf”").check()
    page.locator("#id_phone").fill("")
    page.get_by_role("button", name="Send the inquiry").click()
    page.get_by_test_id("reference").wait_for()
    assert Inquiry.objects.get().attachments.count() == 0


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_rate_limit_shows_the_form_again_with_everything_typed(page, axe_check, screenshot, settings, language):
    settings.INQUIRY_RATE_LIMIT = (0, 3600)
    text = TEXT[language]
    open_form(page, language)
    fill(page, phone="+48 22 123 45 67")
    page.locator("#id_documents").set_input_files([PDF_FILE])
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name=text["send"]).click()
    assert posted.value.status == 429
    summary = page.locator("#error-summary")
    summary.wait_for()
    assert summary.evaluate("element => element === document.activeElement")
    assert text["wait"] in summary.inner_text()
    assert text["files"] in summary.inner_text()
    assert re.search(r"\b\d+ (minute|minutes|Minute|Minuten)\b", summary.inner_text())
    assert page.locator("#id_phone").input_value() == "+48 22 123 45 67"
    assert_everything_typed_is_there(page)
    assert Inquiry.objects.count() == 0
    page.allowed_console_errors.append("429")
    axe_check(page)
    screenshot(page, "rate-limited")


def test_going_back_after_sending_and_sending_again_keeps_the_year_of_birth(page):
    open_form(page, "en")
    fill(page)
    page.get_by_role("button", name="Send the inquiry").click()
    reference = page.get_by_test_id("reference").inner_text()

    page.go_back()
    page.locator("#id_patient_name").wait_for()
    assert page.locator("#id_birth_year").input_value() == "1968"
    page.get_by_role("button", name="Send the inquiry").click()
    # The page was fetched again on going back (never cached), with a fresh one-time token: this
    # is a second inquiry, sent without an error about the year of birth.
    page.get_by_test_id("reference").wait_for()
    assert page.locator("#error-summary").count() == 0
    assert set(Inquiry.objects.values_list("birth_year", flat=True)) == {1968}
    assert reference in Inquiry.objects.values_list("reference", flat=True)

"""A relative sends an urgent neuroendocrine-tumour inquiry in German, with one mistake on the way."""

import re

import pytest

from inquiries.models import Inquiry
from tests.factories import TreatmentFactory
from tests.inquiries.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)

PDF_FILE = {"name": "Befund-Histologie.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def test_a_relative_sends_an_urgent_net_inquiry_in_german(page, axe_check, screenshot):
    TreatmentFactory(slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie")
    page.goto("/inquiry/?treatment=lutetium-177-prrt")
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_role("heading", level=1, name="Anfrage senden").wait_for()
    assert page.get_by_text("Dies ist kein Notdienst").is_visible()
    # The link pre-filled the treatment, and the switch of language kept it.
    assert page.get_by_label("Nach welcher Behandlung fragen Sie? (freiwillig)").input_value() != ""
    axe_check(page)

    page.get_by_label("Ich bin eine Angehörige oder ein Angehöriger bzw. befreundet").check()
    page.get_by_label("Vollständiger Name der Patientin oder des Patienten").fill("Olena Beispiel")
    page.get_by_label("Geburtsjahr der Patientin oder des Patienten").fill("1961")
    page.get_by_label("Land, in dem die Patientin oder der Patient lebt").select_option("UA")
    page.get_by_label("E-Mail-Adresse für unsere Antwort").fill("sohn@example.invalid")
    # The mistake: a phone number without the country code.
    page.get_by_label("Telefonnummer (freiwillig)").fill("044 123 4567")
    page.get_by_label("In welcher Sprache sollen wir antworten?").select_option("de")
    page.get_by_label("Die Diagnose, in Ihren eigenen Worten").fill(
        "Neuroendokriner Tumor des Dünndarms, G2, Ki-67 8 %, Lebermetastasen"
    )
    page.locator("#id_is_cancer_0").check()
    page.get_by_label("Art des Tumors").select_option("neuroendocrine")
    page.locator("#id_metastases_0").check()
    page.locator("#id_doctor_two_week_start_2").check()
    page.locator("#id_symptoms_worsening_0").check()
    page.locator("#id_treatment_interrupted_0").check()
    page.get_by_label("Medizinische Unterlagen (freiwillig)").set_input_files([PDF_FILE])
    page.get_by_label("Histologie-Befund mit Grading").check()
    consent = page.locator("#id_consent_health_data")
    assert "Ich willige ein" in page.locator("label[for=id_consent_health_data]").inner_text()
    consent.check()
    page.get_by_role("button", name="Anfrage absenden").click()

    summary = page.locator("#error-summary")
    summary.wait_for()
    assert "Bitte korrigieren Sie eine Angabe." in summary.inner_text()
    assert summary.evaluate("element => element === document.activeElement")
    # Everything typed is kept, and so is the checked file: it is listed, not chosen again.
    assert page.get_by_label("Vollständiger Name der Patientin oder des Patienten").input_value() == "Olena Beispiel"
    assert page.locator("#id_symptoms_worsening_0").is_checked()
    assert "Befund-Histologie.pdf" in page.locator("#held-documents").inner_text()
    axe_check(page)
    screenshot(page, "error")

    summary.get_by_role("link", name=re.compile("Telefonnummer")).click()
    phone = page.get_by_label("Telefonnummer (freiwillig)")
    assert phone.evaluate("element => element === document.activeElement")
    phone.fill("+380 44 123 4567")
    page.get_by_role("button", name="Anfrage absenden").click()

    page.get_by_role("heading", level=1, name="Vielen Dank, wir haben Ihre Anfrage erhalten").wait_for()
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}", reference)
    assert "Ihre Anfrage ist als dringend markiert" in page.content()
    assert page.get_by_text("Somatostatin-Rezeptor-Bildgebung").is_visible()
    # The graded histology report was ticked, and it satisfies the plain histology report.
    missing = page.locator("ul.missing-documents").inner_text()
    assert "Histologie-Befund (Pathologie)" not in missing
    assert "Histologie-Befund mit Grading" not in missing
    assert "Lebermetastasen" not in page.content()
    axe_check(page)
    screenshot(page, "confirmation")

    inquiry = Inquiry.objects.get()
    assert inquiry.reference == reference
    assert inquiry.priority == Inquiry.Priority.URGENT
    assert inquiry.phone == "+380441234567"
    assert inquiry.language == "de"
    assert [a.original_name for a in inquiry.attachments.all()] == ["Befund-Histologie.pdf"]


def test_the_form_works_on_a_phone(phone_page, axe_check):
    phone_page.goto("/inquiry/")
    phone_page.get_by_role("heading", level=1, name="Send an inquiry").wait_for()
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)

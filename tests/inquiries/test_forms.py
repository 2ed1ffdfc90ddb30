"""Every field of the inquiry form: what it accepts and the plain message when it does not."""

import pytest
from django.utils import timezone

from inquiries.forms import InquiryForm
from inquiries.models import Inquiry
from tests.factories import TreatmentFactory
from tests.inquiries.helpers import valid_data

pytestmark = pytest.mark.django_db


def errors_for(**overrides):
    form = InquiryForm(data=valid_data(**overrides))
    form.is_valid()
    return form.errors


def test_valid_answers_pass():
    assert errors_for() == {}


@pytest.mark.parametrize(
    "field",
    [
        "submitter_role",
        "patient_name",
        "birth_year",
        "country",
        "email",
        "contact_language",
        "diagnosis",
        "is_cancer",
        "doctor_two_week_start",
        "symptoms_worsening",
        "treatment_interrupted",
        "consent_health_data",
    ],
)
def test_required_fields(field):
    assert field in errors_for(**{field: None})


@pytest.mark.parametrize(
    "field",
    ["phone", "tumour_type", "metastases", "previous_treatments", "requested_treatment", "travel_period", "message"],
)
def test_optional_fields(field):
    assert errors_for(**{field: None}) == {}


def test_missing_consent_says_why_it_is_needed():
    assert errors_for(consent_health_data=None)["consent_health_data"] == [
        "We can only answer your inquiry with this consent. Please tick the box."
    ]


@pytest.mark.parametrize("value", ["+49 30 1234567", "+7 495 123-45-67", "+1 (202) 555-0143", "+44 20 7946 0958"])
def test_international_phone_numbers_are_stored_in_e164(value):
    form = InquiryForm(data=valid_data(phone=value))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"].startswith("+")
    assert " " not in form.cleaned_data["phone"]


@pytest.mark.parametrize("value", ["030 1234567", "12345", "+49 0", "call me", "+999 123456", "+49 30 12345678901234"])
def test_phone_numbers_without_country_code_or_invalid_are_refused(value):
    assert errors_for(phone=value)["phone"] == [
        "Please enter the number with the country code, starting with +, for example +49 30 1234567."
    ]


def test_phone_contact_needs_a_phone_number():
    assert "phone" in errors_for(phone="", consent_phone_contact="on")


@pytest.mark.parametrize("value", ["DE", "UA", "RU", "SY"])
def test_countries_by_iso_code(value):
    assert errors_for(country=value) == {}


@pytest.mark.parametrize("value", ["XX", "Germany", "de-DE", "ZZZ"])
def test_unknown_countries_are_refused(value):
    assert "country" in errors_for(country=value)


def test_year_of_birth_in_the_future_is_refused():
    next_year = timezone.localdate().year + 1
    assert errors_for(birth_year=str(next_year))["birth_year"] == ["The year of birth cannot be in the future."]


@pytest.mark.parametrize("value", ["68", "1899", "abc", "19 68", "-1968", "99999999999999999999"])
def test_implausible_years_of_birth_are_refused(value):
    assert "birth_year" in errors_for(birth_year=value)


def test_this_year_is_a_valid_year_of_birth():
    assert errors_for(birth_year=str(timezone.localdate().year)) == {}


@pytest.mark.parametrize("value", ["not-an-email", "a@", "@example.org", "a b@example.org"])
def test_invalid_email_addresses_are_refused(value):
    assert "email" in errors_for(email=value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("submitter_role", "boss"),
        ("is_cancer", "maybe"),
        ("tumour_type", "kidney"),
        ("metastases", "perhaps"),
        ("contact_language", "xx"),
        ("doctor_two_week_start", "1"),
    ],
)
def test_unknown_choices_are_refused(field, value):
    assert field in errors_for(**{field: value})


@pytest.mark.parametrize("field", ["requested_treatment", "preferred_hospital"])
@pytest.mark.parametrize("value", ["99999999999999999999999", "-1", "1.5", "abc", "\u0661"])
def test_odd_choices_of_treatment_and_hospital_are_refused(field, value):
    assert field in errors_for(**{field: value})


def test_unknown_treatment_is_refused_and_known_one_accepted():
    treatment = TreatmentFactory(slug="lutetium-177-prrt")
    assert "requested_treatment" in errors_for(requested_treatment="999999")
    assert errors_for(requested_treatment=str(treatment.pk)) == {}


@pytest.mark.parametrize(("field", "limit"), [("patient_name", 200), ("diagnosis", 4000), ("message", 6000)])
def test_too_long_text_is_refused(field, limit):
    assert field in errors_for(**{field: "x" * (limit + 1)})


def test_null_characters_are_refused():
    assert "diagnosis" in errors_for(diagnosis="Krebs\x00")


def test_documents_sent_must_be_known_checklist_codes():
    assert errors_for(documents_sent=["histology"]) == {}
    assert "documents_sent" in errors_for(documents_sent=["passport"])


def test_a_tampered_submission_token_is_refused_and_replaced():
    form = InquiryForm(data=valid_data(submission_token="forged"))
    assert not form.is_valid()
    assert form.errors["submission_token"] == ["This form has expired. Please check your answers and send it again."]
    assert form.data["submission_token"] != "forged"


def test_the_honeypot_must_stay_empty():
    assert errors_for(website="http://spam.example")["__all__"] == ["Please leave the last field empty."]


def test_the_form_saves_nothing_by_itself():
    form = InquiryForm(data=valid_data())
    assert form.is_valid()
    assert Inquiry.objects.count() == 0

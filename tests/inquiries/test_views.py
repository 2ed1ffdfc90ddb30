"""The form page, submission, confirmation, idempotency and abuse protection over HTTP."""

import pytest
from django.core.cache import cache
from django.views.debug import SafeExceptionReporterFilter

from inquiries.models import Inquiry
from inquiries.views import InquiryFormView
from tests.factories import TreatmentFactory
from tests.hospitals.factories import HospitalFactory
from tests.inquiries.helpers import pdf, urgent_net_data, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_form_page_has_the_emergency_notice_and_sections(
    client, django_assert_max_num_queries, page_cache_schedule
):
    TreatmentFactory.create_batch(5)
    HospitalFactory.create_batch(5)
    page_cache_schedule()  # the kept fragments' time bound, computed once per content version
    # The site notices and menus of the base layout, the treatments and the hospitals; nothing per row.
    with django_assert_max_num_queries(4):
        response = client.get("/inquiry/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This is not an emergency service" in html
    assert html.count("<fieldset") >= 6
    assert 'enctype="multipart/form-data"' in html
    assert 'href="/privacy/"' in html
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]


def test_the_form_page_in_german(client):
    response = client.get("/inquiry/", headers={"accept-language": "de"})
    assert "Dies ist kein Notdienst" in response.content.decode()


def test_links_pre_fill_the_treatment_and_the_hospital(client):
    treatment = TreatmentFactory(slug="lutetium-177-prrt")
    hospital = HospitalFactory(slug="klinik-nord")
    response = client.get("/inquiry/?treatment=lutetium-177-prrt&hospital=klinik-nord")
    assert response.context["form"].initial["requested_treatment"] == treatment
    assert response.context["form"].initial["preferred_hospital"] == hospital
    html = response.content.decode()
    assert f'<option value="{treatment.pk}" selected>' in html
    assert f'<option value="{hospital.pk}" selected>' in html


@pytest.mark.parametrize(
    "query",
    ["?treatment=unknown", "?treatment=", "?treatment=%00", "?hospital=%00x", "?hospital=x" * 50, "?hospital=ä"],
)
def test_unknown_pre_fill_values_are_ignored(client, query):
    assert client.get(f"/inquiry/{query}").status_code == 200


def test_a_submission_redirects_to_the_confirmation(client, django_assert_max_num_queries, page_cache_schedule):
    data = urgent_net_data(documents_sent=["doctor_letter"])
    page_cache_schedule()  # the kept site notices' time bound, computed once per content version
    # Constraint checks (2 with savepoints), token look-up, inquiry, one row per document, two task
    # rows with their savepoints, the session: 19 for one document.
    with django_assert_max_num_queries(19):
        response = client.post("/inquiry/", {**data, "documents": [pdf()]})
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/inquiry/sent/{inquiry.reference}/"
    assert inquiry.priority == "urgent"
    with django_assert_max_num_queries(4):  # (+1: the site pages' menus)
        page = client.get(response["Location"])
    html = page.content.decode()
    assert inquiry.reference in html
    assert "Your inquiry is marked as urgent" in html
    assert "Somatostatin-receptor imaging" in html
    assert "Latest doctor&#x27;s letter" not in html  # marked as sent
    for private in ("Alex", "Neuroendokriner", "Lebermetastasen", "alex@example.invalid"):
        assert private not in html
    assert "no-store" in page["Cache-Control"] or "max-age=0" in page["Cache-Control"]


def test_the_confirmation_page_does_not_open_for_anyone_else(client, django_assert_max_num_queries):
    response = client.post("/inquiry/", valid_data())
    location = response["Location"]
    assert client.get(location).status_code == 200
    client.cookies.clear()
    assert client.get(location).status_code == 404


def test_a_guessed_reference_gives_not_found(client):
    assert client.get("/inquiry/sent/AAAA-BBBB-CCCC/").status_code == 404
    assert client.get("/inquiry/sent/1/").status_code == 404


def test_posting_the_same_form_twice_saves_one_inquiry_and_shows_the_same_confirmation(client):
    data = valid_data()
    first = client.post("/inquiry/", data)
    second = client.post("/inquiry/", data)
    assert Inquiry.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert client.get(second["Location"]).status_code == 200


def test_a_resend_from_another_browser_with_the_same_token_also_saves_one(client, django_user_model):
    from django.test import Client

    data = valid_data()
    client.post("/inquiry/", data)
    Client().post("/inquiry/", data)
    assert Inquiry.objects.count() == 1


def test_an_invalid_post_keeps_everything_typed_and_summarises_the_errors(client):
    data = valid_data(birth_year="2999", message="Bitte schnell antworten", patient_name="Анна Иванова")
    response = client.post("/inquiry/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0
    assert 'id="error-summary"' in html
    assert 'href="#id_birth_year"' in html
    assert "The year of birth cannot be in the future." in html
    assert "Bitte schnell antworten" in html
    assert 'value="Анна Иванова"' in html
    assert 'aria-invalid="true"' in html
    assert response.context["form"]["submission_token"].value() == data["submission_token"]


def test_radio_errors_link_to_the_first_option(client):
    html = client.post("/inquiry/", valid_data(is_cancer=None)).content.decode()
    assert 'href="#id_is_cancer_0"' in html
    assert 'id="id_is_cancer_0"' in html


def test_the_honeypot_saves_nothing(client):
    response = client.post("/inquiry/", valid_data(website="https://cheap-pills.example"))
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0


def test_the_rate_limit_answers_429_politely(client, settings):
    settings.INQUIRY_RATE_LIMIT = (2, 3600)
    assert client.post("/inquiry/", valid_data(patient_name="")).status_code == 200
    assert client.post("/inquiry/", valid_data()).status_code == 302
    response = client.post("/inquiry/", valid_data())
    assert response.status_code == 429
    assert "please wait a little" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Inquiry.objects.count() == 1


def test_a_post_over_the_rate_limit_shows_the_form_again_with_everything_typed(client, settings):
    settings.INQUIRY_RATE_LIMIT = (0, 3600)
    treatment = TreatmentFactory()
    hospital = HospitalFactory()
    data = urgent_net_data(
        patient_name="Анна Иванова",
        birth_year="1961",
        message="Bitte schnell antworten",
        previous_treatments="Octreotide since 2024",
        requested_treatment=str(treatment.pk),
        preferred_hospital=str(hospital.pk),
        documents_sent=["doctor_letter", "histology"],
        consent_phone_contact="on",
    )
    response = client.post("/inquiry/", {**data, "documents": [pdf()]})
    assert response.status_code == 429
    assert Inquiry.objects.count() == 0
    form = response.context["form"]
    html = response.content.decode()
    for name in ("patient_name", "birth_year", "email", "phone", "travel_period", "submission_token"):
        assert f'value="{data[name]}"' in html, name
    for text in ("Bitte schnell antworten", "Octreotide since 2024", "Neuroendokriner Tumor des Dünndarms"):
        assert text in html
    for name in ("submitter_role", "is_cancer", "metastases", "symptoms_worsening", "country", "contact_language"):
        assert form[name].value() == data[name], name
    assert form["requested_treatment"].value() == str(treatment.pk)
    assert f'<option value="{hospital.pk}" selected>' in html
    assert form["documents_sent"].value() == ["doctor_letter", "histology"]
    assert form["consent_health_data"].value() is True
    assert form["consent_phone_contact"].value() is True
    # The reason, when to try again, and plainly that the files were not received.
    minutes = -(-int(response["Retry-After"]) // 60)
    assert f"Please send it again in {minutes} minute" in html
    assert "Everything you typed is still here." in html
    assert "Files you chose just now were not received" in html
    assert 'id="error-summary"' in html
    assert "<title>Error:" in html
    assert "is required" not in html  # the answers are shown, not judged


def test_the_rate_limit_message_in_german(client, settings):
    settings.INQUIRY_RATE_LIMIT = (0, 3600)
    response = client.post("/inquiry/", valid_data(), headers={"accept-language": "de"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "Ihre Anfrage ist noch nicht gesendet" in html
    assert 'value="Alex Example"' in html


def test_the_wait_is_until_the_rate_limit_window_ends():
    from inquiries.ratelimit import seconds_until_next_window

    assert seconds_until_next_window(window_seconds=3600, now=7200) == 3600
    assert seconds_until_next_window(window_seconds=3600, now=7200 + 3599) == 1


def test_going_back_restores_the_year_of_birth():
    # Browsers leave autocomplete="off" fields out when they restore a form on going back.
    assert "autocomplete" not in InquiryFormView.form_class.base_fields["birth_year"].widget.attrs


def test_the_rate_limit_is_per_client(client, settings):
    settings.INQUIRY_RATE_LIMIT = (1, 3600)
    client.post("/inquiry/", valid_data(), REMOTE_ADDR="10.0.0.1")
    assert client.post("/inquiry/", valid_data(), REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post("/inquiry/", valid_data(), REMOTE_ADDR="10.0.0.2").status_code == 302


def test_post_parameters_are_hidden_from_error_reports(rf):
    request = rf.post("/inquiry/", {"diagnosis": "Krebs", "patient_name": "Anna"})
    request.sensitive_post_parameters = "__ALL__"
    # The decorator on dispatch marks every parameter as sensitive.
    view_dispatch = InquiryFormView.dispatch
    assert getattr(view_dispatch, "__wrapped__", None) is not None
    cleansed = SafeExceptionReporterFilter().get_post_parameters(request)
    assert cleansed["diagnosis"] != "Krebs"


def test_the_decorated_view_marks_all_post_parameters_sensitive(client, monkeypatch):
    seen = {}

    def capture(self, form):
        seen["marker"] = self.request.sensitive_post_parameters
        return self.form_invalid(form)

    monkeypatch.setattr(InquiryFormView, "form_valid", capture)
    client.post("/inquiry/", valid_data())
    assert seen["marker"] == "__ALL__"


def test_too_many_files_for_django_itself_is_a_clear_400_not_a_500(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    response = client.post("/inquiry/", {**valid_data(), "documents": [pdf(name=f"{i}.pdf") for i in range(5)]})
    assert response.status_code == 400


def test_the_admin_view_on_site_shortcut_cannot_reveal_a_reference(client, editor):
    """Sequential ids must not lead any staff member to an inquiry's reference code."""
    from django.contrib.contenttypes.models import ContentType

    client.post("/inquiry/", valid_data())
    inquiry = Inquiry.objects.get()
    content_type = ContentType.objects.get_for_model(Inquiry)
    client.force_login(editor)
    response = client.get(f"/admin/r/{content_type.pk}/{inquiry.pk}/")
    assert response.status_code == 404
    assert inquiry.reference not in response.text

"""Triage staff read inquiries in the admin; answers are read-only; nobody adds or deletes."""

import pytest

from inquiries.forms import InquiryForm
from inquiries.models import Inquiry
from inquiries.services import inquiry_submit
from tests.inquiries.helpers import pdf, urgent_net_data, valid_data

pytestmark = pytest.mark.django_db


def make_inquiry(data=None, files=()):
    form = InquiryForm(data=data or valid_data(), files={"documents": list(files)})
    assert form.is_valid(), form.errors
    return inquiry_submit(
        answers=form.answers(),
        documents=form.cleaned_data["documents"],
        submission_token=form.cleaned_data["submission_token"],
        language="en",
    )[0]


def test_the_changelist_shows_inquiries_with_bounded_queries(client, triage_user, django_assert_max_num_queries):
    for _ in range(5):
        make_inquiry(urgent_net_data())
    client.force_login(triage_user)
    with django_assert_max_num_queries(10):
        response = client.get("/admin/inquiries/inquiry/")
    assert response.status_code == 200
    assert response.content.decode().count("urgent") >= 5


def test_the_change_page_shows_reasons_and_documents_read_only(client, triage_user):
    inquiry = make_inquiry(urgent_net_data(), files=[pdf(name="Befund.pdf")])
    client.force_login(triage_user)
    response = client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Oncology case with an urgent signal" in html
    assert "Befund.pdf" in html
    assert 'name="diagnosis"' not in html
    assert 'name="status-status"' in html
    assert "inquiry-documents/" not in html  # the link goes through the download view


def test_triage_staff_cannot_change_answers_by_posting(client, triage_user):
    inquiry = make_inquiry()
    client.force_login(triage_user)
    client.post(
        f"/admin/inquiries/inquiry/{inquiry.pk}/change/",
        {"form": "status", "status-status": "in_triage", "diagnosis": "changed", "patient_name": "changed"},
    )
    inquiry.refresh_from_db()
    assert inquiry.diagnosis == "Hip arthrosis, second opinion wanted"
    assert inquiry.patient_name == "Alex Example"
    assert inquiry.status == Inquiry.Status.IN_TRIAGE


def test_nobody_adds_or_deletes_inquiries_in_the_admin(client, superuser, triage_user):
    inquiry = make_inquiry()
    for user in (superuser, triage_user):
        client.force_login(user)
        assert client.get("/admin/inquiries/inquiry/add/").status_code == 403
        assert client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/delete/").status_code == 403
    assert Inquiry.objects.count() == 1


def test_editors_cannot_see_inquiries(client, editor):
    inquiry = make_inquiry()
    client.force_login(editor)
    assert client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").status_code == 403

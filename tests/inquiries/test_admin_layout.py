"""The queue's and the reading page's layout: what fits on the screen, and what the selects show."""

import pytest
from django.utils import translation

from inquiries import services
from inquiries.models import AccessLogEntry, Inquiry
from tests.inquiries.helpers import urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db

QUEUE = "/admin/inquiries/inquiry/"


@pytest.fixture(autouse=True)
def _english_afterwards():
    # A German request leaves German active in this thread; tests that follow build forms without one.
    yield
    translation.activate("en")


def test_the_queue_cuts_the_reasons_and_keeps_them_all_in_the_title(client, triage_user):
    inquiry = make_inquiry(urgent_net_data())
    client.force_login(triage_user)
    html = client.get(QUEUE).content.decode()
    reasons = inquiry.triage_reasons
    assert len(reasons) > 1
    assert f'<span class="reasons-summary" title="{chr(10).join(reasons)}">{reasons[0]}</span>' in html.replace(
        "&#x27;", "'"
    ).replace("&quot;", '"')
    assert f'<time datetime="{inquiry.created_at.isoformat()}">' in html


def test_the_queue_has_no_nav_sidebar_but_other_admin_pages_keep_it(client, triage_user):
    make_inquiry(valid_data())
    client.force_login(triage_user)
    assert 'id="nav-sidebar"' not in client.get(QUEUE).content.decode()
    assert 'id="nav-sidebar"' in client.get("/admin/inquiries/accesslogentry/").content.decode()


def test_the_status_select_shows_the_current_status_and_the_allowed_moves(client, triage_user):
    inquiry = make_inquiry(valid_data())
    client.force_login(triage_user)
    page = f"{QUEUE}{inquiry.pk}/change/"
    form = client.get(page).context["forms"]["status"]
    assert form["status"].value() == "new"
    assert 'value="new" selected' in str(form["status"])
    assert [value for value, _label in form.fields["status"].choices] == [
        "new",
        "in_triage",
        "contacted",
        "awaiting_documents",
        "referred",
    ]
    services.inquiry_change_status(inquiry=inquiry, status=Inquiry.Status.AWAITING_DOCUMENTS, by=triage_user)
    form = client.get(page).context["forms"]["status"]
    assert 'value="awaiting_documents" selected' in str(form["status"])
    assert "new" not in [value for value, _label in form.fields["status"].choices]
    assert "closed" not in [value for value, _label in form.fields["status"].choices]


def test_sending_the_unchanged_status_says_so_and_changes_nothing(client, triage_user):
    inquiry = make_inquiry(valid_data())
    services.inquiry_change_status(inquiry=inquiry, status=Inquiry.Status.CONTACTED, by=triage_user)
    client.force_login(triage_user)
    changes = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.CHANGE).count()
    response = client.post(f"{QUEUE}{inquiry.pk}/change/", {"form": "status", "status-status": "contacted"})
    assert response.status_code == 200
    assert "The inquiry already has this status." in response.content.decode()
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.CHANGE).count() == changes


def test_the_status_labels_in_german(client, triage_user):
    inquiry = make_inquiry(valid_data())
    client.force_login(triage_user)
    html = client.get(f"{QUEUE}{inquiry.pk}/change/", headers={"accept-language": "de"}).content.decode()
    assert ">wartet auf Unterlagen</option>" in html
    assert ">an Klinik verwiesen</option>" in html

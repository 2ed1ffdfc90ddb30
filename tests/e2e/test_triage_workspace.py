"""A triage staff member works the urgent neuroendocrine case from the queue in the admin."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inquiries.models import Inquiry
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.inquiries.helpers import PDF_BYTES, pdf, triage_role, urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)


def test_triage_staff_work_the_urgent_net_case(page, axe_check, screenshot):
    triage_role()
    StaffUserFactory(username="hanna", roles=["Triage staff"])
    routine = make_inquiry(valid_data())
    Inquiry.objects.filter(pk=routine.pk).update(created_at=timezone.now() - timedelta(days=2))
    urgent = make_inquiry(urgent_net_data(), files=[pdf(name="Befund-Histologie.pdf")])

    page.goto("/admin/")
    page.get_by_label("Username").fill("hanna")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")
    page.get_by_role("heading", name="Triage now").wait_for()
    axe_check(page)

    page.locator("tr.model-inquiry th a").click()
    first_row = page.locator("#result_list tbody tr").first
    assert urgent.reference in first_row.inner_text()
    assert "urgent" in first_row.locator(".badge-priority").inner_text()
    assert "Oncology case with an urgent signal" in first_row.inner_text()
    axe_check(page)
    screenshot(page, "queue")

    first_row.get_by_role("link", name=urgent.reference).click()
    page.get_by_role("heading", name="Why the rules gave this priority").wait_for()
    assert page.get_by_text("Neuroendokriner Tumor des Dünndarms").is_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Befund-Histologie.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "Befund-Histologie.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES
    axe_check(page)

    page.get_by_role("button", name="Assign to me").click()
    page.get_by_text("Assigned to you.").wait_for()
    assert page.locator("#assigned-to").inner_text() == "hanna"
    page.get_by_label("Status").select_option("contacted")
    page.get_by_role("button", name="Change status").click()
    page.get_by_text("Saved.").wait_for()
    assert "downloaded a document" in page.locator(".triage-access").inner_text()
    axe_check(page)
    screenshot(page, "detail")

    page.get_by_role("link", name="Inquiries").last.click()
    row = page.locator("#result_list tbody tr", has_text=urgent.reference)
    assert "contacted" in row.inner_text()
    assert "hanna" in row.inner_text()
    assert "answered" in row.inner_text()
    page.get_by_role("link", name="me", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    axe_check(page)


def test_closing_from_the_queue_asks_for_a_reason(page, axe_check, superuser):
    inquiry = make_inquiry(valid_data())
    page.goto("/admin/login/?next=/admin/inquiries/inquiry/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#result_list tbody tr", has_text=inquiry.reference).locator("input.action-select").check()
    page.locator("select[name=action]").select_option("close_with_reason")
    page.get_by_role("button", name="Run").click()
    page.get_by_label("Closing reason").wait_for()
    axe_check(page)
    page.get_by_label("Closing reason").select_option("no_reply")
    page.get_by_role("button", name="Close").click()
    page.get_by_text("1 inquiry changed.").wait_for()
    assert Inquiry.objects.get(pk=inquiry.pk).status == "closed"
    page.goto("/admin/inquiries/accesslogentry/")
    assert "status: new → closed (no_reply)" in page.locator("#result_list").inner_text()
    axe_check(page)


def test_the_reading_page_on_a_phone(phone_page, axe_check, screenshot):
    triage_role()
    StaffUserFactory(username="hanna", roles=["Triage staff"])
    urgent = make_inquiry(urgent_net_data(), files=[pdf()])
    phone_page.goto(f"/admin/login/?next=/admin/inquiries/inquiry/{urgent.pk}/change/")
    phone_page.get_by_label("Username").fill("hanna")
    phone_page.get_by_label("Password").fill(TEST_PASSWORD)
    phone_page.get_by_role("button", name="Log in").click()
    phone_page.get_by_role("heading", name="Why the rules gave this priority").wait_for()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    axe_check(phone_page)
    screenshot(phone_page)

"""The triage queue fits a 1280-pixel laptop and the reading page a 360-pixel phone, in English and German."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries import services
from inquiries.models import Inquiry
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.inquiries.helpers import pdf, triage_role, urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)

LONG_EMAIL = "a-very-long-address.of.the-patients-son@example-hospital-domain.invalid"
# Wider than its box anywhere on the page: the document and the changelist's own scroll container.
OVERFLOW = """() => {
  const root = document.documentElement;
  const results = document.querySelector('.results');
  const wider = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > root.clientWidth + 1)
    .slice(0, 5)
    .map((element) => `${element.tagName}.${element.className}#${element.id}`);
  return {
    page: [root.scrollWidth, root.clientWidth],
    results: results ? [results.scrollWidth, results.clientWidth] : [0, 0],
    wider: wider,
  };
}"""
LANGUAGES = {"en": ("Log in", "Username", "Password"), "de": ("Anmelden", "Benutzername", "Passwort")}


@pytest.fixture
def busy_queue():
    """Inquiries with the widest cells a real queue has: long names, overdue and escalated, overridden."""
    triage_role()
    hanna = StaffUserFactory(username="hanna", roles=["Triage staff"])
    colleague = StaffUserFactory(username="friederike.mustermann-schulz", roles=["Triage staff"])
    make_inquiry(valid_data(email=LONG_EMAIL))
    urgent = make_inquiry(
        urgent_net_data(email=LONG_EMAIL, message="Sample data. " + "Lebermetastasen " * 30),
        files=[pdf(name="Befund-Histologie-Universitaetsklinikum-2026-11-30-vollstaendig.pdf")],
    )
    services.inquiry_override_priority(inquiry=urgent, priority="high", reason="Sample: seen by Dr. A.", by=hanna)
    overdue = make_inquiry(urgent_net_data())
    services.inquiry_assign(inquiry=overdue, assignee=colleague, by=hanna)
    services.inquiry_change_status(inquiry=overdue, status=Inquiry.Status.AWAITING_DOCUMENTS, by=hanna)
    Inquiry.objects.filter(pk=overdue.pk).update(
        created_at=timezone.now() - timedelta(days=12, hours=5), first_response_at=None, escalated_at=timezone.now()
    )
    return {"urgent": urgent, "overdue": overdue}


def log_in(page, language, url):
    button, username, password = LANGUAGES[language]
    page.context.set_extra_http_headers({"Accept-Language": language})
    page.goto(f"/admin/login/?next={url}")
    page.get_by_label(username).fill("hanna")
    page.get_by_label(password).fill(TEST_PASSWORD)
    page.get_by_role("button", name=button).click()


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_queue_fits_a_laptop_screen(page, axe_check, screenshot, busy_queue, language):
    log_in(page, language, "/admin/inquiries/inquiry/")
    page.locator("#result_list").wait_for()
    page.wait_for_load_state("load")  # the stylesheets, before measuring
    assert page.locator("#nav-sidebar").count() == 0
    sizes = page.evaluate(OVERFLOW)
    assert sizes["page"][0] <= sizes["page"][1] == 1280, sizes
    assert sizes["results"][0] <= sizes["results"][1], sizes
    # The reasons are cut to one line, with all of them in the title.
    row = page.locator("#result_list tbody tr", has_text=busy_queue["overdue"].reference)
    summary = row.locator(".reasons-summary")
    assert summary.get_attribute("title") == "\n".join(busy_queue["overdue"].triage_reasons)
    assert summary.evaluate("element => element.scrollWidth > element.clientWidth")
    axe_check(page)
    screenshot(page, language)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_reading_page_fits_a_phone_and_shows_the_current_status(
    phone_page, axe_check, screenshot, busy_queue, language
):
    overdue = busy_queue["overdue"]
    log_in(phone_page, language, f"/admin/inquiries/inquiry/{overdue.pk}/change/")
    phone_page.locator("#summary-heading").wait_for()
    phone_page.wait_for_load_state("load")  # the stylesheets, before measuring
    sizes = phone_page.evaluate(OVERFLOW)
    assert sizes["page"][0] <= sizes["page"][1] == 360, sizes
    status = phone_page.locator("#id_status-status")
    assert status.input_value() == "awaiting_documents"
    assert status.locator("option:checked").inner_text() == (
        "awaiting documents" if language == "en" else "wartet auf Unterlagen"
    )
    axe_check(phone_page)
    screenshot(phone_page, language)

    urgent = busy_queue["urgent"]
    phone_page.goto(f"/admin/inquiries/inquiry/{urgent.pk}/change/")
    phone_page.locator("#summary-heading").wait_for()
    phone_page.wait_for_load_state("load")  # the stylesheets, before measuring
    sizes = phone_page.evaluate(OVERFLOW)
    assert sizes["page"][0] <= sizes["page"][1] == 360, sizes
    assert phone_page.locator("#id_status-status").input_value() == "new"
    axe_check(phone_page)

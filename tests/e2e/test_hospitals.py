import datetime

import pytest
from django.urls import NoReverseMatch, clear_url_caches, include, path, reverse
from django.utils import timezone

from hospitals.models import AdmissionStatus, FederalState
from tests.factories import TreatmentFactory
from tests.hospitals.factories import (
    CertificationFactory,
    HospitalCertificationFactory,
    HospitalFactory,
    record_status,
)

pytestmark = pytest.mark.django_db(transaction=True)

Status = AdmissionStatus.Status
DAY = datetime.timedelta(days=1)


def _stub_inquiry_form(request):
    from django.http import HttpResponse

    return HttpResponse("<!doctype html><title>Inquiry</title><main><h1>Inquiry form</h1></main>")


urlpatterns = [
    path("inquiry/", include(([path("", _stub_inquiry_form, name="form")], "inquiries"))),
    path("", include("portal.urls")),
]


@pytest.fixture
def inquiry_form(settings):
    """The inquiry form's URL; a stand-in until the inquiries app is merged in."""
    try:
        reverse("inquiries:form")
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__
        clear_url_caches()
    yield
    clear_url_caches()


@pytest.fixture
def directory():
    lutetium = TreatmentFactory(
        slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie"
    )
    surgery = TreatmentFactory(slug="surgery", name_en="Surgery", name_de="Operation")
    enets = CertificationFactory(slug="enets", name="ENETS-style centre (sample)")
    today = timezone.localdate()
    now = timezone.now()
    target = HospitalFactory(
        name="Beispielklinikum Isarauen",
        slug="isarauen",
        city="Munich",
        state=FederalState.BAVARIA,
        treatments=[lutetium, surgery],
        is_sample=True,
    )
    record_status(
        target, Status.ACCEPTING, effective_from=today - 60 * DAY, verified_at=now - 60 * DAY, note="All welcome"
    )
    record_status(
        target,
        Status.NOT_ACCEPTING,
        effective_from=today - 30 * DAY,
        verified_at=now - 30 * DAY,
        reason=AdmissionStatus.Reason.LOCKDOWN,
    )
    record_status(
        target,
        Status.URGENT_ONLY,
        effective_from=today - 5 * DAY,
        verified_at=now - DAY,
        note="Cancer care that cannot wait, after review of records.",
        reason=AdmissionStatus.Reason.LOCKDOWN,
    )
    HospitalCertificationFactory(hospital=target, certification=enets)
    accepting = HospitalFactory(
        name="Beispielklinik Frauenwald", city="Munich", state=FederalState.BAVARIA, treatments=[lutetium]
    )
    record_status(accepting, Status.ACCEPTING)
    stale = HospitalFactory(
        name="Beispielklinik Pegnitz", city="Nuremberg", state=FederalState.BAVARIA, treatments=[lutetium]
    )
    record_status(stale, Status.URGENT_ONLY, effective_from=today - 40 * DAY, verified_at=now - 40 * DAY)
    berlin = HospitalFactory(
        name="Beispielklinik Spree", city="Berlin", state=FederalState.BERLIN, treatments=[lutetium]
    )
    record_status(berlin, Status.URGENT_ONLY)
    return target


def test_a_visitor_finds_a_bavarian_lutetium_hospital_that_admits_urgent_cases(
    page, axe_check, screenshot, directory, inquiry_form
):
    page.goto("/hospitals/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hospitals in Germany")
    page.get_by_text("4 hospitals found").wait_for()
    axe_check(page)

    page.get_by_label("Federal state").select_option(label="Bavaria")
    page.get_by_label("Treatment").select_option(label="Lutetium-177 therapy")
    page.get_by_label("Admission status").select_option(label="Urgent cases only")
    page.get_by_role("button", name="Show hospitals").click()
    page.locator("#hospital-results .result-count", has_text="1 hospital found").wait_for()
    # Screen readers hear the new count (htmx swapped the results in place).
    page.wait_for_function(
        "() => document.getElementById('hospital-results-announcement').textContent.includes('1 hospital found')"
    )
    # The filter lives in the URL, so the list can be shared.
    page.wait_for_url("**state=BY**")
    assert "treatment=lutetium-177-prrt" in page.url and "status=urgent_only" in page.url
    results = page.locator("#hospital-results")
    assert "Urgent cases only" in results.inner_text()
    assert "Beispielklinik Pegnitz" not in results.inner_text()  # stale: unknown, not urgent-only
    axe_check(page)
    screenshot(page, "filtered")

    results.get_by_role("link", name="Beispielklinikum Isarauen").click()
    page.get_by_role("heading", level=1, name="Beispielklinikum Isarauen").wait_for()
    assert "Sample data" in page.locator("main").inner_text()
    current = page.locator("section.current-status")
    assert "Urgent cases only" in current.inner_text()
    assert "Cancer care that cannot wait" in current.inner_text()
    history = page.get_by_role("heading", name="Status history")
    history.scroll_into_view_if_needed()
    entries = page.locator(".status-timeline-entry")
    assert entries.count() == 3
    assert "current" in entries.nth(0).inner_text()
    assert "Not admitting" in entries.nth(1).inner_text()
    button = page.get_by_role("link", name="Send an inquiry about Beispielklinikum Isarauen")
    assert button.get_attribute("href") == "/inquiry/?hospital=isarauen"
    axe_check(page)
    screenshot(page, "profile")


def test_the_filters_work_without_javascript(browser, live_server, directory):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/hospitals/")
        page.get_by_label("Federal state").select_option("BY")
        page.get_by_label("Admission status").select_option("urgent_only")
        page.get_by_role("button", name="Show hospitals").click()
        page.wait_for_url("**status=urgent_only**")
        assert page.get_by_text("1 hospital found").is_visible()
    finally:
        context.close()


def test_the_directory_on_a_phone(phone_page, axe_check, screenshot, directory):
    phone_page.goto("/hospitals/?state=BY")
    phone_page.get_by_text("3 hospitals found").wait_for()
    screenshot(phone_page)
    # On a phone the filters come first; a link skips them.
    phone_page.get_by_role("link", name="Skip the filters to the 3 results").click()
    assert phone_page.evaluate("() => document.activeElement.id") == "hospital-results"
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)
    phone_page.goto(directory.get_absolute_url())
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)


def test_a_directory_maintainer_records_a_new_status_for_two_hospitals(
    page, axe_check, screenshot, directory, directory_maintainer
):
    from tests.factories import TEST_PASSWORD

    page.goto("/admin/login/?next=/admin/hospitals/hospital/")
    page.get_by_label("Username").fill(directory_maintainer.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_text("hospital is due for a status check").wait_for()
    axe_check(page)
    for name in ("Beispielklinik Frauenwald", "Beispielklinik Pegnitz"):
        page.get_by_role("row", name=name).get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("record_new_status")
    page.get_by_role("button", name="Run").click()
    page.get_by_role("heading", name="Record a new admission status").wait_for()
    axe_check(page)
    page.get_by_label("Status").select_option("not_accepting")
    page.get_by_label("Reason").select_option("capacity")
    page.get_by_label("Public note (English)").fill("No beds for international patients this month.")
    page.get_by_label("Public note (Russian)").fill("В этом месяце нет мест для иностранных пациентов.")
    page.locator("#id_source").select_option("email")
    page.get_by_role("button", name="Record status").click()
    page.get_by_text("Recorded the new status for 2 hospitals.").wait_for()
    screenshot(page)
    events = AdmissionStatus.objects.filter(status=Status.NOT_ACCEPTING, recorded_by=directory_maintainer)
    assert sorted(events.values_list("hospital__name", flat=True)) == [
        "Beispielklinik Frauenwald",
        "Beispielklinik Pegnitz",
    ]
    # One note per language; German left empty falls back to the English one.
    assert {(event.note_en, event.note_de, event.note_ru) for event in events} == {
        ("No beds for international patients this month.", "", "В этом месяце нет мест для иностранных пациентов.")
    }


def test_a_site_notice_is_shown_on_public_pages(page, axe_check, directory):
    from hospitals.models import SiteNotice

    SiteNotice.objects.create(
        title="Lockdown", message_en="Many hospitals admit urgent cases only — check each hospital's status."
    )
    page.goto("/hospitals/")
    notice = page.get_by_role("complementary", name="Lockdown")
    assert "check each hospital's status" in notice.inner_text()
    axe_check(page)

"""Cached public pages are never stale after a change: staff change something in the admin, and an
anonymous reader who had the page from the cache sees the change on the very next request."""

import pytest

from hospitals.models import AdmissionStatus, FederalState
from tests.e2e.conftest import _unexpected_errors, _watched_page
from tests.factories import TEST_PASSWORD, ArticleFactory, TreatmentFactory
from tests.hospitals.factories import HospitalFactory, record_status
from tests.roles import restore_roles

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = {"en": "en-GB", "de": "de-DE"}
NOT_ADMITTING = {"en": "Not admitting", "de": "Keine Aufnahme"}


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()


@pytest.fixture(params=list(LANGUAGES))
def reader(request, browser, live_server):
    """An anonymous visitor whose browser asks for English or German."""
    context, page = _watched_page(
        browser, live_server, viewport={"width": 1280, "height": 900}, locale=LANGUAGES[request.param]
    )
    page.language = request.param
    yield page
    context.close()
    assert _unexpected_errors(page) == [], "Browser console errors"


def open_from_cache(page, url):
    """Open the page twice; the second answer must come from the page cache."""
    page.goto(url)
    response = page.goto(url)
    assert response.headers.get("x-page-cache") == "hit", url
    return response


def log_in(page, username, next_url):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_a_published_article_reaches_a_reader_of_the_cached_list_at_once(
    page, reader, axe_check, screenshot, medical_reviewer
):
    lutetium = TreatmentFactory(
        slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie"
    )
    ArticleFactory(published=True, slug="older", title="An older article", treatments=[lutetium])
    article = ArticleFactory(
        slug="freshly-reviewed", title="Freshly reviewed article", status="in_review", treatments=[lutetium]
    )
    open_from_cache(reader, "/articles/")
    assert reader.get_by_text("Freshly reviewed article").count() == 0
    assert reader.goto("/articles/freshly-reviewed/").status == 404
    reader.allowed_console_errors.append("404")

    # The medical reviewer publishes it in the admin (staff see the live pages, never the cache).
    log_in(page, medical_reviewer.username, f"/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Save and publish now").click()
    page.get_by_text("is now: Published").wait_for()

    response = reader.goto("/articles/")
    assert response.headers.get("x-page-cache") == "miss"
    reader.get_by_role("link", name="Freshly reviewed article").click()
    assert reader.get_by_role("heading", level=1).inner_text() == "Freshly reviewed article"
    assert reader.evaluate("() => document.documentElement.lang") == reader.language
    axe_check(reader)
    screenshot(reader)


def test_not_admitting_reaches_a_reader_of_the_cached_directory_at_once(
    page, reader, axe_check, screenshot, directory_maintainer
):
    hospital = HospitalFactory(
        name="Beispielklinik Isarauen", slug="isarauen", city="Munich", state=FederalState.BAVARIA
    )
    record_status(hospital, AdmissionStatus.Status.ACCEPTING)
    open_from_cache(reader, "/hospitals/")
    open_from_cache(reader, "/hospitals/isarauen/")
    assert reader.get_by_text(NOT_ADMITTING[reader.language]).count() == 0

    log_in(page, directory_maintainer.username, "/admin/hospitals/hospital/")
    page.get_by_role("row", name="Beispielklinik Isarauen").get_by_role("checkbox").check()
    page.get_by_label("Action:").select_option("record_new_status")
    page.get_by_role("button", name="Run").click()
    page.get_by_label("Status").select_option("not_accepting")
    page.get_by_label("Reason").select_option("capacity")
    page.locator("#id_source").select_option("phone")
    page.get_by_role("button", name="Record status").click()
    page.get_by_text("Recorded the new status for 1 hospital.").wait_for()

    reader.goto("/hospitals/")
    listing = reader.get_by_role("listitem").filter(has_text="Beispielklinik Isarauen")
    assert NOT_ADMITTING[reader.language] in listing.inner_text()
    axe_check(reader)
    # The city is typed, with the chosen state's cities as suggestions (swapped in by htmx).
    reader.locator("#id_state").select_option("BY")
    reader.locator('#city-options option[value="Munich"]').wait_for(state="attached")
    reader.locator("#id_city").fill("munich")
    reader.locator("#id_city").press("Enter")
    reader.wait_for_url("**city=munich**")
    assert "Beispielklinik Isarauen" in reader.locator("#hospital-results").inner_text()
    axe_check(reader)
    reader.goto("/hospitals/isarauen/")
    assert NOT_ADMITTING[reader.language] in reader.locator(".current-status").inner_text()
    axe_check(reader)
    screenshot(reader)

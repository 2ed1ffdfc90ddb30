"""Every public page in English, German and Russian, on a phone and on a desktop screen; the
directory, the language switch and the reference number on a 360-pixel phone (issue 12).

Screenshots of every page land in test-artifacts/ (`pages-<lang>-<width>-<page>.png`).
"""

import io
import re

import pytest
from django.core.management import call_command

from hospitals.models import Hospital
from inquiries import links
from inquiries.models import Inquiry
from tests.e2e.conftest import ARTIFACTS, _watched_page

pytestmark = pytest.mark.django_db(transaction=True)

LANGUAGES = ["en", "de", "ru"]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
TEXT = {
    "en": {"filter": "Filter", "filter_two": "Filter (2 active)", "show": "Show hospitals"},
    "de": {"filter": "Filter", "filter_two": "Filter (2 aktiv)", "show": "Kliniken anzeigen"},
    "ru": {"filter": "Фильтр", "filter_two": "Фильтры (2 активных)", "show": "Показать клиники"},
}


def strict_axe(page):
    """axe-core with nothing allowed: no violation of any impact."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
    ]
    assert details == [], f"axe on {page.url}:\n" + "\n".join(details)


def set_language(context, live_server, language):
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


@pytest.fixture
def demo(db):
    call_command("load_demo_content", stdout=io.StringIO())


def submit_inquiry(page, language):
    """Fill the inquiry form with the fewest answers, by field id (the labels are translated)."""
    page.goto("/inquiry/")
    page.locator("#id_submitter_role_0").check()
    page.locator("#id_patient_name").fill("Anna Beispiel")
    page.locator("#id_birth_year").fill("1970")
    page.locator("#id_country").select_option("PL")
    page.locator("#id_email").fill("anna@example.invalid")
    assert page.locator("#id_contact_language").input_value() == language  # the site's language
    page.locator("#id_diagnosis").fill("Coxarthrose")
    page.locator("#id_is_cancer_2").check()
    for question in ("doctor_two_week_start", "symptoms_worsening", "treatment_interrupted"):
        page.locator(f"#id_{question}_1").check()
    page.locator("#id_consent_health_data").check()
    page.locator("form.inquiry-form button[type=submit]").click()
    page.get_by_test_id("reference").wait_for()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_in_each_language_on_a_phone_and_a_desktop(browser, live_server, demo, language):
    hospital = Hospital.objects.filter(state="BY").order_by("name").first()
    from articles.models import Article

    article = Article.objects.published().first()
    pages = [
        ("home", "/"),
        ("imprint", "/imprint/"),
        ("privacy", "/privacy/"),
        ("disclaimer", "/medical-disclaimer/"),
        ("articles", "/articles/"),
        ("article", article.get_absolute_url()),
        ("hospitals", "/hospitals/"),
        ("hospitals-bavaria", "/hospitals/?state=BY&status=urgent_only"),
        ("hospital", hospital.get_absolute_url()),
        ("inquiry", "/inquiry/"),
        ("follow-up-request", "/inquiry/follow-up/"),
        ("follow-up-broken-link", "/inquiry/follow-up/open/?token=broken"),
        ("not-found", "/no-such-page/"),
    ]
    for width, options in (("360", PHONE), ("1280", DESKTOP)):
        context, page = _watched_page(browser, live_server, **options)
        page.allowed_console_errors.append("status of 404")
        set_language(context, live_server, language)
        try:
            for name, url in pages:
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == language, name
                assert page.evaluate("() => document.documentElement.scrollWidth") <= int(width), name
                strict_axe(page)
                ARTIFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTIFACTS / f"pages-{language}-{width}-{name}.png"), full_page=True)
            submit_inquiry(page, language)
            strict_axe(page)
            page.screenshot(path=str(ARTIFACTS / f"pages-{language}-{width}-confirmation.png"), full_page=True)
            inquiry = Inquiry.objects.latest("created_at")
            page.goto(f"/inquiry/follow-up/open/?token={links.token_for(inquiry)}")
            page.wait_for_url("**/your-inquiry/")
            strict_axe(page)
            page.screenshot(path=str(ARTIFACTS / f"pages-{language}-{width}-follow-up.png"), full_page=True)
        finally:
            context.close()
        assert [e for e in page.console_errors if "status of 404" not in e] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_directory_on_a_phone_folds_its_filters_and_brings_the_results_into_view(
    browser, live_server, demo, language
):
    context, page = _watched_page(browser, live_server, **PHONE)
    set_language(context, live_server, language)
    text = TEXT[language]
    try:
        page.goto("/hospitals/")
        total = Hospital.objects.count()
        panel, legend = page.locator("#filter-panel"), page.locator("details.status-legend-panel")
        assert panel.evaluate("element => element.open") is False
        assert legend.evaluate("element => element.open") is False
        summary = page.locator("#filter-panel > summary")
        assert summary.inner_text().strip() == text["filter"]
        # The first result starts within the first screen and a half, not 1,850 px down.
        assert page.locator("#hospital-results").bounding_box()["y"] < 1100
        skip = page.locator("#skip-to-results")
        assert str(total) in skip.inner_text()

        summary.click()
        page.locator("#id_state").select_option("BY")
        page.wait_for_function(
            "(total) => !document.getElementById('skip-to-results').textContent.includes(String(total))", arg=total
        )
        page.locator("#id_status").select_option("urgent_only")
        page.wait_for_function(
            "(label) => document.getElementById('filter-summary-label').textContent.trim() === label",
            arg=text["filter_two"],
        )
        page.get_by_role("button", name=text["show"]).click()
        page.wait_for_function("() => !document.getElementById('filter-panel').open")
        # The results are in view and have the focus; the new count is announced.
        assert page.evaluate("() => document.activeElement.id") == "hospital-results"
        top = page.locator("#hospital-results").bounding_box()["y"]
        assert 0 <= top < 200
        count = page.locator("#hospital-results .result-count").inner_text().strip()
        page.wait_for_function(
            "(count) => document.getElementById('hospital-results-announcement').textContent.trim() === count",
            arg=count,
        )
        shown = page.locator("#hospital-results .hospital-list > li").count()
        # After every swap the skip link names the count shown now.
        assert re.search(rf"\b{shown}\b", skip.inner_text()), skip.inner_text()
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
        strict_axe(page)
        page.screenshot(path=str(ARTIFACTS / f"phone-directory-{language}-filtered.png"), full_page=False)
    finally:
        context.close()
    assert page.console_errors == []


def test_the_language_switch_on_a_phone_keeps_the_page_and_answers_the_inquiry_form(browser, live_server, demo):
    context, page = _watched_page(browser, live_server, **PHONE)
    try:
        page.goto("/hospitals/?state=BY")
        russian = page.get_by_role("button", name="Русский")
        assert russian.is_visible()  # without opening the menu
        assert not page.locator("#site-nav").is_visible()
        box = russian.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        russian.click()
        page.wait_for_url("**/hospitals/?state=BY")
        assert page.locator("html").get_attribute("lang") == "ru"
        assert page.get_by_role("button", name="Русский").get_attribute("aria-pressed") == "true"
        page.goto("/inquiry/")
        assert page.locator("#id_contact_language").input_value() == "ru"
        strict_axe(page)
    finally:
        context.close()
    assert page.console_errors == []


def test_on_a_phone_the_reference_never_breaks_and_primary_controls_are_large(browser, live_server, demo):
    context, page = _watched_page(browser, live_server, **PHONE)
    set_language(context, live_server, "ru")
    try:
        page.goto("/")
        for control in (page.get_by_role("button", name="Показать меню"), page.get_by_role("button", name="Deutsch")):
            box = control.bounding_box()
            assert box["height"] >= 44 and box["width"] >= 44
        # The home page's counts are links that look like links, to the filtered directory.
        urgent = page.locator(".admission-summary a[href$='status=urgent_only']")
        assert urgent.locator(".status-count").evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
        urgent.click()
        page.wait_for_url("**status=urgent_only")
        box = page.locator("#filter-panel > summary").bounding_box()
        assert box["height"] >= 44
        submit_inquiry(page, "ru")
        reference = page.get_by_test_id("reference")
        assert reference.evaluate("e => e.getClientRects().length") == 1
        assert reference.evaluate("e => e.getBoundingClientRect().height") < 50
        page.screenshot(path=str(ARTIFACTS / "phone-confirmation-ru.png"), full_page=True)
    finally:
        context.close()
    assert page.console_errors == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_header_menu_wraps_when_editors_add_pages(browser, live_server, demo, language):
    """Editors choose the header's pages (pages app): every page in it must still fit the screen."""
    from pages.models import Page

    Page.objects.update(in_header=True)  # every sample page: more than any real menu would hold
    for width in (992, 1280):
        context, page = _watched_page(browser, live_server, viewport={"width": width, "height": 900})
        set_language(context, live_server, language)
        try:
            page.goto("/articles/")
            assert page.evaluate("() => document.documentElement.scrollWidth") <= width
            links = page.locator("#site-nav .nav-link")
            assert links.count() >= 10
            for index in range(links.count()):
                box = links.nth(index).bounding_box()
                assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (width, index)
            strict_axe(page)
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"header-full-{language}-{width}.png"))
        finally:
            context.close()
        assert page.console_errors == []

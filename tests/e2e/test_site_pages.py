"""Site pages in a real browser: an editor changes the FAQ and the imprint, reviewers publish them,
and the public site shows the change at once (issue 14), in English and German, with a second factor."""

import json
import re

import pytest

from pages.models import Page
from tests.e2e.conftest import _unexpected_errors, _watched_page
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.roles import restore_roles
from tests.staff.helpers import give_second_factor, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "en": {
        "username": "Username",
        "password": "Password",
        "log_in": "Log in",
        "code": "Code",
        "confirm": "Confirm",
        "submit": "Save and submit for review",
        "publish": "Save and publish now",
        "in_review": "is now: In review",
        "published": "is now: Published",
        "question": "Can my family come with me?",
        "answer": "Yes: one relative can usually stay in the hospital's guest rooms.",
        "director": "Dr. Nina Neumann",
        "old_director": "Dr. Jana Beispiel",
    },
    "de": {
        "username": "Benutzername",
        "password": "Passwort",
        "log_in": "Anmelden",
        "code": "Code",
        "confirm": "Bestätigen",
        "submit": "Speichern und zur Prüfung einreichen",
        "publish": "Speichern und jetzt veröffentlichen",
        "in_review": "ist jetzt: In Prüfung",
        "published": "ist jetzt: Veröffentlicht",
        "question": "Darf meine Familie mitkommen?",
        "answer": "Ja: Eine angehörige Person kann meist im Gästehaus der Klinik wohnen.",
        "director": "Dr. Nina Neumann",
        "old_director": "Dr. Jana Beispiel",
    },
}


@pytest.fixture(autouse=True)
def _setup(transactional_db, settings, site_pages):
    restore_roles()
    settings.STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture(params=["en", "de"])
def language(request):
    return request.param


@pytest.fixture
def staff_page(browser, live_server, language):
    """A desktop page whose browser asks for English or German."""
    context, page = _watched_page(
        browser, live_server, viewport={"width": 1280, "height": 900}, locale="de-DE" if language == "de" else "en-GB"
    )
    yield page
    context.close()
    assert _unexpected_errors(page) == [], "Browser console errors"


def log_in(page, text, username, role):
    """Password, then the code of the authenticator app: the admin asks for both."""
    user = StaffUserFactory(username=username, roles=[role])
    give_second_factor(user)
    page.context.clear_cookies()
    page.goto("/admin/login/?next=/admin/pages/page/")
    page.get_by_label(text["username"]).fill(username)
    page.get_by_label(text["password"]).fill(TEST_PASSWORD)
    page.get_by_role("button", name=text["log_in"]).click()
    page.wait_for_url(re.compile(r"/admin/account/second-factor/\?"))
    page.get_by_label(text["code"], exact=False).first.fill(totp_code(user))
    page.get_by_role("button", name=text["confirm"]).click()
    page.wait_for_url(re.compile(r"/admin/pages/page/$"))


def public_text(page, language, url):
    page.context.clear_cookies()
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])
    page.goto(url)
    return page.locator("main").inner_text()


def test_an_editor_changes_the_faq_and_imprint_and_reviewers_publish_them(staff_page, axe_check, language, screenshot):
    text = TEXT[language]
    faq = Page.objects.get(slug="faq", language=language)
    imprint = Page.objects.get(slug="imprint", language=language)
    page = staff_page

    # The editor adds a question to the FAQ and changes the imprint's managing director.
    log_in(page, text, "editor", "Editors")
    axe_check(page)
    page.goto(f"/admin/pages/page/{faq.pk}/change/")
    blocks = json.loads(page.locator("#id_blocks").input_value())
    blocks[0]["items"].insert(0, {"question": text["question"], "answer": text["answer"]})
    page.locator("#id_blocks").fill(json.dumps(blocks, ensure_ascii=False, indent=1))
    axe_check(page)
    page.get_by_role("button", name=text["submit"]).click()
    page.get_by_text(text["in_review"]).wait_for()
    assert page.get_by_role("button", name=text["publish"]).count() == 0
    screenshot(page, f"faq-submitted-{language}")

    page.goto(f"/admin/pages/page/{imprint.pk}/change/")
    body = page.locator("#id_body")
    body.fill(body.input_value().replace(text["old_director"], text["director"]))
    page.get_by_role("button", name=text["submit"]).click()
    page.get_by_text(text["in_review"]).wait_for()

    # Until a reviewer publishes, the public sees the published versions.
    assert text["question"] not in public_text(page, language, "/faq/")
    assert text["director"] not in public_text(page, language, "/imprint/")

    # A legal reviewer publishes both: the imprint is a legal page, the FAQ any reviewer's.
    log_in(page, text, "lawyer", "Legal reviewers")
    for changed in (faq, imprint):
        page.goto(f"/admin/pages/page/{changed.pk}/change/")
        page.get_by_role("button", name=text["publish"]).click()
        page.get_by_text(text["published"]).wait_for()
    axe_check(page)

    # The public site shows the change at once (the page cache was refreshed), and stays accessible.
    faq_text = public_text(page, language, "/faq/")
    assert text["question"] in faq_text
    page.get_by_text(text["question"]).click()  # a question opens its answer
    page.get_by_text(text["answer"]).wait_for()
    axe_check(page)
    screenshot(page, f"faq-public-{language}")
    assert text["director"] in public_text(page, language, "/imprint/")
    axe_check(page)

    # Visitors reading in Russian still see the Russian FAQ, with its JSON-LD.
    russian = public_text(page, "ru", "/faq/")
    assert "Частые вопросы" in russian
    assert page.locator("html").get_attribute("lang") == "ru"
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "FAQPage"
    axe_check(page)


def test_a_medical_reviewer_cannot_publish_the_imprint(staff_page, language):
    text = TEXT[language]
    imprint = Page.objects.get(slug="imprint", language=language)
    Page.objects.filter(pk=imprint.pk).update(status="in_review")
    log_in(staff_page, text, "reviewer", "Medical reviewers")
    staff_page.goto(f"/admin/pages/page/{imprint.pk}/change/")
    staff_page.get_by_role("heading", level=1).wait_for()
    assert staff_page.get_by_role("button", name=text["publish"]).count() == 0

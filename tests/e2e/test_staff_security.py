"""Staff logins in a real browser: password and second factor per role, enrolment, lockout, sudo mode."""

import base64
import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp.oath import TOTP
from playwright.sync_api import expect

from staff import security
from tests.e2e.conftest import _unexpected_errors, _watched_page
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.inquiries.helpers import valid_data
from tests.inquiries.test_admin import make_inquiry
from tests.roles import restore_roles
from tests.staff.helpers import give_second_factor, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = {
    "editor": "Editors",
    "reviewer": "Medical reviewers",
    "triage": "Triage staff",
    "directory": "Directory maintainers",
    "admin": None,
}
TEXT = {
    "en": {
        "username": "Username",
        "password": "Password",
        "log_in": "Log in",
        "code": "Code",
        "confirm": "Confirm",
        "home": "Work areas",
        "enrol": "Set up your second factor",
        "turn_on": "Turn on the second factor",
        "saved": "I have saved them, continue",
        "locked": "Too many failed logins for this account from your address",
        "again": "This action needs your second factor again",
    },
    "de": {
        "username": "Benutzername",
        "password": "Passwort",
        "log_in": "Anmelden",
        "code": "Code",
        "confirm": "Bestätigen",
        "home": "Arbeitsbereiche",
        "enrol": "Zweiten Faktor einrichten",
        "turn_on": "Zweiten Faktor einschalten",
        "saved": "Ich habe sie gespeichert, weiter",
        "locked": "Zu viele fehlgeschlagene Anmeldungen für dieses Konto von Ihrer Adresse",
        "again": "Diese Aktion braucht Ihren zweiten Faktor erneut",
    },
}


@pytest.fixture(autouse=True)
def _roles(transactional_db, settings):
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


def password_step(page, text, username, password=TEST_PASSWORD, next_url="/admin/"):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label(text["username"]).fill(username)
    page.get_by_label(text["password"]).fill(password)
    page.get_by_role("button", name=text["log_in"]).click()


def code_step(page, text, code):
    page.get_by_label(text["code"], exact=False).first.fill(code)
    page.get_by_role("button", name=text["confirm"]).click()


@pytest.mark.parametrize("username", list(ROLES))
def test_each_role_logs_in_with_password_and_second_factor(staff_page, axe_check, language, username):
    role = ROLES[username]
    user = StaffUserFactory(username=username, roles=[role] if role else [], is_superuser=role is None)
    give_second_factor(user)
    text = TEXT[language]
    password_step(staff_page, text, username)
    staff_page.wait_for_url(re.compile(r"/admin/account/second-factor/\?"))
    axe_check(staff_page)
    code_step(staff_page, text, totp_code(user))
    staff_page.get_by_role("heading", name=text["home"]).wait_for()
    axe_check(staff_page)


def test_a_member_without_a_second_factor_is_made_to_enrol(staff_page, axe_check, language, screenshot):
    StaffUserFactory(username="newcomer", roles=["Triage staff"])
    text = TEXT[language]
    password_step(staff_page, text, "newcomer", next_url="/admin/inquiries/inquiry/")
    staff_page.get_by_role("heading", name=text["enrol"]).wait_for()
    axe_check(staff_page)
    screenshot(staff_page, f"enrol-{language}")
    # Nothing else of the admin opens until enrolled.
    staff_page.goto("/admin/inquiries/inquiry/")
    staff_page.get_by_role("heading", name=text["enrol"]).wait_for()

    # The newcomer's "app": the key shown on the page.
    secret = staff_page.locator("#totp-secret").inner_text().replace(" ", "")
    code = f"{TOTP(base64.b32decode(secret)).token():06d}"
    staff_page.get_by_label(text["code"], exact=False).first.fill(code)
    staff_page.get_by_role("button", name=text["turn_on"]).click()
    codes = staff_page.locator(".staff-recovery-codes li")
    expect(codes).to_have_count(10)
    axe_check(staff_page)
    staff_page.get_by_role("link", name=text["saved"]).click()
    staff_page.wait_for_url(re.compile(r"/admin/inquiries/inquiry/$"))


def test_a_locked_out_account_sees_the_message(staff_page, axe_check, language):
    user = StaffUserFactory(username="triage", roles=["Triage staff"])
    give_second_factor(user)
    text = TEXT[language]
    staff_page.allowed_console_errors = ["429"]
    for _ in range(5):
        password_step(staff_page, text, "triage", password="not-the-password")
    expect(staff_page.get_by_role("alert")).to_contain_text(text["locked"])
    axe_check(staff_page)
    password_step(staff_page, text, "triage")  # the right password, still refused
    expect(staff_page.get_by_role("alert")).to_contain_text(text["locked"])


def test_the_subject_access_export_asks_for_the_second_factor_again(staff_page, axe_check, language):
    user = StaffUserFactory(username="admin", is_superuser=True)
    recovery_codes = give_second_factor(user)
    inquiry = make_inquiry(valid_data())
    text = TEXT[language]
    password_step(staff_page, text, "admin", next_url="/admin/inquiries/inquiry/")
    code_step(staff_page, text, totp_code(user))
    staff_page.locator("#result_list").wait_for()

    # Twenty minutes pass (the browser runs on the real clock, so the session is told so).
    session_key = next(c["value"] for c in staff_page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key)
    session[security.SECOND_FACTOR_AT] = time.time() - 20 * 60
    session.save()

    row = staff_page.locator("#result_list tbody tr", has_text=inquiry.reference)
    row.locator("input.action-select").check()
    staff_page.locator("select[name=action]").select_option("export_people")
    staff_page.locator("button[name=index]").click()
    staff_page.get_by_text(text["again"]).wait_for()
    axe_check(staff_page)
    code_step(staff_page, text, recovery_codes[0])  # the app's code was used; a recovery code works too

    staff_page.wait_for_url(re.compile(r"/admin/inquiries/inquiry/$"))
    staff_page.locator("#result_list tbody tr", has_text=inquiry.reference).locator("input.action-select").check()
    staff_page.locator("select[name=action]").select_option("export_people")
    with staff_page.expect_download() as download:
        staff_page.locator("button[name=index]").click()
    assert download.value.suggested_filename == "subject-access-export.zip"

"""Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain).

A staff member adds a passkey on the second-factor page, then logs in with password + passkey.
WebAuthn needs a secure context: pytest-django's live server runs at http://localhost:PORT, which
browsers treat as one, and the relying party id is `localhost`.
"""

import re

import pytest
from playwright.sync_api import expect

from staff.models import Passkey, SecurityEvent
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
        "home": "Work areas",
        "second_factor": "Second factor",
        "passkey_name": "Name of the passkey",
        "add": "Add a passkey",
        "use": "Use a passkey",
        "added": "Passkey “Work laptop” added.",
    },
    "de": {
        "username": "Benutzername",
        "password": "Passwort",
        "log_in": "Anmelden",
        "code": "Code",
        "confirm": "Bestätigen",
        "home": "Arbeitsbereiche",
        "second_factor": "Zweiter Faktor",
        "passkey_name": "Name des Passkeys",
        "add": "Passkey hinzufügen",
        "use": "Passkey verwenden",
        "added": "Passkey „Work laptop“ hinzugefügt.",
    },
    "ru": {
        "username": "Имя пользователя",
        "password": "Пароль",
        "log_in": "Войти",
        "code": "Код",
        "confirm": "Подтвердить",
        "home": "Рабочие разделы",
        "second_factor": "Второй фактор",
        "passkey_name": "Название ключа доступа",
        "add": "Добавить ключ доступа",
        "use": "Использовать ключ доступа",
        "added": "Ключ доступа «Work laptop» добавлен.",
    },
}
BROWSER_LOCALES = {"en": "en-GB", "de": "de-DE", "ru": "ru-RU"}


@pytest.fixture(autouse=True)
def _settings(transactional_db, settings, live_server):
    restore_roles()
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    settings.STAFF_PASSKEY_RP_ID = "localhost"
    assert live_server.url.startswith("http://localhost:"), "WebAuthn needs the secure context of localhost"


@pytest.fixture(params=list(TEXT))
def language(request):
    return request.param


@pytest.fixture
def passkey_page(browser, live_server, language):
    """A desktop page with a virtual platform authenticator that verifies its user (a fingerprint)."""
    context, page = _watched_page(
        browser, live_server, viewport={"width": 1280, "height": 900}, locale=BROWSER_LOCALES[language]
    )
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    page.devtools, page.authenticator_id = devtools, authenticator["authenticatorId"]
    yield page
    context.close()
    assert _unexpected_errors(page) == [], "Browser console errors"


def password_step(page, text, username, next_url="/admin/"):
    page.goto(f"/admin/login/?next={next_url}")
    page.get_by_label(text["username"]).fill(username)
    page.get_by_label(text["password"]).fill(TEST_PASSWORD)
    page.get_by_role("button", name=text["log_in"]).click()


@pytest.mark.parametrize("role", ["Triage staff", "Editors"])
def test_a_member_adds_a_passkey_and_logs_in_with_it(passkey_page, axe_check, screenshot, language, role):
    page, text = passkey_page, TEXT[language]
    user = StaffUserFactory(username="member", roles=[role])
    give_second_factor(user)

    # First login with the authenticator app, then add a passkey on the second-factor page.
    password_step(page, text, "member")
    page.wait_for_url(re.compile(r"/admin/account/second-factor/\?"))
    expect(page.get_by_role("button", name=text["use"])).to_have_count(0)  # no passkey yet
    page.get_by_label(text["code"], exact=False).first.fill(totp_code(user))
    page.get_by_role("button", name=text["confirm"]).click()
    page.get_by_role("heading", name=text["home"]).wait_for()
    page.get_by_role("link", name=text["second_factor"]).click()
    page.get_by_label(text["passkey_name"]).fill("Work laptop")
    axe_check(page)
    page.get_by_role("button", name=text["add"]).click()
    expect(page.locator(".messagelist")).to_contain_text(text["added"])
    expect(page.locator("table.staff-passkeys tbody tr")).to_have_count(1)
    axe_check(page)
    screenshot(page, f"passkey-added-{language}")
    credentials = page.devtools.send("WebAuthn.getCredentials", {"authenticatorId": page.authenticator_id})
    assert len(credentials["credentials"]) == 1
    assert credentials["credentials"][0]["rpId"] == "localhost"

    # A new session: password, then the passkey instead of a code.
    page.context.clear_cookies()
    password_step(page, text, "member", next_url="/admin/password_change/")
    page.wait_for_url(re.compile(r"/admin/account/second-factor/\?"))
    axe_check(page)
    page.get_by_role("button", name=text["use"]).click()
    page.wait_for_url(re.compile(r"/admin/password_change/$"))

    passkey = Passkey.objects.get(user=user)
    assert passkey.last_used_at is not None and passkey.sign_count >= 1
    trail = SecurityEvent.objects.filter(user=user, detail__contains="passkey").order_by("pk")
    trail = list(trail.values_list("kind", "detail"))
    assert trail == [("second_factor_added", "passkey: Work laptop"), ("second_factor", "passkey: Work laptop")]

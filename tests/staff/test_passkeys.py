"""Passkeys as a second factor: adding, naming and removing one, logging in and sudo mode with it.

The browser's side is played by `SoftwarePasskey`, which signs real WebAuthn answers; the browser
test (tests/e2e/test_passkeys.py) does the same with Chromium's virtual authenticator.
"""

import json

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice
from webauthn.helpers import base64url_to_bytes

from staff import security
from staff.models import Passkey, SecurityEvent
from tests.factories import TEST_PASSWORD
from tests.staff.authenticator import SoftwarePasskey
from tests.staff.helpers import give_second_factor, password_login, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

VERIFY = "/admin/account/second-factor/"
MANAGE = "/admin/account/second-factor/manage/"
REGISTER_BEGIN = "/admin/account/passkeys/register/begin/"
REGISTER_COMPLETE = "/admin/account/passkeys/register/complete/"
AUTH_BEGIN = "/admin/account/passkeys/authenticate/begin/"
AUTH_COMPLETE = "/admin/account/passkeys/authenticate/complete/"


@pytest.fixture(autouse=True)
def _relying_party(settings):
    # Django's test client talks to http://testserver.
    settings.STAFF_PASSKEY_RP_ID = "testserver"


@pytest.fixture
def device():
    return SoftwarePasskey(rp_id="testserver", origin="http://testserver")


def post_json(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def events(username, kind=None):
    rows = SecurityEvent.objects.filter(username=username).order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("kind", "detail"))


def verified_session(client, user):
    """A session that has given the second factor now (with the authenticator app)."""
    client.force_login(user)
    assert client.post(VERIFY, {"code": totp_code(user)}).status_code == 302


def add_passkey(client, device, name="Work laptop"):
    begin = post_json(client, REGISTER_BEGIN, {"name": name})
    assert begin.status_code == 200, begin.json()
    answer = device.create(begin.json()["options"])
    return post_json(client, REGISTER_COMPLETE, {"name": name, "credential": answer})


def run_worker():
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)


class TestAdding:
    def test_a_verified_member_adds_a_named_passkey_and_is_told_by_email(self, client, triage_user, device):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        begin = post_json(client, REGISTER_BEGIN, {"name": "Work laptop"})
        options = begin.json()["options"]
        assert options["rp"] == {"id": "testserver", "name": "Care Bridge Germany"}
        assert options["user"]["name"] == triage_user.username
        # An opaque handle (32 bytes), not the database id.
        assert len(base64url_to_bytes(options["user"]["id"])) == 32

        done = post_json(client, REGISTER_COMPLETE, {"name": "Work laptop", "credential": device.create(options)})
        assert done.json() == {"redirect": MANAGE}
        passkey = Passkey.objects.get(user=triage_user)
        assert (passkey.name, passkey.confirmed, passkey.sign_count, passkey.transports) == (
            "Work laptop",
            True,
            1,
            ["internal"],
        )
        assert events(triage_user.username, "second_factor_added") == [("second_factor_added", "passkey: Work laptop")]
        page = client.get(MANAGE)
        assert "Work laptop" in page.text and "Passkey “Work laptop” added." in page.text

        run_worker()
        assert [m.subject for m in mail.outbox] == ["Care Bridge Germany: second factor added on your staff account"]
        assert mail.outbox[0].to == [triage_user.email]

    def test_the_same_authenticator_is_not_added_twice(self, client, triage_user, device):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        add_passkey(client, device)
        begin = post_json(client, REGISTER_BEGIN, {"name": "Again"}).json()["options"]
        assert [entry["id"] for entry in begin["excludeCredentials"]] == [Passkey.objects.get().credential_id]
        again = post_json(client, REGISTER_COMPLETE, {"name": "Again", "credential": device.create(begin)})
        assert again.status_code == 400
        assert again.json()["error"] == "This passkey is already added to your account."
        assert Passkey.objects.count() == 1

    def test_a_name_is_required_before_the_authenticator_is_asked(self, client, triage_user):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        response = post_json(client, REGISTER_BEGIN, {"name": "  "})
        assert response.status_code == 400
        assert response.json()["error"] == "This field is required."
        assert security_challenge(client) is None

    def test_adding_asks_for_the_second_factor_again_after_15_minutes(
        self, client, triage_user, device, _pinned_clock
    ):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        _pinned_clock.shift(16 * 60)
        response = post_json(client, REGISTER_BEGIN, {"name": "Work laptop"})
        assert response.status_code == 403
        assert response.json()["reauthenticate"] == security.reauthentication_url(MANAGE)

    def test_a_session_that_has_not_given_the_second_factor_cannot_add_one(self, client, triage_user):
        give_second_factor(triage_user)
        client.force_login(triage_user)
        assert post_json(client, REGISTER_BEGIN, {"name": "Sneaky"}).status_code == 403

    def test_an_answer_for_another_site_is_refused(self, client, triage_user):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        phishing = SoftwarePasskey(rp_id="testserver", origin="https://evil.example")
        begin = post_json(client, REGISTER_BEGIN, {"name": "Laptop"}).json()["options"]
        response = post_json(client, REGISTER_COMPLETE, {"name": "Laptop", "credential": phishing.create(begin)})
        assert response.status_code == 400
        assert response.json()["error"] == "The passkey could not be added. Please try again."
        assert not Passkey.objects.exists()

    def test_without_options_asked_first_nothing_is_stored(self, client, triage_user, device):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        fake_options = {"challenge": "AAAA"}
        response = post_json(client, REGISTER_COMPLETE, {"name": "Laptop", "credential": device.create(fake_options)})
        assert response.status_code == 400
        assert not Passkey.objects.exists()

    @pytest.mark.parametrize(
        "body", [b"not json", b"[]", b'{"name": "x", "credential": "nonsense"}', b'{"name": ["x"], "credential": {}}']
    )
    def test_a_malformed_answer_gets_a_clear_refusal_not_an_error(self, client, triage_user, body):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        post_json(client, REGISTER_BEGIN, {"name": "Laptop"})
        response = client.post(REGISTER_COMPLETE, body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]

    def test_passkeys_are_offered_only_at_the_relying_party_domain(self, client, settings, triage_user):
        settings.STAFF_PASSKEY_RP_ID = "portal.example.org"
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        page = client.get(MANAGE)
        assert 'data-passkey="register"' not in page.text
        assert "open the admin at portal.example.org" in page.text
        assert post_json(client, REGISTER_BEGIN, {"name": "Laptop"}).status_code == 400


def security_challenge(client):
    return client.session.get("staff_passkey_challenge")


@pytest.fixture
def enrolled(client, editor, device, _pinned_clock):
    """The editor with an app, recovery codes and a passkey; the client logged out again."""
    give_second_factor(editor)
    verified_session(client, editor)
    assert add_passkey(client, device).status_code == 200
    client.logout()
    _pinned_clock.shift(30)  # the app's next code: each code is accepted once
    return editor


def give_passkey(client, device, *, next_url="/admin/", **answer_options):
    begin = post_json(client, AUTH_BEGIN)
    assert begin.status_code == 200, begin.json()
    options = begin.json()["options"]
    return post_json(client, AUTH_COMPLETE, {"credential": device.get(options, **answer_options), "next": next_url})


class TestLoggingIn:
    def test_password_then_passkey_opens_the_admin(self, client, enrolled, device, second_factor_required):
        response = password_login(client, "editor", TEST_PASSWORD, next_url="/admin/articles/article/")
        verify_page = client.get(client.get(response["Location"])["Location"])
        assert "Use a passkey" in verify_page.text
        assert "simplewebauthn-browser.umd.min.js" in verify_page.text
        assert client.get("/admin/articles/article/").status_code == 302

        options = post_json(client, AUTH_BEGIN).json()["options"]
        assert options["rpId"] == "testserver"
        assert [entry["id"] for entry in options["allowCredentials"]] == [Passkey.objects.get().credential_id]
        done = post_json(
            client, AUTH_COMPLETE, {"credential": device.get(options), "next": "/admin/articles/article/"}
        )
        assert done.json() == {"redirect": "/admin/articles/article/"}
        assert client.get("/admin/articles/article/").status_code == 200
        passkey = Passkey.objects.get()
        assert passkey.sign_count == 2 and passkey.last_used_at is not None
        assert events("editor")[-2:] == [("login", ""), ("second_factor", "passkey: Work laptop")]

    def test_an_offsite_next_is_ignored(self, client, enrolled, device):
        client.force_login(enrolled)
        assert give_passkey(client, device, next_url="https://evil.example/").json() == {"redirect": "/admin/"}

    def test_an_answer_is_accepted_once(self, client, enrolled, device):
        client.force_login(enrolled)
        options = post_json(client, AUTH_BEGIN).json()["options"]
        answer = device.get(options)
        assert post_json(client, AUTH_COMPLETE, {"credential": answer}).status_code == 200
        client.logout()
        client.force_login(enrolled)
        replay = post_json(client, AUTH_COMPLETE, {"credential": answer})
        assert replay.status_code == 400
        assert replay.json()["error"] == "The passkey was not accepted. Try again, or type a code."
        assert events("editor", "second_factor_failed") == [("second_factor_failed", "passkey: no_challenge")]

    def test_a_wrong_answer_uses_the_challenge_up(self, client, enrolled, device):
        client.force_login(enrolled)
        options = post_json(client, AUTH_BEGIN).json()["options"]
        stranger = SoftwarePasskey(rp_id="testserver", origin="http://testserver")
        stranger.credential_id = device.credential_id  # claims the passkey, holds another key
        assert post_json(client, AUTH_COMPLETE, {"credential": stranger.get(options)}).status_code == 400
        assert post_json(client, AUTH_COMPLETE, {"credential": device.get(options)}).status_code == 400
        assert [detail for _kind, detail in events("editor", "second_factor_failed")] == [
            "passkey: InvalidAuthenticationResponse",
            "passkey: no_challenge",
        ]
        assert security.SECOND_FACTOR_AT not in client.session

    def test_a_counter_that_goes_back_is_refused(self, client, enrolled, device):
        client.force_login(enrolled)
        assert give_passkey(client, device, count=10).status_code == 200
        client.logout()
        client.force_login(enrolled)
        # A copy of the passkey that was used fewer times than the original.
        assert give_passkey(client, device, count=7).status_code == 400
        assert Passkey.objects.get().sign_count == 10

    def test_an_expired_challenge_is_refused(self, client, enrolled, device, _pinned_clock):
        client.force_login(enrolled)
        options = post_json(client, AUTH_BEGIN).json()["options"]
        _pinned_clock.shift(301)
        assert post_json(client, AUTH_COMPLETE, {"credential": device.get(options)}).status_code == 400
        assert events("editor", "second_factor_failed") == [("second_factor_failed", "passkey: challenge_expired")]

    def test_an_answer_from_another_origin_is_refused(self, client, enrolled, device):
        client.force_login(enrolled)
        options = post_json(client, AUTH_BEGIN).json()["options"]
        answer = device.get(options, origin="https://evil.example")
        assert post_json(client, AUTH_COMPLETE, {"credential": answer}).status_code == 400

    def test_another_accounts_passkey_does_not_count(self, client, enrolled, device, triage_user):
        give_second_factor(triage_user)
        client.force_login(triage_user)
        assert post_json(client, AUTH_BEGIN).status_code == 400  # the triage account has no passkey
        Passkey.objects.update(user=triage_user)
        options = post_json(client, AUTH_BEGIN).json()["options"]
        Passkey.objects.update(user=enrolled)
        assert post_json(client, AUTH_COMPLETE, {"credential": device.get(options)}).status_code == 400
        assert events(triage_user.username, "second_factor_failed") == [
            ("second_factor_failed", "passkey: unknown_passkey")
        ]

    def test_a_passkey_satisfies_sudo_mode(self, client, enrolled, device, _pinned_clock):
        client.force_login(enrolled)
        give_passkey(client, device)
        _pinned_clock.shift(16 * 60)
        page = client.get(security.reauthentication_url(MANAGE))
        assert "This action needs your second factor again" in page.text
        assert "Use a passkey" in page.text
        assert give_passkey(client, device, next_url=MANAGE).json() == {"redirect": MANAGE}
        assert post_json(client, REGISTER_BEGIN, {"name": "Second key"}).status_code == 200


class TestRemoving:
    def test_removal_asks_for_the_second_factor_again_and_is_logged(self, client, enrolled, device, _pinned_clock):
        client.force_login(enrolled)
        give_passkey(client, device)
        passkey = Passkey.objects.get()
        _pinned_clock.shift(16 * 60)
        url = f"/admin/account/passkeys/{passkey.pk}/remove/"
        response = client.post(url)
        assert response["Location"] == security.reauthentication_url(MANAGE)
        assert Passkey.objects.exists()

        give_passkey(client, device)
        assert client.post(url)["Location"] == MANAGE
        assert not Passkey.objects.exists()
        assert events("editor", "second_factor_removed") == [("second_factor_removed", "passkey: Work laptop")]
        assert TOTPDevice.objects.filter(user=enrolled).exists()  # the app still works

    def test_nobody_removes_another_accounts_passkey(self, client, enrolled, triage_user):
        give_second_factor(triage_user)
        verified_session(client, triage_user)
        client.post(f"/admin/account/passkeys/{Passkey.objects.get().pk}/remove/")
        assert Passkey.objects.exists()
        assert events(triage_user.username, "second_factor_removed") == []

    def test_removing_the_second_factor_removes_the_passkeys_too(self, client, enrolled):
        verified_session(client, enrolled)
        client.post(MANAGE, {"remove": "1"})
        assert not Passkey.objects.exists()
        assert events("editor", "second_factor_removed") == [("second_factor_removed", "3 removed")]


def test_the_manage_page_lists_passkeys_with_their_use(client, enrolled, device, django_assert_max_num_queries):
    verified_session(client, enrolled)
    with django_assert_max_num_queries(12):
        page = client.get(MANAGE)
    assert page.status_code == 200
    assert "Work laptop" in page.text and "never" in page.text
    assert 'aria-label="Remove the passkey “Work laptop”"' in page.text

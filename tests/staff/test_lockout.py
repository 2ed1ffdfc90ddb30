"""Failed logins: a lock per account and client address after 5, refused before any hashing."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command

from staff.models import SecurityEvent
from tests.factories import TEST_PASSWORD
from tests.staff.helpers import password_login

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed logins for this account from your address"


@pytest.fixture
def hashing(monkeypatch):
    """Counts the password hashes computed (the test settings use the MD5 hasher)."""
    calls = []
    original = MD5PasswordHasher.verify

    def counting(self, password, encoded):
        calls.append(1)
        return original(self, password, encoded)

    monkeypatch.setattr(MD5PasswordHasher, "verify", counting)
    return calls


def fail(client, times, *, username="triage", address="127.0.0.1"):
    return [password_login(client, username, "wrong-password-123", address=address) for _ in range(times)]


def kinds(username):
    return list(SecurityEvent.objects.filter(username=username).order_by("pk").values_list("kind", flat=True))


def test_five_failures_lock_the_account_at_that_address_before_any_hash(client, triage_user, hashing):
    responses = fail(client, 4)
    assert all(r.status_code == 200 and LOCKED not in r.text for r in responses)
    fifth = fail(client, 1)[0]
    assert fifth.status_code == 429
    assert LOCKED in fifth.text
    assert "blocked here for 15 minutes" in fifth.text
    assert len(hashing) == 5

    # 45 more wrong ones and then the right password: refused, and no hash computed for any.
    assert all(r.status_code == 429 for r in fail(client, 45))
    right = password_login(client, "triage", TEST_PASSWORD)
    assert right.status_code == 429
    assert LOCKED in right.text
    assert len(hashing) == 5
    assert "_auth_user_id" not in client.session
    # The trail: five failures and one lockout; the refused flood writes nothing.
    assert sorted(kinds("triage")) == ["lockout"] + ["login_failed"] * 5
    event = SecurityEvent.objects.get(kind="lockout")
    assert (event.user, event.ip_address) == (triage_user, "127.0.0.1")


def test_the_lock_holds_only_for_that_address(client, triage_user):
    fail(client, 5)
    # An attacker's address cannot lock the member out of the office.
    response = password_login(client, "triage", TEST_PASSWORD, address="192.0.2.10")
    assert response.status_code == 302


def test_the_lock_ends_after_15_minutes(client, triage_user, _pinned_clock):
    fail(client, 5)
    _pinned_clock.shift(timedelta(minutes=14))
    assert password_login(client, "triage", TEST_PASSWORD).status_code == 429
    _pinned_clock.shift(timedelta(minutes=2))
    assert password_login(client, "triage", TEST_PASSWORD).status_code == 302


def test_failures_spread_over_more_than_15_minutes_do_not_lock(client, triage_user, _pinned_clock):
    fail(client, 4)
    _pinned_clock.shift(timedelta(minutes=16))
    fail(client, 4)
    assert password_login(client, "triage", TEST_PASSWORD).status_code == 302


def test_a_management_command_unlocks(client, triage_user, capsys):
    fail(client, 5)
    call_command("unlock_account", "triage")
    assert "triage: unlocked" in capsys.readouterr().out
    assert password_login(client, "triage", TEST_PASSWORD).status_code == 302
    assert kinds("triage")[-2:] == ["unlock", "login"]


def test_a_superuser_unlocks_in_the_admin(client, triage_user, superuser):
    fail(client, 5)
    admin = type(client)()
    admin.force_login(superuser)
    page = admin.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert "triage" in page.text
    attempt = AccessAttempt.objects.get(username="triage")
    response = admin.post(
        "/admin/axes/accessattempt/", {"action": "unlock", "_selected_action": [attempt.pk]}, follow=True
    )
    assert "1 account unlocked." in response.text
    assert password_login(client, "triage", TEST_PASSWORD).status_code == 302
    unlock = SecurityEvent.objects.get(kind="unlock")
    assert unlock.by == superuser


def test_other_staff_cannot_see_or_lift_locks(client, triage_user, editor):
    client.force_login(editor)
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/admin/staff/securityevent/").status_code == 403


def test_the_lock_uses_the_proxy_aware_client_address(client, triage_user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(5):
        client.post(
            "/admin/login/",
            {"username": "triage", "password": "wrong-password-123"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    assert AccessAttempt.objects.get(username="triage").ip_address == "198.51.100.7"
    other_client = client.post(
        "/admin/login/",
        {"username": "triage", "password": TEST_PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other_client.status_code == 302


@pytest.mark.parametrize("forwarded", ["not-an-ip", "999.1.1.1", ""])
def test_a_bad_forwarded_address_is_recorded_as_unknown_never_a_500(client, triage_user, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.post(
        "/admin/login/",
        {"username": "triage", "password": "wrong-password-123"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 200
    assert SecurityEvent.objects.get(kind="login_failed").ip_address in (None, "10.0.0.1")

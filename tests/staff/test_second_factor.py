"""The second factor: enrolment after the password, the code at every login, recovery codes, e-mails."""

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.models import SecurityEvent
from tests.factories import TEST_PASSWORD
from tests.roles import restore_roles
from tests.staff.helpers import give_second_factor, password_login, totp_code

pytestmark = pytest.mark.django_db(transaction=True)

ENROL = "/admin/account/second-factor/enrol/"
VERIFY = "/admin/account/second-factor/"


def run_worker():
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)


def kinds(username):
    return list(SecurityEvent.objects.filter(username=username).order_by("pk").values_list("kind", flat=True))


@pytest.mark.usefixtures("second_factor_required")
class TestEnrolment:
    @pytest.mark.parametrize(
        "path",
        [
            "/admin/",
            "/admin/articles/article/",
            "/admin/inquiries/inquiry/",
            "/admin/password_change/",
            "/admin/jsi18n/",
            "/admin/login/?next=/admin/articles/article/",
        ],
    )
    def test_a_staff_member_without_one_sees_nothing_of_the_admin_but_the_enrolment(self, client, editor, path):
        client.force_login(editor)
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL + "?next=")

    def test_the_password_login_leads_to_the_enrolment_and_then_to_the_page_asked_for(
        self, client, editor, _pinned_clock
    ):
        response = password_login(client, "editor", TEST_PASSWORD, next_url="/admin/articles/article/")
        assert response.status_code == 302
        response = client.get(response["Location"])
        assert response["Location"] == ENROL + "?next=%2Fadmin%2Farticles%2Farticle%2F"
        page = client.get(response["Location"])
        assert page.status_code == 200
        secret = page.context["secret"].replace(" ", "")
        assert f"secret={secret}" in page.context["otpauth_uri"]
        assert page.context["qr_code"].startswith("data:image/svg+xml")
        assert SecurityEvent.objects.filter(username="editor", kind="second_factor_added").count() == 0

        wrong = client.post(ENROL, {"code": "000000", "next": "/admin/articles/article/"})
        assert "That code is not right" in wrong.text
        assert not TOTPDevice.objects.filter(user=editor, confirmed=True).exists()
        _pinned_clock.shift(2)  # django-otp pauses codes after a wrong one: one second after the first

        done = client.post(ENROL, {"code": totp_code(editor), "next": "/admin/articles/article/"})
        assert done.status_code == 200
        codes = done.context["codes"]
        assert len(codes) == 10 and len(set(codes)) == 10
        assert all(code in done.text for code in codes)
        assert TOTPDevice.objects.get(user=editor).confirmed
        assert client.get("/admin/articles/article/").status_code == 200
        assert kinds("editor") == ["login", "second_factor_added"]

    def test_the_owner_is_told_by_email_when_a_second_factor_is_added(self, client, editor):
        client.force_login(editor)
        client.get(ENROL)
        client.post(ENROL, {"code": totp_code(editor)})
        assert mail.outbox == []  # through the task outbox, sent by the worker
        run_worker()
        run_worker()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["editor@example.invalid"]
        assert "second factor added" in message.subject
        assert "127.0.0.1" in message.body
        assert SecurityEvent.objects.get(kind="second_factor_added").notified_at is not None

    def test_logging_out_is_allowed_before_enrolling(self, client, editor):
        client.force_login(editor)
        response = client.post("/admin/logout/")
        assert response.status_code == 200
        assert client.get("/admin/").status_code == 302
        assert client.get("/admin/")["Location"].startswith("/admin/login/")

    def test_the_public_site_is_not_affected(self, client, editor):
        client.force_login(editor)
        assert client.get("/").status_code == 200
        assert client.get("/articles/").status_code == 200

    def test_non_staff_accounts_are_not_asked(self, client, django_user_model):
        user = django_user_model.objects.create_user("visitor", password=TEST_PASSWORD)
        client.force_login(user)
        assert client.get("/").status_code == 200
        assert client.get("/admin/")["Location"].startswith("/admin/login/")


class TestLoginWithSecondFactor:
    def test_after_the_password_the_code_is_asked_even_when_the_requirement_is_off(
        self, client, settings, editor, _pinned_clock
    ):
        settings.STAFF_REQUIRE_SECOND_FACTOR = False
        give_second_factor(editor)
        response = password_login(client, "editor", TEST_PASSWORD, next_url="/admin/articles/article/")
        response = client.get(response["Location"])
        assert response["Location"] == VERIFY + "?next=%2Fadmin%2Farticles%2Farticle%2F"
        page = client.get(response["Location"])
        assert "Second factor" in page.text

        wrong = client.post(VERIFY, {"code": "123456", "next": "/admin/articles/article/"})
        assert "That code is not right" in wrong.text
        assert client.get("/admin/articles/article/").status_code == 302
        _pinned_clock.shift(2)

        right = client.post(VERIFY, {"code": totp_code(editor), "next": "/admin/articles/article/"})
        assert right["Location"] == "/admin/articles/article/"
        assert client.get("/admin/articles/article/").status_code == 200
        assert kinds("editor") == ["login", "second_factor_failed", "second_factor"]

    def test_a_code_is_accepted_once(self, client, editor):
        give_second_factor(editor)
        code = totp_code(editor)
        client.force_login(editor)
        assert client.post(VERIFY, {"code": code})["Location"] == "/admin/"
        client.logout()
        client.force_login(editor)
        assert "That code is not right" in client.post(VERIFY, {"code": code}).text

    def test_an_offsite_next_is_ignored(self, client, editor):
        give_second_factor(editor)
        client.force_login(editor)
        response = client.post(VERIFY, {"code": totp_code(editor), "next": "https://evil.example/"})
        assert response["Location"] == "/admin/"

    def test_a_recovery_code_works_once_is_logged_and_the_owner_is_told(self, client, editor):
        codes = give_second_factor(editor)
        client.force_login(editor)
        response = client.post(VERIFY, {"code": f"  {codes[3].upper()} "})
        assert response["Location"] == "/admin/"
        assert StaticToken.objects.filter(device__user=editor).count() == 9
        event = SecurityEvent.objects.get(kind="recovery_code_used")
        assert event.username == "editor" and event.detail == "9 left"
        assert codes[3] not in event.detail
        run_worker()
        assert [m.subject for m in mail.outbox] == ["Care Bridge Germany: recovery code used on your staff account"]
        assert codes[3] not in mail.outbox[0].body
        client.logout()
        client.force_login(editor)
        assert "That code is not right" in client.post(VERIFY, {"code": codes[3]}).text

    def test_guessing_codes_is_slowed_down(self, client, editor, _pinned_clock):
        give_second_factor(editor)
        client.force_login(editor)
        for pause in (0, 2, 3):
            _pinned_clock.shift(pause)
            client.post(VERIFY, {"code": "000000"})
        # django-otp's throttle: after failures a right code is refused until a growing delay passes.
        assert "codes are refused for a growing pause" in client.post(VERIFY, {"code": totp_code(editor)}).text

    def test_the_owner_can_renew_recovery_codes_and_remove_the_factor(self, client, editor, second_factor_required):
        old = give_second_factor(editor)
        client.force_login(editor)
        client.post(VERIFY, {"code": totp_code(editor)})
        page = client.get("/admin/account/second-factor/manage/")
        assert "You have 10 unused recovery codes." in page.text
        renewed = client.post("/admin/account/second-factor/manage/", {"renew": "1"})
        assert not set(renewed.context["codes"]) & set(old)
        removed = client.post("/admin/account/second-factor/manage/", {"remove": "1"})
        assert removed["Location"] == "/admin/account/second-factor/enrol/"
        assert not TOTPDevice.objects.filter(user=editor).exists()
        assert kinds("editor")[-2:] == ["recovery_codes_renewed", "second_factor_removed"]

    def test_a_superuser_removes_a_lost_second_factor_in_the_user_admin(self, client, superuser, editor):
        give_second_factor(editor)
        client.force_login(superuser)
        response = client.post(
            "/admin/auth/user/", {"action": "remove_second_factor", "_selected_action": [editor.pk]}, follow=True
        )
        assert "Removed." in response.text
        assert not TOTPDevice.objects.filter(user=editor).exists()
        event = SecurityEvent.objects.get(kind="second_factor_removed")
        assert (event.username, event.by) == ("editor", superuser)


def test_the_security_log_is_for_superusers_and_append_only(client, superuser, editor):
    password_login(client, "editor", "wrong-password-typed")
    client.force_login(editor)
    assert client.get("/admin/staff/securityevent/").status_code == 403
    client.force_login(superuser)
    page = client.get("/admin/staff/securityevent/")
    assert page.status_code == 200
    assert "failed login" in page.text
    with pytest.raises(PermissionError):
        SecurityEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        SecurityEvent.objects.update(kind="login")
    event = SecurityEvent.objects.first()
    event.detail = "changed"
    with pytest.raises(PermissionError):
        event.save()


def test_the_demo_accounts_second_factor_is_printed_and_works(client, settings, capsys):
    settings.DEBUG = True
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    restore_roles()
    call_command("create_demo_accounts")
    output = capsys.readouterr().out
    password = re.search(r"^  demo-triage\s+(\S+)", output, re.M).group(1)
    secret = re.search(r"^    demo-triage\s+key (\S+)", output, re.M).group(1)
    recovery = re.search(r"^    demo-triage\s+key \S+\s+recovery code (\S+)", output, re.M).group(1)
    assert f"secret={secret}" in output
    call_command("demo_code", "demo-triage")
    code = capsys.readouterr().out.strip()
    assert re.fullmatch(r"\d{6}", code)
    assert password_login(client, "demo-triage", password).status_code == 302
    assert client.post(VERIFY, {"code": code})["Location"] == "/admin/"
    assert client.get("/admin/inquiries/inquiry/").status_code == 200
    client.logout()
    password_login(client, "demo-triage", password)
    assert client.post(VERIFY, {"code": recovery})["Location"] == "/admin/"

"""Sudo mode before sensitive actions, and the staff session's idle time and maximum age."""

import csv
import io
from datetime import timedelta

import pytest

from staff.models import SecurityEvent
from tests.inquiries.helpers import valid_data
from tests.inquiries.test_admin import make_inquiry
from tests.staff.helpers import give_second_factor, totp_code

pytestmark = pytest.mark.django_db

VERIFY = "/admin/account/second-factor/"


def verified_login(client, user):
    give_second_factor(user)
    client.force_login(user)
    assert client.post(VERIFY, {"code": totp_code(user)})["Location"] == "/admin/"


def csv_export(client, inquiry):
    return client.post(
        "/admin/inquiries/inquiry/", {"action": "export_csv", "_selected_action": [inquiry.pk], "index": 0}
    )


class TestSudoMode:
    def test_the_queue_csv_asks_for_the_second_factor_again_after_15_minutes(
        self, client, triage_user, _pinned_clock, second_factor_required
    ):
        inquiry = make_inquiry(valid_data())
        verified_login(client, triage_user)
        assert csv_export(client, inquiry)["Content-Type"].startswith("text/csv")

        _pinned_clock.shift(timedelta(minutes=16))
        client.get("/admin/")  # still active, within the idle time
        _pinned_clock.shift(timedelta(minutes=1))
        refused = csv_export(client, inquiry)
        assert refused.status_code == 302
        assert refused["Location"] == VERIFY + "?next=%2Fadmin%2Finquiries%2Finquiry%2F&again=1"
        page = client.get(refused["Location"])
        assert "This action needs your second factor again" in page.text
        assert "Please confirm your second factor, then run the action again." in page.text

        assert client.post(VERIFY, {"code": totp_code(triage_user), "next": "/admin/inquiries/inquiry/"}).status_code
        rows = list(csv.reader(io.StringIO(csv_export(client, inquiry).content.decode())))
        assert rows[1][0] == inquiry.reference

    @pytest.mark.parametrize("action", ["export_people", "erase_people"])
    def test_exporting_or_erasing_a_person_asks_again(self, client, superuser, _pinned_clock, action):
        inquiry = make_inquiry(valid_data())
        verified_login(client, superuser)  # the requirement is off, but this account has a factor
        _pinned_clock.shift(timedelta(minutes=20))
        client.get("/admin/")
        response = client.post("/admin/inquiries/inquiry/", {"action": action, "_selected_action": [inquiry.pk]})
        assert response.status_code == 302
        assert response["Location"].startswith(VERIFY)
        assert not inquiry.access_log.filter(action__in=["export", "erase"]).exists()

    def test_without_a_factor_and_without_the_requirement_nothing_is_asked(self, client, triage_user):
        client.force_login(triage_user)
        inquiry = make_inquiry(valid_data())
        assert csv_export(client, inquiry)["Content-Type"].startswith("text/csv")

    @pytest.mark.parametrize(
        "path",
        [
            "/admin/auth/user/{pk}/change/",
            "/admin/auth/user/add/",
            "/admin/auth/group/add/",
            "/admin/auth/user/{pk}/password/",
        ],
    )
    def test_changing_users_or_groups_asks_again(self, client, superuser, _pinned_clock, second_factor_required, path):
        path = path.format(pk=superuser.pk)
        verified_login(client, superuser)
        assert client.get(path).status_code == 200
        assert client.get("/admin/auth/user/").status_code == 200
        _pinned_clock.shift(timedelta(minutes=16))
        assert client.get(path)["Location"].startswith(VERIFY + "?next=")
        assert client.get("/admin/auth/user/").status_code == 200  # looking at the list is not a change


class TestSessionAge:
    def test_a_staff_session_ends_after_30_idle_minutes(self, client, editor, _pinned_clock):
        client.force_login(editor)
        assert client.get("/admin/").status_code == 200
        _pinned_clock.shift(timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200
        _pinned_clock.shift(timedelta(minutes=29))
        assert client.get("/admin/").status_code == 200  # activity in between keeps it alive
        _pinned_clock.shift(timedelta(minutes=31))
        response = client.get("/admin/", follow=True)
        assert response.redirect_chain[0][0].startswith("/admin/login/")
        assert "Your session ended after 30 minutes without activity" in response.text
        assert SecurityEvent.objects.filter(username="editor", kind="session_expired").exists()

    def test_a_staff_session_ends_after_its_maximum_age_however_active(self, client, editor, settings, _pinned_clock):
        settings.STAFF_SESSION_MAX_AGE_SECONDS = 2 * 60 * 60
        client.force_login(editor)
        for _ in range(4):
            _pinned_clock.shift(timedelta(minutes=25))
            assert client.get("/admin/").status_code == 200
        _pinned_clock.shift(timedelta(minutes=25))
        response = client.get("/admin/", follow=True)
        assert "Your session ended after 2 hours" in response.text

    def test_the_idle_time_is_a_setting(self, client, editor, settings, _pinned_clock):
        settings.STAFF_SESSION_IDLE_SECONDS = 5 * 60
        client.force_login(editor)
        _pinned_clock.shift(timedelta(minutes=6))
        assert client.get("/admin/")["Location"].startswith("/admin/login/")

    def test_the_public_site_is_not_affected(self, client, _pinned_clock):
        client.get("/")
        _pinned_clock.shift(timedelta(hours=3))
        response = client.get("/articles/")
        assert response.status_code == 200
        assert "sessionid" not in response.cookies

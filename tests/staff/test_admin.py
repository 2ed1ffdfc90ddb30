"""The security log and the lockout list in the admin: superusers only, bounded queries."""

import pytest

from staff.models import SecurityEvent
from staff.services import security_event_record
from tests.factories import StaffUserFactory
from tests.staff.helpers import password_login

pytestmark = pytest.mark.django_db


def test_the_security_log_list_has_bounded_queries(client, superuser, django_assert_max_num_queries):
    for n in range(30):
        user = StaffUserFactory(username=f"member{n}")
        security_event_record(kind=SecurityEvent.Kind.SECOND_FACTOR_REMOVED, user=user, by=superuser)
    client.force_login(superuser)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/staff/securityevent/")
    assert response.status_code == 200
    assert response.text.count("second factor removed") >= 30


def test_the_lockout_list_has_bounded_queries(client, superuser, django_assert_max_num_queries):
    for n in range(10):
        password_login(client, f"someone{n}", "wrong-password-123", address=f"192.0.2.{n + 1}")
    client.force_login(superuser)
    with django_assert_max_num_queries(12):
        response = client.get("/admin/axes/accessattempt/")
    assert response.status_code == 200
    assert "someone9" in response.text


def test_the_security_log_cannot_be_added_changed_or_deleted_in_the_admin(client, superuser):
    event = security_event_record(kind=SecurityEvent.Kind.LOGIN, user=superuser)
    client.force_login(superuser)
    assert client.get("/admin/staff/securityevent/add/").status_code == 403
    assert client.get(f"/admin/staff/securityevent/{event.pk}/delete/").status_code == 403
    page = client.get(f"/admin/staff/securityevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.text

"""Triage staff see on the admin index whether the task worker is alive and how long an urgent alert waits."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inquiries.models import WorkerHeartbeat
from inquiries.worker import heartbeat_record
from tests.factories import TEST_PASSWORD, StaffUserFactory
from tests.inquiries.helpers import triage_role, urgent_net_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page):
    page.goto("/admin/")
    page.get_by_label("Username").fill("hanna")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")


def text_of(locator) -> str:
    return " ".join(locator.inner_text().split())


def test_a_stopped_worker_and_a_waiting_urgent_alert_show_on_the_dashboard(page, axe_check, settings):
    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    settings.TRIAGE_WORKER_SILENT_SECONDS = 120
    triage_role()
    StaffUserFactory(username="hanna", roles=["Triage staff"])
    make_inquiry(urgent_net_data())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=12, seconds=10))
    heartbeat_record(worker_id="w1", hostname="worker-1", started_at=timezone.now(), jobs_done=0)
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(minutes=9, seconds=10))

    log_in(page)
    dashboard = page.locator(".triage-dashboard")
    assert "9 min since a task worker last reported in" in text_of(dashboard)
    assert "E-mails and urgent alerts are not being sent." in text_of(dashboard)
    assert "12 min oldest urgent alert waiting to be sent" in text_of(dashboard)
    axe_check(page)

    page.context.set_extra_http_headers({"Accept-Language": "de"})
    page.reload()
    page.get_by_role("heading", name="Triage").wait_for()
    assert "seit sich zuletzt ein Task-Worker gemeldet hat" in text_of(dashboard)
    assert "E-Mails und dringende Benachrichtigungen werden nicht versendet." in text_of(dashboard)
    assert "älteste dringende Benachrichtigung, die auf den Versand wartet" in text_of(dashboard)
    axe_check(page)

    # The worker reports in again: the warning goes.
    heartbeat_record(worker_id="w1", hostname="worker-1", started_at=timezone.now(), jobs_done=5)
    page.reload()
    assert "0 Min. seit sich zuletzt ein Task-Worker gemeldet hat" in text_of(dashboard)
    assert "nicht versendet" not in text_of(dashboard)
    axe_check(page)

"""/metrics: only for the scraper, and it reports the queue, e-mails and overdue inquiries."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inquiries.models import Inquiry, Notification
from tests.inquiries.helpers import urgent_net_data, valid_data
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests-only"


@pytest.fixture
def scraper(client, settings):
    settings.METRICS_BEARER_TOKEN = TOKEN

    def scrape():
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        return {
            line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
            for line in response.text.splitlines()
            if line and not line.startswith("#")
        }

    return scrape


def test_metrics_are_404_without_a_configured_token(client, settings):
    settings.METRICS_BEARER_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_metrics_are_404_with_a_wrong_or_missing_token(client, settings):
    settings.METRICS_BEARER_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 404


def test_metrics_open_to_a_configured_network(client, settings):
    settings.METRICS_BEARER_TOKEN = ""
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.0.0/8"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 404


def test_metrics_report_the_queue_by_priority_with_the_age_of_the_oldest_job(scraper):
    submit(valid_data())
    submit(urgent_net_data())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=3))
    metrics = scraper()
    # Two confirmations (priority 0) and one on-call alert (priority 10) wait.
    assert metrics['portal_tasks_waiting{priority="0"}'] == 2
    assert metrics['portal_tasks_waiting{priority="10"}'] == 1
    assert 180 <= metrics['portal_tasks_oldest_waiting_seconds{priority="10"}'] < 240
    assert metrics["portal_tasks_running"] == 0


def test_a_job_scheduled_for_later_is_not_waiting(scraper):
    from inquiries.tasks import send_inquiry_confirmation

    send_inquiry_confirmation.using(run_after=timezone.now() + timedelta(minutes=5)).enqueue(inquiry_id=1)
    assert 'portal_tasks_waiting{priority="0"}' not in scraper()


def test_metrics_report_undelivered_e_mails_and_overdue_inquiries(scraper):
    urgent, _ = submit(urgent_net_data())
    routine, _ = submit(valid_data(email="other@example.invalid"))
    Notification.objects.create(inquiry=urgent, kind="oncall", status="failed", attempts=5)
    Notification.objects.create(inquiry=routine, kind="confirmation", status="retrying", attempts=2)
    Notification.objects.create(inquiry=routine, kind="oncall", status="sent", attempts=1)
    Inquiry.objects.filter(pk=urgent.pk).update(created_at=timezone.now() - timedelta(hours=5))
    metrics = scraper()
    assert metrics['portal_notifications_undelivered{kind="oncall",status="failed"}'] == 1
    assert metrics['portal_notifications_undelivered{kind="confirmation",status="retrying"}'] == 1
    assert metrics['portal_inquiries_overdue{priority="urgent"}'] == 1  # 5 h old, 4 h promised
    assert metrics['portal_inquiries_overdue{priority="routine"}'] == 0


def test_requests_are_counted_by_view_name_never_by_path(client, scraper):
    client.get("/healthz")
    client.get("/no-such-page/?diagnosis=glioblastoma")
    metrics = scraper()
    assert metrics['portal_http_requests_total{method="GET",status="200",view="healthz"}'] >= 1
    assert metrics['portal_http_requests_total{method="GET",status="404",view="unrouted"}'] >= 1
    assert metrics['portal_http_request_duration_seconds_count{method="GET",view="healthz"}'] >= 1
    assert not any("no-such-page" in name or "glioblastoma" in name for name in metrics)


@pytest.mark.parametrize("inquiries", [1, 20])
def test_a_scrape_costs_five_queries_however_many_inquiries_and_jobs(
    client, settings, django_assert_num_queries, inquiries
):
    settings.METRICS_BEARER_TOKEN = TOKEN
    for number in range(inquiries):
        submit(urgent_net_data(email=f"p{number}@example.invalid"))
    with django_assert_num_queries(5):
        assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_the_metrics_endpoint_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.METRICS_BEARER_TOKEN = TOKEN
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/hospitals/").status_code == 301


def test_metrics_report_how_long_ago_a_worker_reported_in(scraper):
    from inquiries.models import WorkerHeartbeat

    assert scraper()["portal_worker_last_seen_seconds"] == -1
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="host", pid=1, started_at=now, last_seen_at=now - timedelta(seconds=90)
    )
    assert 90 <= scraper()["portal_worker_last_seen_seconds"] < 100

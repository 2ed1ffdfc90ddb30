"""The task worker: sends once, outlasts database errors, reports in, recovers stopped workers' jobs.

The real outage (a PostgreSQL server stopped under the worker) is in test_worker_outage.py.
"""

import logging
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inquiries import tasks, worker
from inquiries.models import Inquiry, WorkerHeartbeat
from tests.inquiries.helpers import urgent_net_data, valid_data
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("run_worker", "--batch", "--no-reload", verbosity=0)


def portal_worker(worker_id="test-worker", **options):
    defaults = {
        "queue_names": ["default"],
        "interval": 0,
        "batch": True,
        "backend_name": "default",
        "startup_delay": False,
        "max_tasks": None,
        "worker_id": worker_id,
        "excluded_queue_names": [],
    }
    return worker.PortalWorker(**{**defaults, **options})


def fail_once(monkeypatch, target, name, message="server closed the connection unexpectedly"):
    """Make target.name raise a database error the first time it is called."""
    original = getattr(target, name)
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError(message)
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, flaky)
    return calls


def test_the_worker_sends_the_confirmation_and_the_urgent_notice_once(settings):
    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    inquiry, _ = submit(urgent_net_data())
    run_worker()
    run_worker()
    assert sorted(message.to[0] for message in mail.outbox) == ["alex@example.invalid", "oncall@example.invalid"]
    inquiry.refresh_from_db()
    assert inquiry.confirmation_sent_at is not None
    assert inquiry.oncall_notified_at is not None
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


def test_the_urgent_alert_runs_before_the_confirmations_queued_earlier(settings):
    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    for _ in range(3):
        submit(valid_data())
    submit(urgent_net_data(email="urgent@example.invalid"))
    run_worker()
    assert mail.outbox[0].to == ["oncall@example.invalid"]
    assert len(mail.outbox) == 5


def test_a_job_naming_an_unknown_task_fails_alone():
    submit(valid_data())
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="inquiries.tasks.no_such_task", backend_name="default"
    )
    run_worker()
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]
    assert len(mail.outbox) == 1


class TestDatabaseErrors:
    def test_an_error_after_the_mail_server_took_the_e_mail_records_it_instead_of_sending_again(self, monkeypatch):
        inquiry, _ = submit(valid_data())
        # The database fails between the send and the commit of the sent time.
        fail_once(monkeypatch, tasks, "_record_sent")
        run_worker()
        run_worker()
        assert len(mail.outbox) == 1
        inquiry.refresh_from_db()
        assert inquiry.confirmation_sent_at is not None
        assert inquiry.notifications.get().status == "sent"
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    def test_an_error_before_the_send_puts_the_job_back_and_it_runs_again(self, monkeypatch):
        submit(valid_data())
        calls = fail_once(monkeypatch, tasks, "_locked")
        run_worker()
        assert len(calls) == 2  # interrupted, then run again by the same worker
        assert len(mail.outbox) == 1
        job = DBTaskResult.objects.get()
        assert job.status == "SUCCESSFUL"
        assert len(job.worker_ids) == 2  # claimed twice

    def test_a_job_that_keeps_failing_on_the_database_is_given_up(self, monkeypatch):
        submit(valid_data())

        def broken(inquiry_id):
            raise OperationalError("no such column: something")

        monkeypatch.setattr(tasks, "_locked", broken)
        run_worker()
        job = DBTaskResult.objects.get()
        assert job.status == "FAILED"
        assert len(job.worker_ids) == worker.MAX_CLAIMS

    def test_an_outage_is_logged_once_and_the_recovery_once(self, monkeypatch, caplog):
        submit(valid_data())
        fail_once(monkeypatch, tasks, "_locked")
        probes = iter([False, False, False, False, True])  # unreachable four times, then back
        monkeypatch.setattr(worker, "database_answers", lambda: next(probes, True))
        monkeypatch.setattr(worker, "RECONNECT_FIRST_DELAY", 0.01)
        with caplog.at_level(logging.INFO, logger="inquiries.worker"):
            run_worker()
        errors = [record for record in caplog.records if record.levelno == logging.ERROR]
        assert [record.getMessage().split(": ", 1)[1] for record in errors] == [
            "the database is unreachable (OperationalError); retrying with back-off"
        ]
        assert sum("answers again" in record.getMessage() for record in caplog.records) == 1
        assert "closed the connection" not in caplog.text  # the class name only
        assert len(mail.outbox) == 1

    def test_the_claim_failing_does_not_stop_the_worker(self, monkeypatch):
        submit(valid_data())
        fail_once(monkeypatch, worker.PortalWorker, "claim_batch")
        monkeypatch.setattr(worker, "database_answers", lambda: True)
        run_worker()
        assert len(mail.outbox) == 1


class TestHeartbeatAndRecovery:
    def test_the_worker_reports_in_with_its_host_and_process(self):
        run_worker()
        beat = WorkerHeartbeat.objects.get()
        assert beat.pid > 0 and beat.hostname
        assert beat.last_seen_at >= timezone.now() - timedelta(seconds=5)
        assert beat.worker_id.startswith(beat.hostname[:40])

    def test_a_heartbeat_is_one_row_per_worker_updated_in_place(self):
        started = timezone.now()
        for jobs_done in (0, 3):
            worker.heartbeat_record(worker_id="w1", hostname="h", started_at=started, jobs_done=jobs_done)
        assert WorkerHeartbeat.objects.get().jobs_done == 3

    def test_the_job_of_a_silent_worker_is_run_again_within_the_bound(self, settings):
        settings.TRIAGE_WORKER_SILENT_SECONDS = 120
        inquiry, _ = submit(valid_data())
        job = DBTaskResult.objects.get()
        job.claim("dead-worker")  # claimed, then the worker died (no heartbeat)
        DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=121))
        run_worker()  # the worker itself recovers it: no scheduler involved
        assert DBTaskResult.objects.get(pk=job.pk).status == "FAILED"
        assert len(mail.outbox) == 1
        assert Inquiry.objects.get(pk=inquiry.pk).confirmation_sent_at is not None

    def test_the_job_of_a_living_worker_is_left_until_it_is_overdue(self, settings):
        settings.TRIAGE_WORKER_SILENT_SECONDS = 120
        settings.TRIAGE_TASK_STALLED_SECONDS = 600
        submit(valid_data())
        job = DBTaskResult.objects.get()
        job.claim("busy-worker")
        worker.heartbeat_record(worker_id="busy-worker", hostname="h", started_at=timezone.now(), jobs_done=0)
        DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=300))
        assert worker.tasks_recover_stalled() == 0
        DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(seconds=601))
        assert worker.tasks_recover_stalled() == 1

    def test_a_clean_stop_puts_the_unrun_part_of_the_batch_back(self):
        for _ in range(3):
            submit(valid_data())
        portal_worker(batch=False, max_tasks=1).run()
        assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["READY", "READY", "SUCCESSFUL"]


class TestHealth:
    def test_no_worker_ever_seen_is_503(self, client):
        response = client.get("/healthz/worker")
        assert response.status_code == 503
        assert response.json()["status"] == "no worker seen"
        assert "no-cache" in response["Cache-Control"]

    def test_a_recent_heartbeat_is_200_with_the_oldest_urgent_alert(self, client, settings):
        settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
        submit(urgent_net_data())
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=90))
        worker.heartbeat_record(worker_id="w1", hostname="h", started_at=timezone.now(), jobs_done=0)
        response = client.get("/healthz/worker")
        assert response.status_code == 200
        body = response.json()
        assert body["status"] == "ok"
        assert body["last_seen_seconds_ago"] <= 2
        assert 90 <= body["oldest_urgent_alert_waiting_seconds"] <= 95

    def test_a_silent_worker_is_503_after_the_setting(self, client, settings):
        settings.TRIAGE_WORKER_SILENT_SECONDS = 120
        worker.heartbeat_record(worker_id="w1", hostname="h", started_at=timezone.now(), jobs_done=0)
        WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(seconds=118))
        assert client.get("/healthz/worker").status_code == 200
        WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(seconds=121))
        response = client.get("/healthz/worker")
        assert response.status_code == 503
        assert response.json()["status"] == "worker not seen"

    def test_the_queue_summary_gives_waiting_jobs_and_their_age_per_priority(self, settings):
        settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
        submit(urgent_net_data())
        submit(valid_data())
        DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(seconds=30))
        summary = worker.task_queue_summary()
        assert {priority: row["waiting"] for priority, row in summary.items()} == {10: 1, 0: 2}
        assert all(30 <= row["oldest_seconds"] < 35 for row in summary.values())

    def test_the_health_check_uses_two_queries(self, client, django_assert_max_num_queries):
        with django_assert_max_num_queries(2):
            client.get("/healthz/worker")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL; SQLite has one writer")
def test_two_workers_side_by_side_never_take_the_same_job():
    inquiries = [submit(valid_data(email=f"p{number}@example.invalid"))[0] for number in range(120)]
    barrier = threading.Barrier(2)

    def work(worker_id):
        try:
            barrier.wait(timeout=10)
            portal_worker(worker_id=worker_id).run()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{number}",)) for number in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    jobs = list(DBTaskResult.objects.all())
    assert len(jobs) == len(inquiries)
    assert all(job.status == "SUCCESSFUL" and len(job.worker_ids) == 1 for job in jobs)
    assert {job.worker_ids[0] for job in jobs} == {"w1", "w2"}  # both did work
    assert sorted(message.to[0] for message in mail.outbox) == sorted(inquiry.email for inquiry in inquiries)

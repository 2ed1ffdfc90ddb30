"""E-mails through django.tasks: outbox, retries with back-off, sent once, escalation, worker failures."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from inquiries import services, tasks, worker
from inquiries.models import AccessLogEntry, Inquiry, Notification
from tests.inquiries.helpers import urgent_net_data, valid_data
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db(transaction=True)


def run_worker():
    call_command("run_worker", "--batch", "--no-reload", verbosity=0)


def make_due(*, older_than=timedelta(minutes=1)):
    """Let the re-enqueued retries run now (their run_after lies in the future)."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now() - older_than)


@pytest.fixture
def failing_mail(settings):
    """A mail backend that fails, as a mail server that is down."""
    settings.MAILERS = {"default": {"BACKEND": "tests.inquiries.test_notifications.FailingBackend"}}
    FailingBackend.failures = 0


class FailingBackend:
    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        FailingBackend.failures += 1
        raise SMTPServerDisconnected("Connection unexpectedly closed: alex@example.invalid Lebermetastasen")

    def open(self):
        return True

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_rolled_back_inquiry_leaves_no_job():
    with pytest.raises(RuntimeError), transaction.atomic():
        submit(urgent_net_data())
        assert DBTaskResult.objects.count() == 2
        raise RuntimeError("the request failed after saving")
    assert Inquiry.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_a_committed_inquiry_always_has_its_jobs(settings):
    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    inquiry, _ = submit(urgent_net_data())
    paths = sorted(DBTaskResult.objects.filter(status="READY").values_list("task_path", flat=True))
    assert paths == ["inquiries.tasks.notify_oncall_of_urgent_inquiry", "inquiries.tasks.send_inquiry_confirmation"]
    run_worker()
    assert {message.to[0] for message in mail.outbox} == {"alex@example.invalid", "oncall@example.invalid"}
    assert set(Notification.objects.filter(inquiry=inquiry).values_list("kind", "status")) == {
        ("confirmation", "sent"),
        ("oncall", "sent"),
    }


def test_a_failing_mail_server_is_retried_with_back_off_and_then_succeeds(settings, failing_mail, caplog):
    settings.TRIAGE_NOTIFICATION_RETRY_SECONDS = 30
    inquiry, _ = submit(valid_data())
    run_worker()
    notification = Notification.objects.get(inquiry=inquiry, kind="confirmation")
    assert (notification.status, notification.attempts) == ("retrying", 1)
    assert notification.last_error == "smtplib.SMTPServerDisconnected"
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"inquiry_id": inquiry.pk, "attempt": 2}
    # Back-off: 30 s after the failed attempt (measured against the row, not the wall clock of a busy machine).
    assert abs(retry.run_after - notification.updated_at - timedelta(seconds=30)) < timedelta(seconds=2)
    assert retry.run_after > timezone.now()
    run_worker()  # not due yet: nothing happens
    assert FailingBackend.failures == 1
    # The mail server is back.
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    make_due()
    run_worker()
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert Inquiry.objects.get(pk=inquiry.pk).confirmation_sent_at is not None
    # Health data from the error message never reaches the log.
    assert "Lebermetastasen" not in caplog.text
    assert "alex@example.invalid" not in caplog.text
    assert "Lebermetastasen" not in "".join(DBTaskResult.objects.values_list("traceback", flat=True))


def test_after_the_last_attempt_the_failure_is_visible_and_the_inquiry_is_kept(
    client, settings, failing_mail, superuser
):
    settings.TRIAGE_NOTIFICATION_MAX_ATTEMPTS = 3
    inquiry, _ = submit(valid_data())
    for _ in range(5):
        run_worker()
        make_due()
    assert FailingBackend.failures == 3
    notification = Notification.objects.get(inquiry=inquiry)
    assert (notification.status, notification.attempts) == ("failed", 3)
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    client.force_login(superuser)
    assert (
        "failed after the last retry" in client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/").content.decode()
    )
    from inquiries.admin import dashboard_counts

    assert dashboard_counts()["failed_notifications"] == 1


def test_a_retried_job_never_mails_twice():
    inquiry, _ = submit(valid_data())
    run_worker()
    # The same job again (a duplicate, or a retry after a crash): nothing more is sent.
    tasks.send_inquiry_confirmation.enqueue(inquiry_id=inquiry.pk, attempt=2)
    tasks.send_inquiry_confirmation.enqueue(inquiry_id=inquiry.pk)
    run_worker()
    assert len(mail.outbox) == 1


def test_a_worker_that_dies_mid_job_loses_neither_the_inquiry_nor_the_e_mail(settings):
    settings.TRIAGE_TASK_STALLED_SECONDS = 600
    inquiry, _ = submit(valid_data())
    job = DBTaskResult.objects.get()
    # A worker claims the job and dies before finishing (its transaction never committed).
    job.claim("dead-worker")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(minutes=11))
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()
    # The periodic check finds the stalled job and runs it again (the workers also do, see test_worker.py).
    call_command("escalate_overdue", verbosity=0)
    assert DBTaskResult.objects.get(pk=job.pk).status == "FAILED"
    run_worker()
    assert len(mail.outbox) == 1
    assert Inquiry.objects.get(pk=inquiry.pk).confirmation_sent_at is not None


def test_a_recent_running_job_is_left_alone():
    submit(valid_data())
    job = DBTaskResult.objects.get()
    job.claim("busy-worker")
    assert worker.tasks_recover_stalled() == 0


class TestEscalation:
    def overdue(self, data, hours):
        inquiry, _ = submit(data)
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(hours=hours))
        return inquiry

    def test_an_overdue_urgent_inquiry_is_escalated_once_without_health_data(self, settings):
        settings.TRIAGE_ESCALATION_EMAILS = ["lead@example.invalid"]
        urgent = self.overdue(urgent_net_data(), 5)
        self.overdue(urgent_net_data(), 3)  # not yet due
        self.overdue(valid_data(), 80)  # routine: overdue, but not escalated
        call_command("escalate_overdue", verbosity=0)
        call_command("escalate_overdue", verbosity=0)
        run_worker()
        escalations = [message for message in mail.outbox if message.to == ["lead@example.invalid"]]
        assert len(escalations) == 1
        message = escalations[0]
        assert urgent.reference in message.subject
        assert f"/admin/inquiries/inquiry/{urgent.pk}/change/" in message.body
        for private in ("Alex", "Lebermetastasen", "Neuroendokriner", "alex@example.invalid"):
            assert private not in message.body
        for reason in urgent.triage_reasons:
            assert reason not in message.body
        urgent.refresh_from_db()
        assert urgent.escalated_at is not None
        assert urgent.escalation_sent_at is not None
        assert AccessLogEntry.objects.filter(inquiry=urgent, detail="escalated: deadline passed").count() == 1
        assert Inquiry.objects.exclude(pk=urgent.pk).filter(escalated_at__isnull=False).count() == 0

    def test_an_answered_inquiry_is_not_escalated(self, triage_user):
        urgent = self.overdue(urgent_net_data(), 5)
        services.inquiry_change_status(inquiry=urgent, status="in_triage", by=triage_user)
        assert services.inquiries_escalate_overdue() == []

    def test_the_periodic_task_reschedules_itself_once(self, settings):
        settings.TRIAGE_ESCALATION_EMAILS = ["lead@example.invalid"]
        self.overdue(urgent_net_data(), 5)
        call_command("escalate_overdue", "--schedule", verbosity=0)
        call_command("escalate_overdue", "--schedule", verbosity=0)
        assert DBTaskResult.objects.filter(task_path="inquiries.tasks.triage_tick").count() == 1
        run_worker()
        assert Inquiry.objects.filter(escalated_at__isnull=False).count() == 1
        waiting = DBTaskResult.objects.filter(task_path="inquiries.tasks.triage_tick", status="READY")
        assert waiting.count() == 1
        assert waiting.get().run_after > timezone.now() + timedelta(minutes=4)


def test_the_periodic_task_schedules_its_next_run_even_after_an_error(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "inquiries_escalate_overdue", broken)
    call_command("escalate_overdue", "--schedule", verbosity=0)
    run_worker()
    ticks = DBTaskResult.objects.filter(task_path="inquiries.tasks.triage_tick")
    assert set(ticks.values_list("status", flat=True)) == {"FAILED", "READY"}

# make bench: run
"""How fast the task workers drain a backlog, and how long an urgent alert waits behind it (not a test).

Usage (PostgreSQL; by default its own database portal_bench_worker on 127.0.0.1, created when
missing and emptied first; `make bench` runs it with the defaults, two workers):
    [DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_worker] \
        .venv/bin/python bench/worker_throughput.py [--jobs 20000] [--workers 2] [--command run_worker]

Queues JOBS confirmation e-mails (sample inquiries, invented), starts WORKERS worker processes,
enqueues one urgent on-call alert once 200 confirmations are out, and reports when that alert was
sent, the drain rate (jobs a second, between the first and the last finished job), and the
workers' own CPU time per job (which the machine's load does not change, unlike the rate). Mail
goes to Django's
dummy backend: this measures the worker and the database, not a mail server. `--command db_worker`
runs django-tasks-db's own worker for comparison; `--profile FILE` runs one worker under cProfile.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-any-deployment",
    "DJANGO_ALLOWED_HOSTS": "localhost",
    "EMAIL_URL": "dummymail://",
    "TRIAGE_ONCALL_EMAILS": "oncall@example.invalid",
    "LOG_LEVEL": "WARNING",
}
BENCH_DATABASE = "postgres://postgres@127.0.0.1:5432/portal_bench_worker"
for name, value in BENCH_ENV.items():
    os.environ.setdefault(name, value)
if "DATABASE_URL" not in os.environ:
    import psycopg2

    os.environ["DATABASE_URL"] = BENCH_DATABASE
    server = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'portal_bench_worker'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE DATABASE portal_bench_worker")
    server.close()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from inquiries.models import Inquiry  # noqa: E402
from inquiries.tasks import notify_oncall_of_urgent_inquiry, send_inquiry_confirmation  # noqa: E402
from inquiries.worker import queued_jobs  # noqa: E402

SAMPLE = {
    "submitter_role": "patient",
    "patient_name": "Sample patient (bench data)",
    "email": "sample@example.invalid",
    "contact_language": "en",
    "diagnosis": "Sample diagnosis (bench data)",
    "is_cancer": "no",
    "doctor_two_week_start": "no",
    "symptoms_worsening": "no",
    "treatment_interrupted": "no",
    "consent_health_data": True,
}


def fill(jobs: int) -> None:
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE django_tasks_database_dbtaskresult, inquiries_inquiry CASCADE")
    started = time.perf_counter()
    inquiries = Inquiry.objects.bulk_create(
        Inquiry(submission_token=f"bench-{number}", **SAMPLE) for number in range(jobs)
    )
    with transaction.atomic():
        for inquiry in inquiries:
            send_inquiry_confirmation.enqueue(inquiry_id=inquiry.pk)
    print(f"queued {jobs} confirmation jobs in {time.perf_counter() - started:.1f} s")


def start_workers(count: int, command: str, profile: str | None) -> list[subprocess.Popen]:
    processes = []
    for number in range(count):
        argv = [sys.executable]
        if profile and number == 0:
            argv += ["-m", "cProfile", "-o", profile]
        argv += [str(ROOT / "manage.py"), command, "--no-reload", "--no-startup-delay", "--verbosity", "0"]
        processes.append(subprocess.Popen(argv, cwd=ROOT, env=os.environ))
    return processes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--command", default="run_worker", help="run_worker (ours) or db_worker (upstream)")
    parser.add_argument("--profile", help="write the first worker's cProfile statistics to this file")
    parser.add_argument("--limit", type=float, default=900, help="give up after this many seconds")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run this against PostgreSQL: DATABASE_URL=postgres://…/a_database_of_your_own")

    fill(options.jobs)
    processes = start_workers(options.workers, options.command, options.profile)
    begun = time.monotonic()
    try:
        # The alert arrives once the workers are draining the backlog (their start-up not counted).
        while Inquiry.objects.exclude(confirmation_sent_at=None).count() < 200 and time.monotonic() - begun < 120:
            time.sleep(0.2)
        with transaction.atomic():
            urgent = Inquiry.objects.create(
                submission_token=f"bench-{options.jobs}", priority="urgent", triage_priority="urgent", **SAMPLE
            )
            notify_oncall_of_urgent_inquiry.enqueue(inquiry_id=urgent.pk)
        enqueued = timezone.now()
        backlog_then = queued_jobs()
        latency = None
        while time.monotonic() - begun < options.limit:
            if latency is None:
                sent = Inquiry.objects.filter(pk=urgent.pk).values_list("oncall_notified_at", flat=True).get()
                if sent is not None:
                    latency = (sent - enqueued).total_seconds()
            if latency is not None and not queued_jobs():
                break
            time.sleep(0.2)
        left = queued_jobs()
    finally:
        for process in processes:
            process.send_signal(2)  # SIGINT: a graceful stop, so cProfile writes its file
        cpu_seconds = 0.0
        for process in processes:
            _, _, usage = os.wait4(process.pid, 0)  # the worker's own CPU time, whatever the load
            cpu_seconds += usage.ru_utime + usage.ru_stime

    sent_times = Inquiry.objects.exclude(confirmation_sent_at=None).order_by("confirmation_sent_at")
    first = sent_times.values_list("confirmation_sent_at", flat=True).first()
    last = sent_times.values_list("confirmation_sent_at", flat=True).last()
    done = sent_times.count()
    rate = (done - 1) / (last - first).total_seconds() if done > 1 else 0.0
    print(f"workers: {options.workers} x {options.command}; jobs: {options.jobs}; left unsent: {left}")
    print(f"backlog when the urgent alert was queued: {backlog_then}")
    print(f"urgent alert sent after: {'not sent' if latency is None else f'{latency:.2f} s'}")
    print(f"drain rate: {rate:.0f} jobs/s ({done} confirmations in {(last - first).total_seconds():.1f} s)")
    print(f"worker CPU per job (start-up included): {cpu_seconds / max(done, 1) * 1000:.1f} ms")
    print("load average (1, 5, 15 min): {:.2f} {:.2f} {:.2f} on {} cores".format(*os.getloadavg(), os.cpu_count()))


if __name__ == "__main__":
    main()

"""The task worker (`manage.py run_worker`): sends the e-mails, survives database outages, reports in.

This is the one module that knows django-tasks-db runs our jobs (STYLE.md): the worker, the job
queries behind the health check, the dashboard and the stalled-job recovery, and the self-
rescheduling periodic check. `tasks.py` only declares tasks; nothing else imports the backend.

How a job runs (docs/triage-workspace.md, "The worker"):
- Claimed in batches with `SELECT … FOR UPDATE SKIP LOCKED`, marked running and committed, so two
  workers never take the same job and a job's worker is on record.
- Run, then marked successful. An e-mail task commits the sent time under a row lock, so a job
  run twice sends once.
- A database error stops nothing: the worker waits for the database with back-off (logging the
  outage once, and the recovery once), then settles the interrupted job: if the mail server had
  already accepted the e-mail, the sent time is recorded now (no second e-mail); otherwise the job
  is put back in the queue and runs again.
- Every few seconds it writes its heartbeat and puts back the jobs of workers that stopped
  reporting (or that ran longer than TRIAGE_TASK_STALLED_SECONDS), so no scheduler is needed.
"""

import contextlib
import logging
import os
import random
import socket
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, transaction
from django.db.models import Case, Count, F, Min, When
from django.tasks.signals import task_finished, task_started
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from inquiries import tasks
from inquiries.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# Jobs claimed per query. An urgent alert queued meanwhile waits for at most this many jobs.
CLAIM_BATCH = 20
# A job claimed this many times (each claim interrupted by a database error) is given up as failed.
MAX_CLAIMS = 5
# Waiting for the database: the first pause and the longest, in seconds (doubled in between).
RECONNECT_FIRST_DELAY = 0.5
RECONNECT_MAX_DELAY = 10.0
# Heartbeat rows of workers gone this long are deleted.
HEARTBEAT_KEEP = timedelta(days=7)
# The tasks whose jobs are urgent alerts: the dashboard and /healthz/worker show their oldest wait.
URGENT_ALERT_TASKS = (tasks.notify_oncall_of_urgent_inquiry, tasks.notify_escalation)


class JobInterrupted(Exception):
    """A database error stopped a job midway; the job waits to be settled."""

    def __init__(self, job):
        super().__init__(str(job.id))
        self.job = job


class PortalWorker(Worker):
    """django-tasks-db's worker, made to outlast database outages and to report in."""

    def __init__(self, *, heartbeat_seconds: float | None = None, **options):
        super().__init__(**options)
        self.heartbeat_seconds = heartbeat_seconds or settings.TRIAGE_WORKER_HEARTBEAT_SECONDS
        self.hostname = socket.gethostname()[:255]
        self.started_at = timezone.now()
        self.next_heartbeat = 0.0  # monotonic seconds; 0: at once
        self.jobs_done = 0
        self.claimed: list[DBTaskResult] = []
        self.finished: list = []  # run, to be marked successful with the next claim
        self.recover_others_after = 0.0  # monotonic seconds

    def shutdown(self, signum, frame) -> None:
        if self.running and self.claimed:
            # Finish the job at hand, then put the rest of the batch back (stop).
            self.running = False
            logger.warning("Worker %s stopping after the current job", self.worker_id)
            return
        super().shutdown(signum, frame)

    # --- The loop ----------------------------------------------------------------------------

    def run(self) -> None:
        logger.info("Worker %s started (host %s, pid %s)", self.worker_id, self.hostname, os.getpid())
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 - spreads the start of many workers
        while self.running:
            try:
                self.housekeeping()
                job = self.next_job()
                if job is not None:
                    self.run_task(job)
                    self.claimed.remove(job)
            except JobInterrupted as interruption:
                self.recover_from(interruption.__cause__)
                self.settle_interrupted(interruption.job)
                continue
            except DatabaseError as error:
                if not (connection.vendor == "sqlite" and is_locked_database_exception(error)):
                    self.recover_from(error)
                continue
            if job is None:
                if self.batch:
                    logger.info("No more jobs for worker %s; exiting.", self.worker_id)
                    break
                time.sleep(self.interval)
            elif self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Worker %s ran %d jobs; exiting.", self.worker_id, self._run_tasks)
                break
        self.stop()

    def next_job(self) -> DBTaskResult | None:
        """The next job of this worker's batch, claiming a new batch when it is used up."""
        if not self.claimed:
            close_old_connections()  # as Django does per request: drop an expired connection
            self.claimed = self.claim_batch()
        return self.claimed[0] if self.claimed else None

    def claim_batch(self) -> list[DBTaskResult]:
        jobs = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            jobs = jobs.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            jobs = jobs.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(jobs.db):
            self.mark_finished()
            if connection.vendor == "postgresql":
                # After a burst the planner's statistics still say "few waiting jobs", and it sorts the
                # whole backlog for every claim; the partial index is already in claim order. And a
                # claim need not wait for the disk: lost in a crash, the jobs simply run again.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; "
                        "SET LOCAL synchronous_commit = off"
                    )
            batch = list(jobs.select_for_update(skip_locked=True)[:CLAIM_BATCH])
            now = timezone.now()
            for job in batch:
                job.status, job.started_at = "RUNNING", now
                job.worker_ids = [*job.worker_ids, self.worker_id]
            # One UPDATE for the jobs claimed for the first time (nearly all); one each for the rest.
            first = [job.pk for job in batch if job.worker_ids == [self.worker_id]]
            if first:
                DBTaskResult.objects.filter(pk__in=first).update(
                    status="RUNNING", started_at=now, worker_ids=[self.worker_id]
                )
            for job in batch:
                if job.pk not in first:
                    job.save(update_fields=["status", "started_at", "worker_ids"])
        self.finished = []
        return batch

    def mark_finished(self) -> None:
        """Mark the jobs run since the last claim successful, in one statement.

        Jobs that returned nothing are marked with the next claim rather than one by one: it saves a
        commit per job. Should the worker die first, they are run again, and find their e-mail sent.
        """
        if self.finished:
            DBTaskResult.objects.filter(pk__in=self.finished, status="RUNNING").update(
                status="SUCCESSFUL",
                finished_at=timezone.now(),
                return_value=None,
                exception_class_path="",
                traceback="",
            )

    def run_task(self, job: DBTaskResult) -> None:
        """Run one claimed job and record its outcome; a database error raises JobInterrupted."""
        self.running_task = True
        backend = None
        try:
            tasks.forget_accepted_sends()
            try:
                task = job.task  # an unknown task path fails this job, not the worker
                backend = type(task.get_backend())
                task_started.send(sender=backend, task_result=job.task_result)
                # The task commits its own work (an e-mail task: the sent time, under a row lock);
                # a task that raises keeps what it committed, as under any worker.
                return_value = task.call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
                if return_value is None:
                    job.status, job.finished_at = "SUCCESSFUL", timezone.now()
                    self.finished.append(job.pk)
                else:
                    job.set_successful(return_value)
            except DatabaseError as error:
                raise JobInterrupted(job) from error
            except Exception as error:  # noqa: BLE001 - a failing task fails its job, not the worker
                try:
                    job.set_failed(error)
                except DatabaseError as database_error:
                    raise JobInterrupted(job) from database_error
            tasks.forget_accepted_sends()
            if backend is not None:
                task_finished.send(sender=backend, task_result=job.task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1
            self.jobs_done += 1

    # --- Database outages ----------------------------------------------------------------------

    def recover_from(self, error: BaseException | None) -> None:
        """Return once the database answers; if it did not at first, log the outage and the recovery once."""
        if database_answers():
            # A passing error (a deadlock, a terminated session): the database is there.
            logger.warning("Worker %s: a database error (%s); carrying on", self.worker_id, _kind(error))
            return
        began = time.monotonic()
        logger.error(
            "Worker %s: the database is unreachable (%s); retrying with back-off", self.worker_id, _kind(error)
        )
        delay = RECONNECT_FIRST_DELAY
        while self.running:
            time.sleep(delay * random.uniform(0.8, 1.0))  # noqa: S311 - jitter, not security
            if database_answers():
                logger.warning(
                    "Worker %s: the database answers again after %.0f s; carrying on",
                    self.worker_id,
                    time.monotonic() - began,
                )
                self.next_heartbeat = 0.0
                # Living workers first settle their own interrupted jobs and report in; only then
                # may this one take over the jobs of workers that stayed silent.
                self.recover_others_after = time.monotonic() + self.heartbeat_seconds
                return
            delay = min(delay * 2, RECONNECT_MAX_DELAY)

    def settle_interrupted(self, job: DBTaskResult) -> None:
        """After an outage: record an e-mail the mail server took, or put the job back in the queue."""
        self.claimed = [claimed for claimed in self.claimed if claimed.pk != job.pk]
        try:
            with transaction.atomic():
                if tasks.record_accepted_sends():
                    outcome = "its e-mail was sent; recorded now"
                    job.set_successful(None)
                elif len(job.worker_ids) >= MAX_CLAIMS:
                    outcome = f"given up after {MAX_CLAIMS} attempts"
                    job.set_failed(JobInterrupted(job))
                else:
                    outcome = "back in the queue"
                    DBTaskResult.objects.filter(pk=job.pk, status="RUNNING").update(status="READY", started_at=None)
            tasks.forget_accepted_sends()
        except DatabaseError as error:
            # The database went away again: the job stays "running" under this worker's id, and the
            # e-mail (if any) stays noted; this worker retries until the database holds.
            self.recover_from(error)
            if not self.running:
                return None  # stopping: the job stays "running" and is recovered by the others
            return self.settle_interrupted(job)
        logger.warning("Worker %s: job %s was interrupted by the database; %s", self.worker_id, job.pk, outcome)

    def stop(self) -> None:
        """On a clean stop: mark the finished jobs, and put the claimed ones not yet run back in the queue."""
        # If the database is gone, the other workers recover them once this one's heartbeat is old.
        with contextlib.suppress(DatabaseError), transaction.atomic():
            self.mark_finished()
            if self.claimed:
                DBTaskResult.objects.filter(pk__in=[job.pk for job in self.claimed], status="RUNNING").update(
                    status="READY", started_at=None
                )
        self.finished, self.claimed = [], []

    # --- Heartbeat and recovery ---------------------------------------------------------------

    def housekeeping(self) -> None:
        """Every TRIAGE_WORKER_HEARTBEAT_SECONDS: report in, and recover the jobs of stopped workers."""
        if time.monotonic() < self.next_heartbeat:
            return
        now = timezone.now()
        heartbeat_record(
            worker_id=self.worker_id, hostname=self.hostname, started_at=self.started_at, jobs_done=self.jobs_done
        )
        if time.monotonic() >= self.recover_others_after:
            tasks_recover_stalled(now=now)
        self.next_heartbeat = time.monotonic() + self.heartbeat_seconds


def _kind(error: BaseException | None) -> str:
    # The class name only: a driver's message can name the host, the user or a query's values.
    return type(error).__name__ if error is not None else "unknown error"


def database_answers() -> bool:
    """Drop the (possibly broken) connection and ask the database for a fresh one."""
    with contextlib.suppress(DatabaseError):
        connection.close()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def default_worker_id() -> str:
    """Host, process id and a random part: unique across the pool, readable in the job rows."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{get_random_string(6)}"


# --- Reads and writes about the queue and the workers ---------------------------------------------


def heartbeat_record(*, worker_id: str, hostname: str, started_at, jobs_done: int) -> None:
    """Upsert this worker's heartbeat (one UPDATE, an INSERT the first time) and drop long-gone workers."""
    now = timezone.now()
    values = {"last_seen_at": now, "jobs_done": jobs_done}
    if not WorkerHeartbeat.objects.filter(worker_id=worker_id).update(**values):
        WorkerHeartbeat.objects.create(
            worker_id=worker_id, hostname=hostname, pid=os.getpid(), started_at=started_at, **values
        )
        WorkerHeartbeat.objects.filter(last_seen_at__lt=now - HEARTBEAT_KEEP).delete()


def tasks_recover_stalled(*, now=None) -> int:
    """Run again the jobs of a worker that stopped: still "running" while their worker is silent or long after.

    A job counts as stalled when its worker has not reported in for TRIAGE_WORKER_SILENT_SECONDS,
    or when it has run longer than TRIAGE_TASK_STALLED_SECONDS (a worker that never reports, such
    as django-tasks-db's own `db_worker`). The old row is marked failed ("WorkerLost") and a copy
    is enqueued; running it twice is harmless, because every task checks under a row lock whether
    its e-mail went out. Safe to run from every worker at once: the conditional update decides.
    """
    now = now or timezone.now()
    silent_since = now - timedelta(seconds=settings.TRIAGE_WORKER_SILENT_SECONDS)
    running = list(DBTaskResult.objects.filter(status="RUNNING", started_at__lt=silent_since))
    if not running:
        return 0
    stalled_before = now - timedelta(seconds=settings.TRIAGE_TASK_STALLED_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(last_seen_at__gte=silent_since).values_list("worker_id", flat=True))
    recovered = 0
    for job in running:
        owner = job.worker_ids[-1] if job.worker_ids else None
        if owner in alive and job.started_at >= stalled_before:
            continue  # its worker is alive and the job is not yet overdue
        with transaction.atomic():
            if not DBTaskResult.objects.filter(pk=job.pk, status="RUNNING").update(
                status="FAILED", finished_at=now, exception_class_path="inquiries.worker.WorkerLost"
            ):
                continue
            job.task.enqueue(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])
        recovered += 1
    if recovered:
        logger.warning("Re-enqueued %d jobs of a worker that stopped", recovered)
    return recovered


def worker_health(*, now=None) -> dict:
    """When a worker last reported in and how long the oldest urgent alert has waited (two queries)."""
    now = now or timezone.now()
    last_seen = WorkerHeartbeat.objects.last_seen()
    oldest = DBTaskResult.objects.filter(
        status__in=["READY", "RUNNING"], task_path__in=[task.module_path for task in URGENT_ALERT_TASKS]
    ).aggregate(oldest=Min("enqueued_at"))["oldest"]
    silent = None if last_seen is None else max(0, int((now - last_seen).total_seconds()))
    return {
        "last_seen": last_seen,
        "silent_seconds": silent,
        "silent_minutes": None if silent is None else silent // 60,
        "alive": silent is not None and silent < settings.TRIAGE_WORKER_SILENT_SECONDS,
        "oldest_urgent_alert_seconds": None if oldest is None else max(0, int((now - oldest).total_seconds())),
        "oldest_urgent_alert_minutes": None if oldest is None else max(0, int((now - oldest).total_seconds())) // 60,
    }


def _waiting_since():
    """When a ready job became runnable: its run_after, or when it was enqueued if it had none."""
    return Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))


def task_queue_summary(*, now=None) -> dict[int, dict]:
    """Per task priority: jobs ready to run now and how long the oldest has waited, in seconds (metrics)."""
    now = now or timezone.now()
    rows = (
        DBTaskResult.objects.ready()
        .values("priority")
        .annotate(waiting=Count("pk"), since=Min(_waiting_since()))
        .order_by("priority")
    )
    return {
        row["priority"]: {"waiting": row["waiting"], "oldest_seconds": max(0.0, (now - row["since"]).total_seconds())}
        for row in rows
    }


def task_running_summary(*, now=None) -> dict:
    """Jobs being run now, and how long the longest-running one has run, in seconds (metrics)."""
    now = now or timezone.now()
    running = DBTaskResult.objects.running().aggregate(jobs=Count("pk"), since=Min("started_at"))
    return {
        "running": running["jobs"],
        "oldest_seconds": (now - running["since"]).total_seconds() if running["since"] else 0.0,
    }


def queued_jobs() -> int:
    """How many jobs wait to run (due now or later)."""
    return DBTaskResult.objects.filter(status="READY").count()


def schedule_triage_tick(*, interval_seconds: int = 300, delay: timedelta = timedelta(0)) -> bool:
    """Enqueue the next periodic check unless one is already waiting; True if one was enqueued."""
    waiting = DBTaskResult.objects.filter(task_path=tasks.triage_tick.module_path, status="READY")
    with transaction.atomic():
        if waiting.exists():
            return False
        tasks.triage_tick.using(run_after=timezone.now() + delay).enqueue(interval_seconds=interval_seconds)
    return True


# --- The command -------------------------------------------------------------------------------


class WorkerCommand(DatabaseWorkerCommand):
    help = "Run a task worker that outlasts database outages, reports in and recovers stopped workers' jobs."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        # One line per job (django.tasks at INFO) costs more than the job at a hundred a second;
        # outages, retries and failures are logged by this module and by tasks.py all the same.
        if verbosity < 2:
            logging.getLogger("django.tasks").setLevel(logging.WARNING)

    def handle(self, *, verbosity, worker_id=None, **options) -> None:
        self.configure_logging(verbosity)
        worker_id = worker_id or default_worker_id()
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker = PortalWorker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if options["reload"] and not options["batch"]:
            from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

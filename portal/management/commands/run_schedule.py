"""The clock process (the Procfile's `clock`): runs the periodic commands at their times, for ever.

One clock runs per installation (its systemd unit is not a template). It replaces cron: the
escalation check (which also re-runs jobs of a dead worker) every TRIAGE_CHECK_INTERVAL_SECONDS
(five minutes), the retention purge once a day after 03:30 Berlin time and the pruning of
finished task results after 04:00. A failed run (the database restarting, say) is logged with
the error's class only and tried again at the next turn; the clock itself keeps going. A clock
started after 03:30 runs the daily jobs at once: they are idempotent, so a restart does no harm.
"""

import datetime
import io
import logging
import signal
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connections
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    command: str
    every_setting: str = ""  # run every so many seconds (the named setting) ...
    daily_at: datetime.time | None = None  # ... or once a local day, at or after this time

    def is_due(self, now: datetime.datetime, last_run: datetime.datetime | None) -> bool:
        if self.every_setting:
            every = datetime.timedelta(seconds=getattr(settings, self.every_setting))
            return last_run is None or now - last_run >= every
        local = timezone.localtime(now)
        if local.time() < self.daily_at:
            return False
        return last_run is None or timezone.localtime(last_run).date() < local.date()


SCHEDULE = (
    Job("escalate_overdue", every_setting="TRIAGE_CHECK_INTERVAL_SECONDS"),
    Job("purge_closed_inquiries", daily_at=datetime.time(3, 30)),
    # Finished task results older than 14 days: the task table stays small, its queries cheap.
    Job("prune_db_task_results", daily_at=datetime.time(4, 0)),
)


def run_due(last_runs: dict[str, datetime.datetime]) -> list[str]:
    """Run every job that is due now; returns the commands that ran (successfully or not)."""
    ran = []
    for job in SCHEDULE:
        now = timezone.now()
        if not job.is_due(now, last_runs.get(job.command)):
            continue
        close_old_connections()
        try:
            call_command(job.command, verbosity=0, stdout=io.StringIO())  # our log says it ran
        except Exception as error:  # noqa: BLE001 - the clock must outlive any one run
            # The class only: a database error's message can quote a query with a patient's data.
            logger.error("Scheduled %s failed (%s); tried again at the next turn", job.command, type(error).__name__)
            connections.close_all()
            continue
        finally:
            ran.append(job.command)
        last_runs[job.command] = now
        logger.info("Scheduled %s done", job.command)
    return ran


class Command(BaseCommand):
    help = "Run the periodic escalation check and the retention purge at their times (the clock process)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run what is due now, then exit.")

    def handle(self, *args, once=False, **options):
        last_runs: dict[str, datetime.datetime] = {}
        if once:
            run_due(last_runs)
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        logger.info("Clock started: %s", ", ".join(job.command for job in SCHEDULE))
        while not stopping:
            run_due(last_runs)
            for _ in range(min(60, settings.TRIAGE_CHECK_INTERVAL_SECONDS)):  # stop within a second of SIGTERM
                if stopping:
                    break
                time.sleep(1)

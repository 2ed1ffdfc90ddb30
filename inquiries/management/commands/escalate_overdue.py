"""Escalate overdue urgent and high inquiries and re-run e-mail jobs of a worker that died.

Run it every few minutes from cron (`*/5 * * * * …/manage.py escalate_overdue`), or once with
`--schedule` to start the self-rescheduling task `triage_tick` on the worker instead. (The workers
also recover stalled jobs on their own, every TRIAGE_WORKER_HEARTBEAT_SECONDS.)
"""

from django.core.management.base import BaseCommand

from inquiries.services import inquiries_escalate_overdue
from inquiries.worker import schedule_triage_tick, tasks_recover_stalled


class Command(BaseCommand):
    help = "Escalate urgent/high inquiries past their first-response deadline; recover stalled e-mail jobs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Instead, enqueue the periodic task (it re-schedules itself) unless one is waiting.",
        )
        parser.add_argument("--interval", type=int, default=300, help="Seconds between periodic checks (300).")

    def handle(self, *args, schedule=False, interval=300, **options):
        if schedule:
            started = schedule_triage_tick(interval_seconds=interval)
            self.stdout.write("Periodic check scheduled." if started else "A periodic check is already scheduled.")
            return
        escalated = inquiries_escalate_overdue()
        recovered = tasks_recover_stalled()
        self.stdout.write(f"Escalated {len(escalated)} inquiries; re-enqueued {recovered} stalled e-mail jobs.")

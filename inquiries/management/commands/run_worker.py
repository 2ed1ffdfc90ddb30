"""Run a task worker: `manage.py run_worker` (options as django-tasks-db's `db_worker`).

It sends the e-mails, outlasts database outages, reports in every few seconds and recovers the
jobs of workers that stopped. The worker itself is in inquiries/worker.py.
"""

from inquiries.worker import WorkerCommand as Command

__all__ = ["Command"]

"""Retention: anonymise inquiries closed long ago and delete their documents (run daily).

It also deletes documents held for a form that was never sent again (inquiries/holding.py), and
expired sessions, which can still name such documents.
"""

import contextlib
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from inquiries import holding
from inquiries.services import inquiries_due_for_purge, inquiry_anonymise


class Command(BaseCommand):
    help = (
        "Delete the documents and anonymise the inquiries closed more than --days days ago "
        "(INQUIRY_RETENTION_DAYS by default), keeping reference, dates, priority and outcome; "
        "delete documents held for unsent forms after INQUIRY_UPLOAD_HOLD_HOURS."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Days after closing (default from settings).")
        parser.add_argument("--dry-run", action="store_true", help="Print what would be done, change nothing.")

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.INQUIRY_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        due = list(inquiries_due_for_purge(days=days).order_by("closed_at").prefetch_related("attachments"))
        for inquiry in due:
            documents = len(inquiry.attachments.all())
            prefix = "Would anonymise" if dry_run else "Anonymising"
            self.stdout.write(
                f"{prefix} {inquiry.reference} (closed {inquiry.closed_at:%Y-%m-%d}, {documents} documents)"
            )
            if not dry_run:
                inquiry_anonymise(inquiry=inquiry, detail=f"retention: closed more than {days} days ago")
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(f"{len(due)} inquiries {verb}.")
        if not dry_run:
            held = holding.purge_expired()
            self.stdout.write(f"{held} held documents of unsent forms deleted.")
            with contextlib.suppress(NotImplementedError):  # cookie sessions end in the browser
                import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()

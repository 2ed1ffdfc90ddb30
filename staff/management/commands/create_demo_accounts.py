from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from staff.demo_accounts import demo_accounts_reset


class Command(BaseCommand):
    help = "Create one demo staff account per role with a new random password (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: set DJANGO_DEBUG=true.")
        accounts = demo_accounts_reset()
        self.stdout.write(self.style.MIGRATE_HEADING("Demo staff accounts (log in at /admin/):"))
        for account in accounts:
            role = account.role or "superuser"
            self.stdout.write(f"  {account.username:<16} {account.password:<20} {role}")
        self.stdout.write("These passwords change every time this command runs.")

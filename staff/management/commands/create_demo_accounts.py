from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from staff.demo_accounts import demo_accounts_reset


class Command(BaseCommand):
    help = "Create one demo staff account per role with a new random password and second factor (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: set DJANGO_DEBUG=true.")
        accounts = demo_accounts_reset()
        self.stdout.write(self.style.MIGRATE_HEADING("Demo staff accounts (log in at /admin/):"))
        for account in accounts:
            role = account.role or "superuser"
            self.stdout.write(f"  {account.username:<16} {account.password:<20} {role}")
        self.stdout.write("These passwords change every time this command runs.")
        self.stdout.write(self.style.MIGRATE_HEADING("Their second factor, asked for after the password:"))
        self.stdout.write(
            "  the current code:   .venv/bin/python manage.py demo_code demo-triage   (any demo account)\n"
            "  or add the key to an authenticator app (FreeOTP, Aegis, Google Authenticator...),\n"
            "  or type a recovery code (each works once)."
        )
        for account in accounts:
            self.stdout.write(
                f"    {account.username:<16} key {account.totp_secret}   recovery code {account.recovery_codes[0]}"
            )
            self.stdout.write(f"    {'':<16} {account.otpauth_uri}")
        self.stdout.write(
            "Passkeys: open http://localhost:8000/admin/ (a domain name, not 127.0.0.1), log in with a code,\n"
            'then "Second factor" -> "Add a passkey"; the next login offers "Use a passkey".'
        )

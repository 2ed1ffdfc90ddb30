from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.demo_accounts import DEMO_USERNAMES


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo account, as its authenticator app would (DEBUG only)."

    def add_arguments(self, parser):
        parser.add_argument("username", choices=sorted(DEMO_USERNAMES))

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            raise CommandError("Demo accounts are for development only: set DJANGO_DEBUG=true.")
        device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no second factor: run `manage.py create_demo_accounts` first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")

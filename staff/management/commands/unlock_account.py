from django.core.management.base import BaseCommand

from staff.services import account_unlock


class Command(BaseCommand):
    help = "Lift the login lockout of a staff account from every address (recorded in the security log)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        cleared = account_unlock(username=username)
        self.stdout.write(f"{username}: unlocked ({cleared} locked or counted address(es) cleared).")

"""Erasure on request: delete one person's inquiries, notes and documents (logged by reference)."""

from django.core.management.base import BaseCommand, CommandError

from inquiries.services import person_erase


class Command(BaseCommand):
    help = "Erase every inquiry sent with this e-mail address, with its documents; the access log keeps the reference."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, email, yes=False, **options):
        if not yes and input(f"Erase every inquiry of {email}? Type 'yes': ").strip() != "yes":
            raise CommandError("Nothing erased.")
        references = person_erase(email=email)
        if not references:
            raise CommandError("No inquiry with this e-mail address.")
        self.stdout.write(f"Erased {len(references)} inquiries: {', '.join(references)}")

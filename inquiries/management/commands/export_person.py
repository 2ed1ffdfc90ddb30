"""Subject access: export one person's inquiries as JSON with their documents."""

from django.core.management.base import BaseCommand, CommandError

from inquiries.services import ExportError, person_export


class Command(BaseCommand):
    help = "Export every inquiry sent with this e-mail address, as JSON plus the documents, into --out."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--out", required=True, help="A folder; created if missing.")

    def handle(self, *args, email, out, **options):
        try:
            references = person_export(email=email, out_dir=out)
        except ExportError as error:
            raise CommandError(str(error)) from None
        if not references:
            raise CommandError("No inquiry with this e-mail address.")
        self.stdout.write(f"Exported {len(references)} inquiries to {out}: {', '.join(references)}")

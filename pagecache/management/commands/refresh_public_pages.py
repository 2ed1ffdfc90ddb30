from django.core.management.base import BaseCommand

from pagecache.versions import DOMAINS, content_changed


class Command(BaseCommand):
    help = (
        "Make every cached public page fresh, e.g. after changing data outside the admin and the "
        "services (a shell session, a script, a staff member's display name)."
    )

    def handle(self, *args, **options):
        content_changed(*DOMAINS)
        self.stdout.write("Every cached public page will be rendered again on its next request.")

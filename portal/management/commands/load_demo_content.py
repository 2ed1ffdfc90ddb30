from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from pagecache.versions import DOMAINS, content_changed


class Command(BaseCommand):
    help = (
        "Load the sample content that lets a newcomer try the portal. Each app contributes its "
        "part in its own `demo.py` (a `load(stdout)` function). Safe to run again: it updates "
        "the sample records instead of duplicating them."
    )

    def handle(self, *args, **options):
        loaded = 0
        for app_config in apps.get_app_configs():
            module_name = f"{app_config.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).load(stdout=self.stdout)
            loaded += 1
        content_changed(*DOMAINS)  # demo records are written directly, not through the admin
        self.stdout.write(self.style.SUCCESS(f"Demo content loaded from {loaded} app(s)."))

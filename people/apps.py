from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Medical team")

    def ready(self):
        from django.db.models import Q

        from images.usage import register_public_use
        from pagecache.versions import register_next_change
        from people.models import Person
        from people.services import PUBLISH_PERMISSION

        # A portrait is public while its person is listed on the team pages.
        register_public_use(
            lambda: Q(pk__in=Person.objects.listed().values("portrait")), publish_permission=PUBLISH_PERMISSION
        )
        # Cached pages (team, bylines, JSON-LD) expire when a profile goes live or expires by itself.
        register_next_change(lambda now: Person.objects.next_visibility_change(now=now))

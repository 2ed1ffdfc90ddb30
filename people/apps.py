from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("Medical team")

    def ready(self):
        from django.db.models import Q

        from images.usage import register_public_use
        from people.models import Person

        # A portrait is public while its person is listed on the team pages.
        register_public_use(lambda: Q(pk__in=Person.objects.listed().values("portrait")))

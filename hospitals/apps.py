from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HospitalsConfig(AppConfig):
    name = "hospitals"
    verbose_name = _("Hospital directory")

    def ready(self):
        from hospitals.filters import VERIFIED_WITHIN_CHOICES
        from hospitals.models import Hospital, SiteNotice
        from pagecache.versions import register_next_change

        # Cached pages expire when a status goes stale or leaves a "verified in the last N days"
        # filter, and when a site notice starts or ends. Dates flip at midnight (pagecache).
        filter_days = [int(value) for value, _label in VERIFIED_WITHIN_CHOICES]
        register_next_change(lambda now: Hospital.objects.next_status_change(now=now, also_after_days=filter_days))
        register_next_change(lambda now: SiteNotice.objects.next_change(now=now))

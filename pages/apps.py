from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages")

    def ready(self):
        from pagecache.versions import register_next_change
        from pages.models import Page

        # Cached pages expire when a scheduled page goes live or a published one expires.
        register_next_change(lambda now: Page.objects.next_visibility_change(now=now))

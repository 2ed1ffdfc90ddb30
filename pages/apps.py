from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = _("Site pages")

    def ready(self):
        from django.db.models import TextField
        from django.db.models.functions import Cast

        from images.references import used_in
        from images.usage import register_public_use
        from pagecache.versions import register_next_change
        from pages.models import Page

        # Cached pages expire when a scheduled page goes live or a published one expires.
        register_next_change(lambda now: Page.objects.next_visibility_change(now=now))
        from pages.services import PUBLISH_PERMISSIONS

        # A library image is public while a published page's published copy (`live`: body and
        # blocks) refers to it; a reference only in a change still waiting for review is not.
        # Its file may then be replaced only by those who may publish that page (its review role).
        for role, permission in PUBLISH_PERMISSIONS.items():
            register_public_use(
                lambda role=role: used_in(
                    Page.objects.published().filter(review_role=role).annotate(live_text=Cast("live", TextField())),
                    "live_text",
                ),
                publish_permission=permission,
            )

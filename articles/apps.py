from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Treatment articles")

    def ready(self):
        from django.db.models import Q

        from articles.models import Article
        from articles.services import PUBLISH_PERMISSION
        from images.references import used_in
        from images.usage import register_public_use
        from pagecache.versions import register_next_change

        # Cached pages expire when a scheduled article goes live or a published one expires.
        register_next_change(lambda now: Article.objects.next_visibility_change(now=now))
        # A library image is public while a published article shows it (lead or body).
        register_public_use(
            lambda: (
                Q(pk__in=Article.objects.published().values("lead_image"))
                | used_in(Article.objects.published(), "body")
            ),
            publish_permission=PUBLISH_PERMISSION,
        )

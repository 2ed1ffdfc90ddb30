from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Treatment articles")

    def ready(self):
        from articles.models import Article
        from pagecache.versions import register_next_change

        # Cached pages expire when a scheduled article goes live or a published one expires.
        register_next_change(lambda now: Article.objects.next_visibility_change(now=now))

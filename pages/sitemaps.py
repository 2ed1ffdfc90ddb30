from django.contrib.sitemaps import Sitemap

from languages.sitemaps import LanguageVersionSitemapMixin
from pages.models import Page, PageKind


class PageSitemap(LanguageVersionSitemapMixin, Sitemap):
    """The published site pages, with their language alternates.

    The home page and the team's menu entry are left out: their addresses are listed elsewhere.
    """

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Page.objects.published()
            .exclude(kind__in=[PageKind.HOME, PageKind.TEAM])
            .order_by("slug", "language")
            .only("slug", "kind", "updated_at", "language", "translation_of")
        )

    def lastmod(self, item):
        return item.updated_at

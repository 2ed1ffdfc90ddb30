from django.contrib.sitemaps import Sitemap

from languages.sitemaps import LanguageVersionSitemapMixin
from pages.models import Page, PageKind


class PageSitemap(LanguageVersionSitemapMixin, Sitemap):
    """The published site pages (the home page is the site's own entry), with their language alternates."""

    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return (
            Page.objects.published()
            .exclude(kind=PageKind.HOME)
            .order_by("slug", "language")
            .only("slug", "kind", "updated_at", "language", "translation_of")
        )

    def lastmod(self, item):
        return item.updated_at

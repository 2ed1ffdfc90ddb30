from django.contrib.sitemaps import Sitemap

from articles.models import Article
from languages.sitemaps import LanguageVersionSitemapMixin


class ArticleSitemap(LanguageVersionSitemapMixin, Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Article.objects.published().newest_first().only("slug", "updated_at", "language", "translation_of")

    def lastmod(self, item):
        return item.updated_at

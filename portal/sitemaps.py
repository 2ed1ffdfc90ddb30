"""/sitemap.xml: the site's own pages plus one section per app (each app owns its Sitemap class)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from articles.sitemaps import ArticleSitemap
from hospitals.sitemaps import HospitalSitemap
from pages.sitemaps import PageSitemap


class SitePagesSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return ["home", "articles:list", "hospitals:list"]

    def location(self, item):
        return reverse(item)

    def priority(self, item):
        return 1.0 if item == "home" else 0.5


SITEMAPS = {
    "pages": SitePagesSitemap,
    "articles": ArticleSitemap,
    "hospitals": HospitalSitemap,
    "site-pages": PageSitemap,
}

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from people.models import Person


class PersonSitemap(Sitemap):
    """The team list and each listed person's page."""

    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return ["people:list", *Person.objects.listed().only("slug", "updated_at").order_by("slug")]

    def location(self, item):
        return reverse(item) if isinstance(item, str) else item.get_absolute_url()

    def lastmod(self, item):
        return None if isinstance(item, str) else item.updated_at

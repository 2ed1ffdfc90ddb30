from django.contrib.sitemaps import Sitemap

from hospitals.models import Hospital


class HospitalSitemap(Sitemap):
    changefreq = "daily"  # the admission status changes; the page shows it
    priority = 0.7

    def items(self):
        return Hospital.objects.order_by("slug").only("slug", "updated_at")

    def lastmod(self, item):
        return item.updated_at

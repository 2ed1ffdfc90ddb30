"""Sitemap `hreflang` alternates for records with language versions (languages/models.py)."""

from collections import defaultdict


class LanguageVersionSitemapMixin:
    """Adds to each URL the `xhtml:link` alternates of its versions in other languages.

    Put it before `Sitemap` in the bases; `items()` must return `LanguageVersion` records (with
    `language` and `translation_of` loaded). Versions are matched among the sitemap's own items, so
    only public versions are linked.
    """

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        versions = defaultdict(list)
        for url in urls:
            item = url["item"]
            versions[item.source_id].append({"lang_code": item.language, "location": url["location"]})
        for url in urls:
            group = versions[url["item"].source_id]
            if len(group) > 1:
                url["alternates"] = group
        return urls

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from articles.models import Article


class LatestArticlesFeed(Feed):
    title = _("Care Bridge Germany: treatment articles")
    link = reverse_lazy("articles:list")
    description = _("New articles on treatment in Germany, reviewed by doctors.")

    def items(self):
        return Article.objects.published().newest_first().prefetch_related("treatments")[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.standfirst

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [treatment.name for treatment in item.treatments.all()]


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

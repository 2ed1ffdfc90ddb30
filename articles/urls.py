from django.urls import path

from articles import feeds, views
from pagecache.middleware import public_page

app_name = "articles"

urlpatterns = [
    path("", public_page(views.ArticleListView.as_view()), name="list"),
    path("feed/", public_page(feeds.LatestArticlesFeed()), name="feed"),
    path("feed/atom/", public_page(feeds.LatestArticlesAtomFeed()), name="feed_atom"),
    path("preview/<int:pk>/", views.ArticlePreviewView.as_view(), name="preview"),
    path("<slug:slug>/", public_page(views.ArticleDetailView.as_view()), name="detail"),
]

"""Nothing unpublished ever leaks: one definition of "public", used by every public surface."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

MARKER = "Zebracorn"  # a word that appears only in the hidden article


def _hidden(state, lutetium, net):
    now = timezone.now()
    fields = {
        "draft": {"status": "draft"},
        "in_review": {"status": "in_review"},
        "scheduled": {"status": "published", "publish_at": now + datetime.timedelta(days=2)},
        "expired": {
            "status": "published",
            "publish_at": now - datetime.timedelta(days=30),
            "expires_at": now - datetime.timedelta(minutes=1),
        },
        "archived": {"status": "archived", "publish_at": now - datetime.timedelta(days=30)},
    }[state]
    return ArticleFactory(
        slug=f"hidden-{state}",
        title=f"{MARKER} {state} article",
        standfirst=f"{MARKER} standfirst.",
        body=f"{MARKER} body.",
        treatments=[lutetium],
        conditions=[net],
        **fields,
    )


STATES = ["draft", "in_review", "scheduled", "expired", "archived"]


@pytest.mark.parametrize("state", STATES)
def test_a_hidden_article_appears_on_no_public_surface(client, state, public_article, lutetium, net):
    hidden = _hidden(state, lutetium, net)
    assert list(Article.objects.published()) == [public_article]

    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(f"/articles/{hidden.slug}/lead-image/").status_code == 404
    surfaces = {
        "list": "/articles/",
        "search": f"/articles/?q={MARKER}",
        "condition filter": f"/articles/?condition={net.slug}",
        "treatment filter": f"/articles/?treatment={lutetium.slug}",
        "rss": "/articles/feed/",
        "atom": "/articles/feed/atom/",
        "sitemap": "/sitemap.xml",
        "home": "/",
        "related links": public_article.get_absolute_url(),
    }
    for surface, url in surfaces.items():
        response = client.get(url)
        assert response.status_code == 200, surface
        text = response.content.decode()
        # (The search page repeats the query, so look for the article's own texts.)
        for leaked in (hidden.title, hidden.standfirst, hidden.slug, f"{MARKER}</mark>"):
            assert leaked not in text, (surface, leaked)
    assert "0 articles found" in client.get(f"/articles/?q={MARKER}").text
    # The control: the public article is on those surfaces.
    assert public_article.title in client.get("/articles/").text
    assert public_article.slug in client.get("/sitemap.xml").text


def test_a_public_article_links_to_related_public_articles(client, public_article, lutetium):
    other = ArticleFactory(published=True, slug="other", title="Another PRRT article", treatments=[lutetium])
    html = client.get(public_article.get_absolute_url()).text
    assert other.get_absolute_url() in html
    assert "Related articles" in html


def test_scheduled_article_becomes_public_when_its_time_comes(public_article):
    soon = timezone.now() + datetime.timedelta(hours=1)
    article = ArticleFactory(slug="later", status="published", publish_at=soon)
    assert article not in Article.objects.published()
    assert article in Article.objects.published(now=soon + datetime.timedelta(seconds=1))

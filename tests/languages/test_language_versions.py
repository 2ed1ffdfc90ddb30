"""Language versions of one article: linked pages, hreflang, the sitemap and the editors' view."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    today = timezone.localdate()
    source = ArticleFactory(slug="net-guide", title="NET guide", language="en", published=True)
    german = ArticleFactory(
        slug="net-ratgeber", title="NET-Ratgeber", language="de", translation_of=source, published=True
    )
    russian = ArticleFactory(
        slug="net-rukovodstvo", title="Руководство по НЭО", language="ru", translation_of=source, published=True
    )
    # The source was reviewed after the German translation was: the translation is out of date.
    Article.objects.filter(pk=source.pk).update(last_reviewed_on=today)
    Article.objects.filter(pk=german.pk).update(last_reviewed_on=today - datetime.timedelta(days=30))
    Article.objects.filter(pk=russian.pk).update(last_reviewed_on=today)
    return {
        code: Article.objects.get(pk=article.pk) for code, article in (("en", source), ("de", german), ("ru", russian))
    }


def test_each_version_links_the_others_by_their_own_name_and_in_the_head(client, versions):
    page = client.get("/articles/net-ratgeber/").text
    assert "Also available in:" in page
    assert '<a href="/articles/net-guide/" hreflang="en" lang="en">English</a>' in page
    assert '<a href="/articles/net-rukovodstvo/" hreflang="ru" lang="ru">Русский</a>' in page
    for code, slug in [("en", "net-guide"), ("de", "net-ratgeber"), ("ru", "net-rukovodstvo")]:
        assert f'<link rel="alternate" hreflang="{code}" href="http://testserver/articles/{slug}/">' in page
    assert '<meta property="og:locale" content="de_DE">' in page


def test_a_version_that_is_not_public_is_not_linked(client, versions):
    Article.objects.filter(pk=versions["ru"].pk).update(status="draft")
    page = client.get("/articles/net-guide/").text
    assert ">Русский</a>" not in page and 'hreflang="ru"' not in page
    assert ">Deutsch</a>" in page


def test_an_article_without_versions_shows_no_line_and_no_alternates(client):
    ArticleFactory(slug="alone", published=True)
    page = client.get("/articles/alone/").text
    assert "Also available in" not in page and 'rel="alternate" hreflang' not in page


def test_the_sitemap_lists_the_alternates_of_each_version(client, versions):
    xml = client.get("/sitemap.xml").text
    assert (
        xml.count('<xhtml:link rel="alternate" hreflang="ru" href="http://testserver/articles/net-rukovodstvo/"/>')
        == 3
    )


def test_a_translation_must_point_at_a_source_in_another_language(versions):
    chained = ArticleFactory.build(slug="x", language="en", translation_of=versions["de"])
    with pytest.raises(ValidationError) as error:
        chained.full_clean()
    assert error.value.error_dict["translation_of"][0].code == "translation_of_translation"
    same = ArticleFactory.build(slug="y", language="en", translation_of=versions["en"])
    with pytest.raises(ValidationError) as error:
        same.full_clean()
    assert error.value.error_dict["language"][0].code == "same_language"


def test_editors_see_missing_languages_and_out_of_date_translations(client, superuser, versions):
    lonely = ArticleFactory(slug="lonely", language="de", published=True)
    assert list(Article.objects.outdated_translations()) == [versions["de"]]
    assert set(Article.objects.lacking_a_language()) == {lonely}
    client.force_login(superuser)
    outdated = client.get("/admin/articles/article/?translations=outdated")
    assert [a.slug for a in outdated.context["cl"].result_list] == ["net-ratgeber"]
    missing = client.get("/admin/articles/article/?translations=missing")
    assert [a.slug for a in missing.context["cl"].result_list] == ["lonely"]
    listing = client.get("/admin/articles/article/").text
    assert "de out of date" in listing and "en missing" in listing

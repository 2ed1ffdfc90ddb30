import json
import re

import pytest
from django.utils import timezone

from articles import services
from tests.factories import ArticleFactory, ConditionFactory, ImageFactory, StaffUserFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


def json_ld(html):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


@pytest.fixture
def reviewed_article(medical_reviewer, lutetium, net):
    medical_reviewer.first_name, medical_reviewer.last_name = "Anna", "Schmidt"
    medical_reviewer.save()
    author = StaffUserFactory(username="writer", first_name="Ben", last_name="Writer")
    article = ArticleFactory(
        slug="prrt-guide",
        title="PRRT guide",
        standfirst="Radionuclide therapy for NET, explained for patients.",
        body="## What it is\n\nText.\n\n## Who can have it\n\nMore text.",
        status="in_review",
        treatments=[lutetium],
        conditions=[net],
    )
    article.authors.set([author])
    article.references.create(
        position=1, citation="Strosberg J et al. NETTER-1. NEJM 2017.", url="https://example.org/n"
    )
    services.article_publish(article=article, user=medical_reviewer)
    return article


def test_article_page_shows_everything_a_reader_needs(client, reviewed_article):
    html = client.get("/articles/prrt-guide/").text
    assert "<h1" in html and "PRRT guide" in html
    assert "Radionuclide therapy for NET" in html
    assert "Medically reviewed by" in html and "Anna Schmidt" in html
    assert "Written by" in html and "Ben Writer" in html
    assert "Last updated" in html
    assert "On this page" in html and 'href="#what-it-is"' in html and 'id="what-it-is"' in html
    assert "References" in html and "NETTER-1" in html
    assert 'href="/medical-disclaimer/"' in html
    assert "{% block" not in html


def test_article_page_is_understood_by_search_engines(client, reviewed_article):
    html = client.get("/articles/prrt-guide/").text
    assert '<link rel="canonical" href="http://testserver/articles/prrt-guide/">' in html
    assert '<meta name="description" content="Radionuclide therapy for NET, explained for patients.">' in html
    assert '<meta property="og:title" content="PRRT guide">' in html
    assert '<meta property="og:type" content="article">' in html
    data = json_ld(html)
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == "http://testserver/articles/prrt-guide/"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Anna Schmidt"}
    assert data["lastReviewed"] == reviewed_article.last_reviewed_on.isoformat()
    assert data["about"] == [{"@type": "MedicalCondition", "name": "Neuroendocrine tumour"}]
    assert data["inLanguage"] == "en"


def test_json_ld_cannot_be_broken_out_of(client):
    ArticleFactory(published=True, slug="x", title="</script><script>alert(1)</script>")
    html = client.get("/articles/x/").text
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_list_shows_newest_first_with_filters(client, lutetium, net):
    other_treatment = TreatmentFactory(slug="surgery", name_en="Surgery")
    lung = ConditionFactory(slug="lung", name_en="Lung cancer")
    older = ArticleFactory(published=True, slug="older", title="Older PRRT", treatments=[lutetium], conditions=[net])
    newer = ArticleFactory(published=True, slug="newer", title="Newer surgery", treatments=[other_treatment])
    older.publish_at = newer.publish_at.replace(year=newer.publish_at.year - 1)
    older.save()
    ArticleFactory(slug="draft-lung", conditions=[lung])  # only a draft uses this condition

    response = client.get("/articles/")
    assert [a.slug for a in response.context["articles"]] == ["newer", "older"]
    assert 'value="lung"' not in response.text  # filters offer only terms with public articles
    assert [a.slug for a in client.get("/articles/?treatment=lutetium-177-prrt").context["articles"]] == ["older"]
    assert [a.slug for a in client.get("/articles/?condition=neuroendocrine-tumour").context["articles"]] == ["older"]


def test_unknown_filter_values_and_pages_are_handled(client, public_article):
    response = client.get("/articles/?treatment=no-such-thing")
    assert response.status_code == 200
    assert "could not use one of the filters" in response.text
    assert client.get("/articles/?page=999").status_code == 404
    assert client.get("/articles/?page=abc").status_code == 404
    assert client.get("/articles/?q=" + "x" * 5000).status_code == 200


def test_list_paginates(client):
    for number in range(12):
        ArticleFactory(published=True, slug=f"a-{number}")
    first = client.get("/articles/")
    assert len(first.context["articles"]) == 10
    assert 'rel="next"' in first.text
    second = client.get("/articles/?page=2")
    assert len(second.context["articles"]) == 2
    assert '<meta name="robots" content="noindex, follow">' in second.text


def _many_articles(count, lutetium, net):
    author = StaffUserFactory(username="author")
    for number in range(count):
        article = ArticleFactory(published=True, slug=f"many-{number}", treatments=[lutetium], conditions=[net])
        article.authors.set([author])
        article.references.create(citation=f"Reference {number}")


@pytest.mark.parametrize("count", [5, 500])
def test_list_and_detail_run_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, lutetium, net, count, page_cache_schedule
):
    _many_articles(count, lutetium, net)
    page_cache_schedule()
    # Each page also runs the hospitals app's site-notice query and the site pages' menu query of
    # the base layout (+2).
    with django_assert_max_num_queries(8):
        assert client.get("/articles/").status_code == 200
    # (+1: validating the treatment filter looks the slug up)
    with django_assert_max_num_queries(9):
        assert client.get(f"/articles/?q=treatment&treatment={lutetium.slug}").status_code == 200
    # (+1: the hospitals offering the article's treatments; the body is stored rendered;
    # +1: the article's public versions in other languages)
    with django_assert_max_num_queries(11):
        assert client.get("/articles/many-3/").status_code == 200
    with django_assert_max_num_queries(3):
        assert client.get("/articles/feed/").status_code == 200
    # (+1: the hospitals' section, +1: the site pages' section, +1: the team's)
    with django_assert_max_num_queries(5):
        assert client.get("/sitemap.xml").status_code == 200
    # (+2: the hospitals' admission summary and the site notices; +2: the editable home page and the menus)
    with django_assert_max_num_queries(6):
        assert client.get("/").status_code == 200


def test_feeds_list_published_articles(client, reviewed_article):
    rss = client.get("/articles/feed/")
    assert rss["Content-Type"].startswith("application/rss+xml")
    assert "<title>PRRT guide</title>" in rss.text
    assert "http://testserver/articles/prrt-guide/" in rss.text
    atom = client.get("/articles/feed/atom/")
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert "PRRT guide" in atom.text


def test_sitemap_lists_site_pages_and_articles_with_lastmod(client, reviewed_article, site_pages):
    xml = client.get("/sitemap.xml").text
    for path in ("/", "/articles/", "/imprint/", "/privacy/", "/medical-disclaimer/", "/articles/prrt-guide/"):
        assert f"<loc>http://testserver{path}</loc>" in xml
    # The sitemap dates in Berlin time: just after midnight that is already the next UTC day.
    assert f"<lastmod>{timezone.localdate(reviewed_article.updated_at).isoformat()}" in xml


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_staff_areas(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in response.text
    assert "Disallow: /articles/preview/" in response.text
    assert "Sitemap: http://testserver/sitemap.xml" in response.text


def test_home_page_shows_the_latest_articles(client, reviewed_article):
    html = client.get("/").text
    assert "Latest articles" in html
    assert 'href="/articles/prrt-guide/"' in html


def test_article_pages_have_no_inline_scripts_or_styles(client, reviewed_article):
    for url in ("/articles/", "/articles/prrt-guide/", "/articles/?q=prrt"):
        html = client.get(url).text
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        # JSON-LD is data, never run: it needs no nonce, which keeps the page cacheable.
        assert all(tag == '<script type="application/ld+json">' for tag in scripts), url
        assert " style=" not in html and "<style" not in html, url


def test_german_interface_with_an_english_article(client, reviewed_article):
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    html = client.get("/articles/prrt-guide/").text
    assert '<html lang="de">' in html
    assert 'lang="en"' in html  # the article itself is marked as English


def test_the_lead_image_comes_from_the_library_and_is_public_only_with_the_article(client, editor):
    from images.renditions import largest_url

    image = ImageFactory(alt_text_en="A PET scan", alt_text_de="Ein PET-Bild")
    article = ArticleFactory(slug="with-image", lead_image=image)
    url = largest_url(image, "wide")
    assert client.get(url).status_code == 404
    client.force_login(editor)  # staff see it in the preview
    assert client.get(f"/articles/preview/{article.pk}/").status_code == 200
    assert client.get(url)["Cache-Control"] == "private, no-store"  # never kept by a shared cache
    client.logout()
    article.status, article.publish_at = "published", article.created_at
    article.save()
    assert client.get(url)["Cache-Control"] == "public, max-age=300, stale-while-revalidate=60"
    html = client.get("/articles/with-image/").text
    lead = html.split('<figure class="article-lead-image">', 1)[1].split("</figure>", 1)[0]
    assert '<source type="image/webp"' in lead and 'alt="A PET scan"' in lead
    assert 'width="960" height="540"' in lead and 'loading="lazy"' not in lead  # above the fold
    assert f'<meta property="og:image" content="http://testserver{url}">' in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert 'alt="Ein PET-Bild"' in client.get("/articles/with-image/").text


def test_a_german_article_in_the_german_interface(client):
    ArticleFactory(published=True, slug="de", language="de", title="Operation bei NET", standfirst="Kurz gesagt.")
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    html = client.get("/articles/de/").text
    assert "Operation bei NET" in html
    assert "Zuletzt aktualisiert" in html
    assert json_ld(html)["inLanguage"] == "de"
    listing = client.get("/articles/").text
    assert "Neuen Artikeln folgen" in listing


def test_inquiry_call_to_action_is_prefilled_with_the_treatment(client, reviewed_article):
    html = client.get("/articles/prrt-guide/").text
    assert "Ask us about this treatment" in html
    assert 'href="/inquiry/?treatment=lutetium-177-prrt"' in html


def test_login_names_of_staff_are_never_published(client, reviewed_article, medical_reviewer):
    medical_reviewer.first_name = medical_reviewer.last_name = ""
    medical_reviewer.save()
    reviewed_article.authors.set([StaffUserFactory(username="jdoe-admin")])
    html = client.get("/articles/prrt-guide/").text
    assert "jdoe-admin" not in html
    assert medical_reviewer.username not in html.replace('"/admin/', "")
    assert "the Care Bridge Germany medical team" in html


@pytest.mark.parametrize("query", ["%00", "a%00b", "lutetium%00", "%01%02", "\u200b"])
def test_control_characters_in_a_search_are_ignored_not_an_error(client, public_article, query):
    response = client.get(f"/articles/?q={query}")
    assert response.status_code == 200


def test_the_cached_article_keeps_its_topics_in_each_readers_language_order(client):
    from tests.factories import TreatmentFactory

    # English: "Apple" before "Zebra"; German: "Ameise" (the zebra's) before "Zitrone" (the apple's).
    apple = TreatmentFactory(name_en="Apple therapy", name_de="Zitronentherapie", slug="apple")
    zebra = TreatmentFactory(name_en="Zebra therapy", name_de="Ameisentherapie", slug="zebra")
    article = ArticleFactory(published=True, slug="ordered")
    article.treatments.set([apple, zebra])
    english = client.get("/articles/ordered/").text
    assert english.index("Apple therapy") < english.index("Zebra therapy")
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    german = client.get("/articles/ordered/").text
    assert german.index("Ameisentherapie") < german.index("Zitronentherapie")

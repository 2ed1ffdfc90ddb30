"""The article page on a cache miss: its parts that are the same for every reader are rendered once
(pagecache's ``{% fragment %}``, the hospitals block, the site notices) and stay exact."""

import pytest

from articles import services as article_services
from hospitals.models import AdmissionStatus
from tests.factories import ArticleFactory, TreatmentFactory
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def article(db):
    lutetium = TreatmentFactory(
        slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie"
    )
    record_status(HospitalFactory(name="Klinik Isarblick", treatments=[lutetium]), Status.URGENT_ONLY)
    ArticleFactory(published=True, slug="older", title="An older article on lutetium", treatments=[lutetium])
    return ArticleFactory(published=True, slug="prrt", title="PRRT explained", treatments=[lutetium])


def test_a_miss_after_the_first_renders_only_the_page_around_the_fragments(
    client, article, page_cache_schedule, django_assert_num_queries
):
    page_cache_schedule()
    first = client.get("/articles/prrt/?utm_source=a")
    assert first["X-Page-Cache"] == "miss"
    # Another query string misses the page cache; the article with its people, topics and
    # references, its rendered parts, the hospitals and the notices are kept.
    with django_assert_num_queries(0):
        again = client.get("/articles/prrt/?utm_source=b")
    assert again["X-Page-Cache"] == "miss"
    # The same page (the language switch returns to the address as it was asked for).
    assert again.text.replace("utm_source=b", "utm_source=a") == first.text


def test_the_fragments_are_per_language(client, article):
    english = client.get("/articles/prrt/").text
    assert "Lutetium-177 therapy" in english and "Urgent cases only" in english
    client.cookies["django_language"] = "de"
    german = client.get("/articles/prrt/").text
    assert "Lutetium-177-Therapie" in german and "Lutetium-177 therapy" not in german
    assert "Urgent cases only" not in german


def test_an_edit_shows_on_the_next_request_with_any_query_string(client, commit, article, medical_reviewer):
    client.get("/articles/prrt/?utm_source=a")
    with commit():
        article.body = "## Corrected\n\nThe dose is 7.4 GBq."
        article.save()
        article_services.article_record_review(article=article, user=medical_reviewer)
    assert "The dose is 7.4 GBq." in client.get("/articles/prrt/?utm_source=b").text


def test_a_new_status_shows_in_the_hospitals_block_at_once(client, commit, article):
    client.get("/articles/prrt/?utm_source=a")
    hospital = article.treatments.get().hospitals.get()
    with commit():
        record_status(hospital, Status.NOT_ACCEPTING, reason="capacity")
    html = client.get("/articles/prrt/?utm_source=b").text
    assert "Not admitting" in html and "Urgent cases only" not in html


def test_a_related_article_unpublished_leaves_the_page_at_once(client, commit, article, medical_reviewer):
    assert "An older article on lutetium" in client.get("/articles/prrt/?utm_source=a").text
    from articles.models import Article

    with commit():
        article_services.article_archive(article=Article.objects.get(slug="older"), user=medical_reviewer)
    assert "An older article on lutetium" not in client.get("/articles/prrt/?utm_source=b").text


def test_the_staff_preview_never_uses_or_fills_the_fragments(client, article, editor):
    public = client.get("/articles/prrt/").text
    draft = ArticleFactory(slug="draft", title="Draft about PRRT", treatments=list(article.treatments.all()))
    client.force_login(editor)
    preview = client.get(f"/articles/preview/{article.pk}/")
    assert "Preview" in preview.text
    client.logout()
    client.cookies.clear()
    assert "preview-banner" not in client.get("/articles/prrt/?utm_source=c").text
    assert client.get("/articles/prrt/?utm_source=c").text.count("PRRT explained") == public.count("PRRT explained")
    assert draft.title not in client.get("/articles/prrt/?utm_source=d").text


def test_the_kept_article_holds_no_password_or_email(client, article, medical_reviewer):
    from django.core.cache import cache

    article.authors.set([medical_reviewer])
    article.medical_reviewer = medical_reviewer
    article.save()
    client.get("/articles/prrt/")
    _version, cached_article = cache.get("pagecache:fragment:article:prrt:en")  # kept per language
    for person in [*cached_article.authors.all(), cached_article.medical_reviewer]:
        assert person.get_deferred_fields() >= {"password", "email"}
        assert "password" not in person.__dict__ and "email" not in person.__dict__


def test_an_unpublished_article_is_gone_on_the_next_request(client, commit, article, medical_reviewer):
    client.get("/articles/prrt/?utm_source=a")
    with commit():
        article_services.article_archive(article=article, user=medical_reviewer)
    assert client.get("/articles/prrt/?utm_source=b").status_code == 404


def test_an_article_not_found_is_never_kept(client):
    assert client.get("/articles/later/").status_code == 404
    ArticleFactory(published=True, slug="later", title="Published later")
    assert client.get("/articles/later/?utm_source=x").status_code == 200

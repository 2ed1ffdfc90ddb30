"""What is cached, for whom, under which key, and the HTTP caching headers of cached pages."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import include, path

from pagecache.middleware import public_page
from tests.factories import ArticleFactory
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/",
    "/articles/",
    "/articles/cached-article/",
    "/articles/feed/",
    "/articles/feed/atom/",
    "/hospitals/",
    "/hospitals/cached-klinik/",
    "/hospitals/status.json",
    "/hospitals/status.csv",
    "/sitemap.xml",
    "/robots.txt",
    "/imprint/",
    "/privacy/",
    "/medical-disclaimer/",
]


@pytest.fixture
def content(db, site_pages):
    ArticleFactory(published=True, slug="cached-article", title="Cached article")
    record_status(HospitalFactory(slug="cached-klinik", name="Cached Klinik"))


def state(response):
    return response.get("X-Page-Cache")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_public_page_is_cached_for_anonymous_visitors(client, content, url, django_assert_num_queries):
    first = client.get(url)
    assert first.status_code == 200 and state(first) == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert state(second) == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "public" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]
    assert "s-maxage=" in second["Cache-Control"] and "stale-while-revalidate=" in second["Cache-Control"]
    assert second["ETag"] == first["ETag"] and second["Last-Modified"]
    assert "csrfmiddlewaretoken" not in second.text
    assert not second.cookies


def test_cached_pages_keep_the_security_headers_and_a_policy_without_a_nonce(client, content):
    client.get("/articles/cached-article/")
    hit = client.get("/articles/cached-article/")
    assert state(hit) == "hit"
    assert hit["X-Frame-Options"] == "DENY"
    assert "nonce-" not in hit["Content-Security-Policy"]
    assert "script-src 'self'" in hit["Content-Security-Policy"]
    assert "Accept-Language" in hit["Vary"] and "Cookie" in hit["Vary"]


def test_the_status_feeds_keep_their_cross_origin_header_from_the_cache(client, content):
    client.get("/hospitals/status.json")
    hit = client.get("/hospitals/status.json")
    assert state(hit) == "hit" and hit["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("url", ["/", "/hospitals/status.json", "/hospitals/status.csv", "/articles/cached-article/"])
def test_a_client_with_the_current_version_gets_304(client, content, url):
    first = client.get(url)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(url, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304
    stale = client.get(url, headers={"If-None-Match": '"something-older"'})
    assert stale.status_code == 200


def test_languages_are_cached_apart(client, content):
    english = client.get("/hospitals/")
    client.cookies["django_language"] = "de"
    german = client.get("/hospitals/")
    assert state(german) == "miss"
    assert '<html lang="de">' in german.text and '<html lang="en">' in english.text
    assert state(client.get("/hospitals/")) == "hit"
    browser_german = client.get("/", headers={"Accept-Language": "de"})
    client.cookies.pop("django_language")
    assert '<html lang="de">' in client.get("/", headers={"Accept-Language": "de"}).text
    assert '<html lang="en">' in client.get("/", headers={"Accept-Language": "en"}).text
    assert browser_german.status_code == 200


def test_the_query_string_is_normalised_but_kept(client, content):
    assert state(client.get("/hospitals/?state=BY&status=accepting")) == "miss"
    assert state(client.get("/hospitals/?status=accepting&state=BY")) == "hit"
    assert state(client.get("/hospitals/?status=accepting&state=BE")) == "miss"
    assert state(client.get("/hospitals/?status=accepting&state=BE&page=1")) == "miss"


def test_htmx_requests_are_cached_apart(client, content):
    client.get("/hospitals/")
    assert state(client.get("/hospitals/", headers={"HX-Request": "true"})) == "miss"
    assert state(client.get("/hospitals/", headers={"HX-Request": "true"})) == "hit"


def test_the_host_is_part_of_the_key(client, content, settings):
    settings.ALLOWED_HOSTS = ["testserver", "portal.example.org"]
    client.get("/articles/cached-article/")
    other = client.get("/articles/cached-article/", headers={"Host": "portal.example.org"})
    assert state(other) == "miss"
    assert 'href="http://portal.example.org/articles/cached-article/"' in other.text


def test_a_host_we_do_not_serve_is_refused_not_cached(client, content):
    response = client.get("/", headers={"Host": "attacker.example"})
    assert response.status_code == 400 and state(response) is None


# --- nothing private --------------------------------------------------------------------------


def test_logged_in_staff_never_get_or_fill_the_cache(client, content, editor):
    anonymous = client.get("/articles/cached-article/")
    client.force_login(editor)
    staff = client.get("/articles/cached-article/")
    assert state(staff) is None  # not even looked up: a session cookie bypasses the cache
    client.logout()
    client.cookies.clear()
    assert client.get("/articles/cached-article/")["ETag"] == anonymous["ETag"]


def test_the_staff_preview_is_never_cached(client, editor):
    draft = ArticleFactory(slug="secret-draft", title="Secret draft")
    client.force_login(editor)
    preview = client.get(f"/articles/preview/{draft.pk}/")
    assert preview.status_code == 200 and state(preview) is None
    assert preview["Cache-Control"] == "private, no-store"
    client.logout()
    client.cookies.clear()
    assert client.get(f"/articles/preview/{draft.pk}/").status_code == 302
    assert client.get("/articles/secret-draft/").status_code == 404


def test_a_pending_message_bypasses_the_cache(client, content):
    client.get("/")
    client.cookies["messages"] = "something"
    assert state(client.get("/")) is None


def test_the_inquiry_form_is_never_cached(client):
    response = client.get("/inquiry/")
    assert state(response) is None
    assert "no-store" in response["Cache-Control"] and "csrfmiddlewaretoken" in response.text


def _set_cookie(request):
    response = HttpResponse("<p>hello</p>")
    response.set_cookie("tracker", "1")
    return response


def _uses_csrf_token(request):
    return HttpResponse(f"<input value='{get_token(request)}'>")


def _uses_nonce(request):
    template = engines["django"].from_string('<script nonce="{{ csp_nonce }}" src="/x.js"></script>')
    return HttpResponse(template.render({}, request))


def _private(request):
    response = HttpResponse("<p>mine</p>")
    response["Cache-Control"] = "private"
    return response


def _plain(request):
    return HttpResponse("<p>same for all</p>")


urlpatterns = [
    path("t/cookie/", public_page(_set_cookie)),
    path("t/csrf/", public_page(_uses_csrf_token)),
    path("t/nonce/", public_page(_uses_nonce)),
    path("t/private/", public_page(_private)),
    path("t/plain/", public_page(_plain)),
    path("t/unmarked/", _plain),
    path("", include("portal.urls")),
]


@pytest.mark.parametrize("url", ["/t/cookie/", "/t/csrf/", "/t/nonce/", "/t/private/"])
def test_responses_for_one_visitor_are_never_stored(client, settings, url):
    settings.ROOT_URLCONF = __name__
    first = client.get(url)
    assert state(first) == "bypass"
    assert state(client.get(url)) == "bypass"


def test_only_views_marked_public_are_cached(client, settings):
    settings.ROOT_URLCONF = __name__
    assert state(client.get("/t/plain/")) == "miss"
    assert state(client.get("/t/plain/")) == "hit"
    assert state(client.get("/t/unmarked/")) is None


def test_a_cache_outage_serves_pages_uncached(client, content, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", broken)
    response = client.get("/hospitals/")
    assert response.status_code == 200 and state(response) is None


def test_the_page_cache_can_be_turned_off(client, content, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert state(client.get("/")) is None
    assert state(client.get("/")) is None


def test_the_deployment_check_asks_for_a_shared_cache(settings):
    from pagecache.checks import shared_cache_for_pages

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [warning.id for warning in shared_cache_for_pages(None)] == ["pagecache.W001"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://x"}}
    assert shared_cache_for_pages(None) == []

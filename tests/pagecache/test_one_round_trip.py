"""A cache hit costs one cache round trip, and an entry built from old versions is never served."""

import pytest
from django.core.cache import cache
from django.db import transaction

from pagecache import versions
from pagecache.middleware import PageCacheMiddleware
from tests.factories import ArticleFactory
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(db):
    ArticleFactory(published=True, slug="cached-article", title="Cached article")
    record_status(HospitalFactory(slug="cached-klinik", name="Cached Klinik"))


class CountingCache:
    """Counts the calls that go to the cache server (each one a round trip on Redis).

    Only the outermost call counts: the local-memory backend's get_many calls its own get.
    """

    def __init__(self, monkeypatch):
        self.calls = []
        self.depth = 0
        for name in ("get", "get_many", "set", "set_many", "add", "delete"):
            original = getattr(cache, name)
            monkeypatch.setattr(cache, name, self._counted(name, original))

    def _counted(self, name, original):
        def call(*args, **kwargs):
            if not self.depth:
                self.calls.append(name)
            self.depth += 1
            try:
                return original(*args, **kwargs)
            finally:
                self.depth -= 1

        return call


@pytest.mark.parametrize("url", ["/", "/articles/cached-article/", "/hospitals/", "/hospitals/status.json"])
def test_a_hit_is_one_cache_round_trip(client, content, monkeypatch, url):
    client.get(url)
    counting = CountingCache(monkeypatch)
    response = client.get(url)
    assert response["X-Page-Cache"] == "hit"
    assert counting.calls == ["get_many"]


def test_a_hit_is_counted_under_its_view_name_in_the_metrics(client, content, monkeypatch):
    from portal import metrics

    seen = []
    monkeypatch.setattr(metrics, "observe_request", lambda request, status, seconds: seen.append(request))
    client.get("/hospitals/")
    hit = client.get("/hospitals/")
    assert hit["X-Page-Cache"] == "hit"
    assert seen[-1].resolver_match.view_name == "hospitals:list"


def test_the_page_changes_on_the_very_next_request(client, content, django_capture_on_commit_callbacks):
    client.get("/articles/")
    assert client.get("/articles/")["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory(published=True, slug="fresh", title="Fresh from the editor")
        versions.content_changed(versions.ARTICLES)
    after = client.get("/articles/")
    assert after["X-Page-Cache"] == "miss" and "Fresh from the editor" in after.text
    assert client.get("/articles/")["X-Page-Cache"] == "hit"


def test_a_page_built_from_old_versions_is_never_served(client, content, django_capture_on_commit_callbacks):
    """A slow request that read the versions before a change stores its page after the change: the
    page is kept, but the next reader sees that it was built from the old versions and builds anew."""
    middleware = PageCacheMiddleware(lambda request: None)
    old = versions.current_versions()
    with django_capture_on_commit_callbacks(execute=True):
        versions.content_changed(versions.HOSPITALS)
    new = versions.current_versions()
    assert old[versions.HOSPITALS] != new[versions.HOSPITALS]

    response = client.get("/hospitals/")  # stores the page under the new versions
    assert response["X-Page-Cache"] == "miss"
    request = response.wsgi_request
    key = middleware._key(request)
    entry = cache.get(key)
    assert entry["versions"] == versions.versions_token(new)
    # The slow request finishes last and overwrites the entry with a page built from the old versions.
    cache.set(key, {**entry, "content": b"built before the change", "versions": versions.versions_token(old)})

    again = client.get("/hospitals/")
    assert again["X-Page-Cache"] == "miss" and b"built before the change" not in again.content
    assert client.get("/hospitals/")["X-Page-Cache"] == "hit"


def test_a_rolled_back_change_keeps_the_cached_page(client, content):
    client.get("/hospitals/")
    with transaction.atomic():
        versions.content_changed(versions.HOSPITALS)
        transaction.set_rollback(True)
    assert client.get("/hospitals/")["X-Page-Cache"] == "hit"


def test_an_evicted_version_key_makes_every_page_fresh(client, content):
    client.get("/hospitals/")
    cache.delete(f"pagecache:version:{versions.HOSPITALS}")
    assert client.get("/hospitals/")["X-Page-Cache"] == "miss"
    assert client.get("/hospitals/")["X-Page-Cache"] == "hit"


def test_a_fragment_is_recomputed_after_a_change(django_capture_on_commit_callbacks, settings):
    computed = []

    def compute():
        computed.append(1)
        return len(computed)

    assert versions.cached_fragment("count", ["x"], [versions.HOSPITALS], compute) == 1
    assert versions.cached_fragment("count", ["x"], [versions.HOSPITALS], compute) == 1
    with django_capture_on_commit_callbacks(execute=True):
        versions.content_changed(versions.ARTICLES)  # another domain: the fragment stays
    assert versions.cached_fragment("count", ["x"], [versions.HOSPITALS], compute) == 1
    with django_capture_on_commit_callbacks(execute=True):
        versions.content_changed(versions.HOSPITALS)
    assert versions.cached_fragment("count", ["x"], [versions.HOSPITALS], compute) == 2


def test_the_redis_backend_shares_one_client():
    """Django's Redis cache builds a client per call; ours keeps one per connection pool."""
    from pagecache.backends import RedisCache

    backend = RedisCache("redis://127.0.0.1:1/0", {})
    client = backend._cache.get_client()
    assert backend._cache.get_client() is client
    assert backend._cache.get_client(write=True) is client  # one server: one pool

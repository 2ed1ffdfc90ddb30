"""Large bodies (status.json, status.csv, the sitemap): kept once under their hash and in each
worker's memory, so a hit moves no body from the cache; gzip for the clients that ask for it."""

import gzip
import hashlib

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from pagecache import middleware, versions
from tests.hospitals.factories import HospitalFactory, record_status
from tests.pagecache.test_one_round_trip import CountingCache

pytestmark = pytest.mark.django_db

URL = "/hospitals/status.json"


@pytest.fixture(autouse=True)
def large(monkeypatch):
    """Every body of 100 bytes or more counts as large here (the test data is small)."""
    monkeypatch.setattr(middleware, "LARGE_BODY", 100)
    middleware.local_bodies.clear()
    yield
    middleware.local_bodies.clear()


@pytest.fixture
def hospitals(db):
    for index in range(3):
        record_status(HospitalFactory(slug=f"klinik-{index}", name=f"Klinik {index}"))


def entry_of(response) -> dict:
    return cache.get(middleware.PageCacheMiddleware(lambda request: None)._key(response.wsgi_request))


def test_the_body_is_kept_once_under_its_hash_and_the_entry_holds_only_the_hash(client, hospitals):
    miss = client.get(URL)
    assert miss["X-Page-Cache"] == "miss"
    digest = hashlib.sha256(miss.content).hexdigest()[:32]
    entry = entry_of(miss)
    assert "content" not in entry and entry["body"] == digest
    assert cache.get(f"pagecache:body:{digest}") == miss.content
    assert miss["ETag"] == f'"{digest}"'

    hit = client.get(URL)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content == miss.content and hit["ETag"] == miss["ETag"]
    assert hit["Content-Length"] == str(len(miss.content))
    assert hit["Content-Type"] == miss["Content-Type"]


def test_a_hit_from_memory_is_one_round_trip_and_another_worker_reads_the_body_once(client, hospitals, monkeypatch):
    body = client.get(URL).content
    counting = CountingCache(monkeypatch)
    assert client.get(URL).content == body
    assert counting.calls == ["get_many"]

    middleware.local_bodies.clear()  # another worker, which has not served this page yet
    assert client.get(URL).content == body
    assert client.get(URL).content == body
    assert counting.calls == ["get_many", "get_many", "get", "get_many"]


def test_a_body_gone_from_the_cache_builds_the_page_anew(client, hospitals):
    body = client.get(URL).content
    middleware.local_bodies.clear()
    cache.delete(f"pagecache:body:{hashlib.sha256(body).hexdigest()[:32]}")
    again = client.get(URL)
    assert again["X-Page-Cache"] == "miss" and b"Klinik 2" in again.content
    assert client.get(URL)["X-Page-Cache"] == "hit"


def test_a_conditional_get_on_a_hit_gets_304_without_reading_the_body(client, hospitals, monkeypatch):
    first = client.get(URL)
    middleware.local_bodies.clear()
    counting = CountingCache(monkeypatch)
    again = client.get(URL, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"] and again["X-Page-Cache"] == "hit"
    assert counting.calls == ["get_many"]
    assert middleware.local_bodies.get(entry_of(first)["body"]) is None


def test_a_change_shows_on_the_next_request(client, hospitals, django_capture_on_commit_callbacks):
    before = client.get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        record_status(HospitalFactory(slug="neue-klinik", name="Neue Klinik"))
        versions.content_changed(versions.HOSPITALS)
    after = client.get(URL)
    assert after["X-Page-Cache"] == "miss" and b"Neue Klinik" in after.content
    assert after["ETag"] != before["ETag"]
    assert client.get(URL).content == after.content


def test_gzip_only_for_clients_that_ask_and_with_its_own_etag(client, hospitals):
    plain = client.get(URL)
    assert "Content-Encoding" not in plain
    assert "Accept-Encoding" in plain["Vary"]

    packed = client.get(URL, headers={"Accept-Encoding": "br, gzip;q=0.8"})
    assert packed["X-Page-Cache"] == "hit" and packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content
    assert packed["Content-Length"] == str(len(packed.content))
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Language" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]

    refused = client.get(URL, headers={"Accept-Encoding": "gzip;q=0, br"})
    assert "Content-Encoding" not in refused and refused.content == plain.content

    revalidated = client.get(URL, headers={"Accept-Encoding": "gzip", "If-None-Match": packed["ETag"]})
    assert revalidated.status_code == 304 and revalidated["ETag"] == packed["ETag"]
    # The plain copy's ETag does not stand for the compressed one, nor the other way round.
    assert client.get(URL, headers={"Accept-Encoding": "gzip", "If-None-Match": plain["ETag"]}).status_code == 200
    assert client.get(URL, headers={"If-None-Match": packed["ETag"]}).status_code == 200


def test_the_compressed_copy_is_made_once_and_shared(client, hospitals, monkeypatch):
    made = []
    compress = gzip.compress
    monkeypatch.setattr(
        middleware.gzip, "compress", lambda *args, **kwargs: made.append(1) or compress(*args, **kwargs)
    )
    client.get(URL)
    first = client.get(URL, headers={"Accept-Encoding": "gzip"}).content
    assert client.get(URL, headers={"Accept-Encoding": "gzip"}).content == first
    middleware.local_bodies.clear()  # another worker: takes the copy from the cache
    assert client.get(URL, headers={"Accept-Encoding": "gzip"}).content == first
    assert made == [1]


def test_small_pages_are_never_compressed(client, hospitals, monkeypatch):
    monkeypatch.setattr(middleware, "LARGE_BODY", 10**9)
    client.get(URL)
    hit = client.get(URL, headers={"Accept-Encoding": "gzip"})
    assert hit["X-Page-Cache"] == "hit" and "Content-Encoding" not in hit
    assert "Accept-Encoding" not in hit["Vary"]
    assert "content" in entry_of(hit)


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1.0, GZIP;q=0.5", True),
        ("x-gzip", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("br, deflate", False),
        ("", False),
        ("*", False),
    ],
)
def test_which_clients_accept_gzip(header, accepted):
    request = RequestFactory().get("/", headers={"Accept-Encoding": header} if header else {})
    assert middleware.accepts_gzip(request) is accepted


def test_the_memory_of_a_worker_is_bounded_and_keeps_the_most_recently_served():
    bodies = middleware.LocalBodies(limit=10)
    bodies.put("a", b"aaaa")
    bodies.put("b", b"bbbb")
    assert bodies.get("a") == b"aaaa"  # now "b" is the least recently served
    bodies.put("c", b"cccc")
    assert bodies.get("b") is None and bodies.get("a") == b"aaaa" and bodies.get("c") == b"cccc"
    assert bodies.size == 8
    bodies.put("huge", b"x" * 11)
    assert bodies.get("huge") is None and bodies.size == 8

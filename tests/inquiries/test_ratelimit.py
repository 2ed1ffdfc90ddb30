import pytest
from django.core.cache import cache
from django.test import RequestFactory

from inquiries import network, ratelimit


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_allows_up_to_the_limit_in_a_window():
    results = [ratelimit.hit(scope="t", key="k", limit=3, window_seconds=60, now=1000.0) for _ in range(5)]
    assert results == [True, True, True, False, False]


def test_a_new_window_starts_afresh():
    for _ in range(3):
        ratelimit.hit(scope="t", key="k", limit=2, window_seconds=60, now=1000.0)
    assert ratelimit.hit(scope="t", key="k", limit=2, window_seconds=60, now=1060.0)


def test_keys_and_scopes_are_separate():
    assert ratelimit.hit(scope="t", key="a", limit=1, window_seconds=60, now=0.0)
    assert not ratelimit.hit(scope="t", key="a", limit=1, window_seconds=60, now=0.0)
    assert ratelimit.hit(scope="t", key="b", limit=1, window_seconds=60, now=0.0)
    assert ratelimit.hit(scope="other", key="a", limit=1, window_seconds=60, now=0.0)


def test_a_limit_of_zero_refuses_everything():
    assert not ratelimit.hit(scope="t", key="k", limit=0, window_seconds=60)


def test_the_client_key_is_a_hash_not_the_address():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7")
    key = ratelimit.client_key(request)
    assert "203.0.113.7" not in key
    assert key == ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.7"))
    assert key != ratelimit.client_key(RequestFactory().get("/", REMOTE_ADDR="203.0.113.8"))


def test_an_expired_counter_between_add_and_incr_counts_again(monkeypatch):
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)

    def gone(*args, **kwargs):
        raise ValueError("key gone")

    monkeypatch.setattr(cache, "incr", gone)
    assert ratelimit.hit(scope="t", key="k", limit=1, window_seconds=60)


def test_without_trusted_proxies_the_client_is_the_connecting_address(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert network.client_address(request) == "203.0.113.7"


def test_behind_one_proxy_each_visitor_has_their_own_limit(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1")
    second = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert network.client_address(first) == "198.51.100.1"
    assert ratelimit.client_key(first) != ratelimit.client_key(second)


def test_a_client_cannot_escape_its_limit_by_sending_its_own_forwarded_header(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy appends the address it saw; whatever the client put first is ignored.
    spoofed = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.1")
    assert network.client_address(spoofed) == "198.51.100.1"

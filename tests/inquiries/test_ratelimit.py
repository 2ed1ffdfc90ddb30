import pytest
from django.core.cache import cache
from django.test import RequestFactory

from inquiries import ratelimit


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

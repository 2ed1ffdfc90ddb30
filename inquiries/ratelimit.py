"""A small fixed-window rate limiter on Django's cache API, keyed by a hash of the client address.

Works with any cache backend (local memory on a laptop, Redis with several processes). The key
holds a hash, never the address itself.
"""

import hashlib
import time

from django.core.cache import cache

from inquiries.network import client_address


def client_key(request) -> str:
    """A stable, non-reversible key for the client: a hash of its address, never the address."""
    return hashlib.sha256((client_address(request) or "unknown").encode()).hexdigest()[:32]


def hit(*, scope: str, key: str, limit: int, window_seconds: int, now: float | None = None) -> bool:
    """Count one request; True while the client is within `limit` requests in the current window."""
    window = int((time.time() if now is None else now) // window_seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    # add() is atomic: only the first request of a window creates the counter.
    if cache.add(cache_key, 1, timeout=window_seconds + 1):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(cache_key, 1, timeout=window_seconds + 1)
        count = 1
    return count <= limit


def seconds_until_next_window(*, window_seconds: int, now: float | None = None) -> int:
    """How long a refused client waits until `hit` counts afresh (the Retry-After value)."""
    elapsed = int(time.time() if now is None else now) % window_seconds
    return window_seconds - elapsed

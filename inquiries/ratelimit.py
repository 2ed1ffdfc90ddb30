"""A small fixed-window rate limiter on Django's cache API, keyed by a hash of the client address.

Works with any cache backend (local memory on a laptop, Redis with several processes). The key
holds a hash, never the address itself.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str:
    """The client's IP address, also behind the reverse proxies named in TRUSTED_PROXY_COUNT.

    Behind a proxy REMOTE_ADDR is the proxy's own address, the same for every visitor. Each
    trusted proxy appends the address it saw to X-Forwarded-For, so the entry that many places
    from the end is the client as the outermost trusted proxy saw it; entries before it are
    whatever the client claimed and are ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def client_key(request) -> str:
    """A stable, non-reversible key for the client: a hash of its address, never the address."""
    return hashlib.sha256(client_address(request).encode()).hexdigest()[:32]


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

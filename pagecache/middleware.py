"""Serves public pages to anonymous visitors from the cache (docs/decisions.md, "Page cache").

Only views marked with ``public_page`` are cached, only for GET requests without a session or
messages cookie, and only responses that are the same for everyone: status 200, no cookie set,
no CSRF token and no CSP nonce used, no ``private``/``no-store``/``no-cache``. The key holds the
scheme and host, the path, the sorted query string, the language and the htmx header; the entry
holds the token of the content versions it was built from (pagecache.versions). A hit is one cache
round trip: the entry and the current versions in one ``get_many`` (MGET on Redis); an entry whose
token differs from the current one is never served, so a change is visible on the very next request.

Cached pages carry an ETag and Last-Modified (answered with 304) and a Cache-Control that lets a
CDN keep them briefly while browsers revalidate every time.
"""

import functools
import hashlib
import logging
import time
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language_from_request

from pagecache import versions as content_versions

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
MESSAGES_COOKIE = "messages"
# Response headers that may vary a cached page: the key already covers these.
KEYED_VARY = {"accept-language", "cookie", "hx-request"}
# Headers that belong to one response only and are never stored.
UNSTORED_HEADERS = {"set-cookie", "date", "etag", "last-modified", "cache-control", HEADER.lower()}


def public_page(view):
    """Mark a view as a public read page: the same for every anonymous visitor, so it may be cached."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public_page = True
    return wrapped


@functools.lru_cache(maxsize=2048)
def _public_page_match(path: str, urlconf):
    """The URL match of a public page (kept: a hit needs no resolving), or None."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return match if getattr(match.func, "public_page", False) else None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = self._public_match(request)
        if match is None:
            return self.get_response(request)
        try:
            request.get_host()
        except DisallowedHost:
            return self.get_response(request)  # answered with 400 further down
        try:
            key = self._key(request)
            versions, found = content_versions.current_versions_with(key)
        except Exception as error:  # noqa: BLE001 - a cache outage serves pages uncached, never an error
            logger.warning("Page cache unavailable (%s); serving uncached", type(error).__name__)
            return self.get_response(request)
        entry = found.get(key)
        token = content_versions.versions_token(versions)
        if entry is not None and entry.get("versions") == token:
            # For the request metrics (portal.middleware.MetricsMiddleware): the view's name.
            request.resolver_match = match
            return self._respond(request, entry, state="hit")

        response = self.get_response(request)
        if not self._storable(request, response):
            response[HEADER] = "bypass"
            return response
        now = timezone.now()
        try:
            expires = content_versions.entry_expiry(versions, now)
            entry = self._entry(response, now=now, expires=expires, versions=token)
            seconds = int((expires - now).total_seconds())
            if seconds > 0:
                cache.set(key, entry, timeout=seconds)
        except Exception as error:  # noqa: BLE001
            logger.warning("Page cache unavailable (%s); not stored", type(error).__name__)
            return response
        return self._respond(request, entry, state="miss")

    # --- which requests and responses -----------------------------------------------------------

    def _public_match(self, request):
        """The URL match if this request may be answered from the cache, else None."""
        if not settings.PAGE_CACHE_SECONDS or request.method != "GET":
            return None
        cookies = request.COOKIES
        # Staff (and anyone with a session or a pending message) get their own page, never a stored one.
        if settings.SESSION_COOKIE_NAME in cookies or MESSAGES_COOKIE in cookies:
            return None
        if "HTTP_AUTHORIZATION" in request.META:
            return None
        return _public_page_match(request.path_info, getattr(request, "urlconf", None) or settings.ROOT_URLCONF)

    def _storable(self, request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        # A CSRF token or a CSP nonce in the page belongs to one visitor.
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or getattr(request, "_csp_nonce", None):
            return False
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(word in cache_control for word in ("private", "no-store", "no-cache")):
            return False
        vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
        return vary <= KEYED_VARY

    def _key(self, request) -> str:
        query = urlencode(sorted(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)))
        parts = [
            request.scheme,
            request.get_host(),
            request.path,
            query,
            get_language_from_request(request),
            "htmx" if request.headers.get("HX-Request") else "",
        ]
        digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return f"pagecache:page:{digest}"

    # --- entries and responses --------------------------------------------------------------------

    def _entry(self, response, *, now, expires, versions: str) -> dict:
        content = response.content
        return {
            "versions": versions,  # the content versions the page was built from
            "status": response.status_code,
            "content": content,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS],
            "etag": f'"{hashlib.sha256(content).hexdigest()[:32]}"',
            "last_modified": int(now.timestamp()),
            "expires": expires.timestamp(),
        }

    def _respond(self, request, entry, *, state) -> HttpResponse:
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        remaining = max(0, int(entry["expires"] - time.time()))
        shared = min(settings.PAGE_CACHE_SHARED_MAX_AGE, remaining)
        # Browsers ask again every time (a 304 from here is cheap); a CDN may keep the page briefly.
        cache_control = "public, max-age=0"
        if shared:
            cache_control += f", s-maxage={shared}, stale-while-revalidate={shared}"
        response["Cache-Control"] = cache_control
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response[HEADER] = state
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
        )
        if conditional is not response:
            conditional[HEADER] = state
        return conditional

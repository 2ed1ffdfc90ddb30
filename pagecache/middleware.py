"""Serves public pages to anonymous visitors from the cache (docs/decisions.md, "Page cache").

Only views marked with ``public_page`` are cached, only for GET requests without a session or
messages cookie, and only responses that are the same for everyone: status 200, no cookie set,
no CSRF token and no CSP nonce used, no ``private``/``no-store``/``no-cache``. The key holds the
scheme and host, the path, the sorted query string, the language and the htmx header; the entry
holds the token of the content versions it was built from (pagecache.versions). A hit is one cache
round trip: the entry and the current versions in one ``get_many`` (MGET on Redis); an entry whose
token differs from the current one is never served, so a change is visible on the very next request.

Cached pages carry an ETag and Last-Modified (answered with 304) and a Cache-Control that lets a
CDN keep them briefly while browsers revalidate every time. Both are worked out when the page is
stored; a 304 never reads the body.

A large body (status.json, status.csv, the sitemap: ``LARGE_BODY`` bytes or more) is kept once
under its own hash (``pagecache:body:<hash>``) and the entry holds only that hash, so the hit's
round trip carries the small entry; each worker keeps the large bodies it served in memory
(``LocalBodies``, bounded), so a hit moves no body from the cache and costs the same for 400 kB as
for 4 kB. A body is named by its content, so the copy in memory can never be an old one: whether a
page is current is decided by the entry's versions, as for every page. To a client that accepts
gzip, a large text body is sent gzip-compressed; the compressed copy is made once, on the first such
request, and kept the same way (``<hash>.gz``), with its own ETag and ``Vary: Accept-Encoding``
on both forms. A client that did not ask for gzip never gets it.
"""

import contextlib
import functools
import gzip
import hashlib
import logging
import threading
import time
from collections import OrderedDict
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
# A body this large is kept apart from its entry, once, under its hash (and in each worker's memory).
LARGE_BODY = 64 * 1024
# What one worker keeps of large bodies in memory, at most (the least recently served go first).
LOCAL_BODY_BYTES = 32 * 1024 * 1024
# Large bodies of these types are sent gzip-compressed to clients that accept it.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "application/rss+xml", "application/atom+xml")
BODY_KEY = "pagecache:body:{}"


class LocalBodies:
    """Large page bodies in this worker's memory, by their hash, at most ``limit`` bytes in all."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self._bodies: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, name: str) -> bytes | None:
        with self._lock:
            body = self._bodies.get(name)
            if body is not None:
                self._bodies.move_to_end(name)
            return body

    def put(self, name: str, body: bytes) -> None:
        if len(body) > self.limit:
            return
        with self._lock:
            old = self._bodies.pop(name, None)
            self.size += len(body) - (len(old) if old is not None else 0)
            self._bodies[name] = body
            while self.size > self.limit:
                _name, dropped = self._bodies.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()
            self.size = 0


local_bodies = LocalBodies(LOCAL_BODY_BYTES)


def accepts_gzip(request) -> bool:
    """Does the client accept gzip (``Accept-Encoding``, a q of 0 refuses it)?"""
    for part in request.META.get("HTTP_ACCEPT_ENCODING", "").split(","):
        coding, _, parameters = part.partition(";")
        if coding.strip().lower() not in {"gzip", "x-gzip"}:
            continue
        quality = parameters.strip().lower()
        if quality.startswith("q="):
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
        return True
    return False


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
            try:
                return self._respond(request, entry, state="hit")
            except LookupError:
                pass  # its large body has left the cache: build the page anew

        response = self.get_response(request)
        if not self._storable(request, response):
            response[HEADER] = "bypass"
            return response
        now = timezone.now()
        try:
            expires = content_versions.entry_expiry(versions, now)
            entry, body = self._entry(response, now=now, expires=expires, versions=token)
            seconds = int((expires - now).total_seconds())
            if seconds > 0:
                stored = {key: entry}
                if body is not None:
                    stored[BODY_KEY.format(entry["body"])] = body
                cache.set_many(stored, timeout=seconds)
        except Exception as error:  # noqa: BLE001
            logger.warning("Page cache unavailable (%s); not stored", type(error).__name__)
            return response
        try:
            return self._respond(request, entry, state="miss")
        except LookupError:  # a large body neither kept here nor in the cache: the page as built
            return response

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

    def _entry(self, response, *, now, expires, versions: str) -> tuple[dict, bytes | None]:
        """The entry to keep, and the body to keep apart from it (a large one), or None."""
        content = response.content
        digest = hashlib.sha256(content).hexdigest()[:32]
        entry = {
            "versions": versions,  # the content versions the page was built from
            "status": response.status_code,
            "headers": [(name, value) for name, value in response.items() if name.lower() not in UNSTORED_HEADERS],
            "etag": f'"{digest}"',
            "last_modified": int(now.timestamp()),
            "expires": expires.timestamp(),
        }
        if len(content) < LARGE_BODY:
            entry["content"] = content
            return entry, None
        entry["body"] = digest
        content_type = response.get("Content-Type", "").lower()
        entry["compressible"] = content_type.startswith(COMPRESSIBLE_TYPES) and not response.has_header(
            "Content-Encoding"
        )
        local_bodies.put(digest, content)
        return entry, content

    def _body(self, entry, *, compressed: bool) -> bytes:
        """A large entry's body (or its gzip copy): from this worker's memory, else from the cache.

        Raises LookupError if the cache no longer has it."""
        name = entry["body"] + (".gz" if compressed else "")
        body = local_bodies.get(name)
        if body is not None:
            return body
        try:
            body = cache.get(BODY_KEY.format(name))
        except Exception as error:  # a cache outage: the page is built anew
            raise LookupError(name) from error
        if body is None and compressed:
            # Made once, by the first client that asks for it, and kept as long as its entry.
            body = gzip.compress(self._body(entry, compressed=False), compresslevel=6, mtime=0)
            seconds = int(entry["expires"] - time.time())
            if seconds > 0:
                with contextlib.suppress(Exception):  # served all the same; made again next time
                    cache.set(BODY_KEY.format(name), body, timeout=seconds)
        if body is None:
            raise LookupError(name)
        local_bodies.put(name, body)
        return body

    def _respond(self, request, entry, *, state) -> HttpResponse:
        compressible = entry.get("compressible", False)
        compressed = compressible and accepts_gzip(request)
        etag = entry["etag"][:-1] + '-gzip"' if compressed else entry["etag"]
        response = HttpResponse(entry.get("content", b""), status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry["last_modified"])
        remaining = max(0, int(entry["expires"] - time.time()))
        shared = min(settings.PAGE_CACHE_SHARED_MAX_AGE, remaining)
        # Browsers ask again every time (a 304 from here is cheap); a CDN may keep the page briefly.
        cache_control = "public, max-age=0"
        if shared:
            cache_control += f", s-maxage={shared}, stale-while-revalidate={shared}"
        response["Cache-Control"] = cache_control
        patch_vary_headers(
            response,
            ("Accept-Language", "Cookie", "Accept-Encoding") if compressible else ("Accept-Language", "Cookie"),
        )
        response[HEADER] = state
        conditional = get_conditional_response(
            request, etag=etag, last_modified=entry["last_modified"], response=response
        )
        if conditional is not response:
            conditional[HEADER] = state
            return conditional  # a 304 (or 412): the body is not read
        if "body" in entry:
            body = self._body(entry, compressed=compressed)
            response.content = body
            response["Content-Length"] = str(len(body))
            if compressed:
                response["Content-Encoding"] = "gzip"
        return response

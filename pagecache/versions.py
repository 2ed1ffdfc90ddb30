"""Content versions: what makes a cached public page fresh or stale.

Every cached page carries the token of the content versions it was built from, one per content
domain, and is served only while that token equals the current one (both are read in one cache
round trip). A write that changes what the public sees calls ``content_changed(...)`` inside its
transaction; once the transaction commits, the domain gets a new random token, so every entry
built from the old one is never served again (the next request builds and stores the page anew).
A rolled-back write changes nothing.

Some pages change with time alone: a scheduled article goes live, a status becomes stale, a notice
ends, "3 days ago" becomes "4 days ago" at midnight. Each app registers a function that returns the
next such moment from its data (``register_next_change``); no entry outlives the earliest of them.

This module knows no app: the apps call into it (dependencies point one way).
"""

import datetime
import logging
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

ARTICLES = "articles"
HOSPITALS = "hospitals"  # hospitals, admission statuses, certifications
NOTICES = "notices"  # site notices, shown on every page
TAXONOMY = "taxonomy"  # conditions and treatments
PAGES = "pages"  # the site's own pages (pages app) and their menus, shown on every page
IMAGES = "images"  # the image library: alt text, focal point
PEOPLE = "people"  # the medical team
DOMAINS = (ARTICLES, HOSPITALS, NOTICES, TAXONOMY, PAGES, IMAGES, PEOPLE)

_VERSION_KEY = "pagecache:version:{}"
_NEXT_CHANGE_KEY = "pagecache:next-change:{}"

NextChange = Callable[[datetime.datetime], datetime.datetime | None]
_next_change_functions: list[NextChange] = []


def content_changed(*domains: str) -> None:
    """Make every cached page of these domains fresh once the current transaction commits."""
    unknown = set(domains) - set(DOMAINS)
    if unknown:
        raise ValueError(f"Unknown content domain: {', '.join(sorted(unknown))}")
    transaction.on_commit(lambda: _bump(domains), robust=True)


def _bump(domains: Iterable[str]) -> None:
    # A new random token rather than a counter: a version key evicted from the cache and created
    # again can never come back with a value that old entries were stored under.
    cache.set_many({_VERSION_KEY.format(domain): secrets.token_hex(8) for domain in domains}, timeout=None)


def current_versions() -> dict[str, str]:
    """The version token of every domain (created on first use); one cache round trip when warm."""
    return current_versions_with()[0]


def current_versions_with(*keys: str) -> tuple[dict[str, str], dict[str, object]]:
    """The version tokens, and the cached values of ``keys``, read in one cache round trip when warm.

    A page or fragment is stored under a key without versions, together with the token of the
    versions it was built from (``versions_token``); the reader compares that token with the
    current one from the same round trip. Only a version key missing from the cache (first use,
    eviction) costs more trips: it is created, and no stored entry can carry the new token.
    """
    version_keys = {_VERSION_KEY.format(domain): domain for domain in DOMAINS}
    found = cache.get_many([*version_keys, *keys])
    values = {key: found[key] for key in keys if key in found}
    missing = [key for key in version_keys if key not in found]
    for key in missing:
        # add(): two processes starting at once agree on one token.
        cache.add(key, secrets.token_hex(8), timeout=None)
    if missing:
        found.update(cache.get_many(missing))
    return {domain: str(found.get(key, "")) for key, domain in version_keys.items()}, values


def versions_token(versions: dict[str, str], domains: Iterable[str] = DOMAINS) -> str:
    return ".".join(versions[domain] for domain in domains)


def register_next_change(function: NextChange) -> None:
    """Register ``function(now)`` returning the next moment after ``now`` when public pages change by time alone."""
    if function not in _next_change_functions:
        _next_change_functions.append(function)


def next_local_midnight(now: datetime.datetime) -> datetime.datetime:
    """Dates shown or compared as "today" ("3 days ago", valid until, effective from) change here."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))


def next_change(now: datetime.datetime | None = None) -> datetime.datetime:
    """The earliest moment after ``now`` at which some public page changes without any write."""
    now = now or timezone.now()
    moments = [next_local_midnight(now)]
    for function in _next_change_functions:
        moment = function(now)
        if moment is not None and moment > now:
            moments.append(moment)
    return min(moments)


def entry_expiry(versions: dict[str, str], now: datetime.datetime | None = None) -> datetime.datetime:
    """When an entry stored now must stop being served: the page lifetime, or the next timed change.

    The next timed change is computed from the data once per set of versions and kept until it
    arrives, so a miss does not run those queries again.
    """
    now = now or timezone.now()
    latest = now + datetime.timedelta(seconds=settings.PAGE_CACHE_SECONDS)
    key = _NEXT_CHANGE_KEY.format(versions_token(versions))
    moment = cache.get(key)
    if moment is None or moment <= now:
        moment = next_change(now)
        cache.set(key, moment, timeout=max(1, int((moment - now).total_seconds())))
    return min(latest, moment)


def cached_fragment(name: str, parts: Iterable, domains: Iterable[str], compute: Callable[[], object]):
    """``compute()``'s value, kept under the given domains' versions and the same time bound as pages.

    For parts of a page that are costly and change less often than the page (the hospitals on an
    article's treatment change with statuses, not with the article's text).
    """
    if not settings.PAGE_CACHE_SECONDS:
        return compute()
    domains = tuple(domains)
    key = "pagecache:fragment:{}:{}".format(name, ":".join(str(part) for part in parts))
    try:
        versions, found = current_versions_with(key)
    except Exception as error:  # noqa: BLE001 - a cache outage must not take the page down
        logger.warning("Page cache unavailable (%s); computing the fragment", type(error).__name__)
        return compute()
    token = versions_token(versions, domains)
    stored = found.get(key)
    if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token:
        return stored[1]
    value = compute()
    now = timezone.now()
    seconds = int((entry_expiry(versions, now) - now).total_seconds())
    if seconds > 0:
        # With the versions it was computed from: after a change, the next reader computes it again.
        cache.set(key, (token, value), timeout=seconds)
    return value


def cached_fragments(name: str, parts: Iterable, items: dict, domains: Iterable[str], compute: Callable[[list], dict]):
    """``cached_fragment`` for many items at once (the cards of a result page): one cache round trip.

    ``items`` maps each item's key part (e.g. its pk) to the item; ``compute(missing_items)``
    returns the values of those not in the cache, by the same key part. Returns all values, by key part.
    """
    if not settings.PAGE_CACHE_SECONDS or not items:
        return compute(list(items.values())) if items else {}
    domains = tuple(domains)
    prefix = "pagecache:fragment:{}:{}".format(name, ":".join(str(part) for part in parts))
    keys = {f"{prefix}:{part}": part for part in items}
    try:
        versions, found = current_versions_with(*keys)
    except Exception as error:  # noqa: BLE001 - a cache outage must not take the page down
        logger.warning("Page cache unavailable (%s); computing the fragments", type(error).__name__)
        return compute(list(items.values()))
    token = versions_token(versions, domains)
    values = {}
    for key, part in keys.items():
        stored = found.get(key)
        if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == token:
            values[part] = stored[1]
    missing = [item for part, item in items.items() if part not in values]
    if missing:
        computed = compute(missing)
        values.update(computed)
        now = timezone.now()
        seconds = int((entry_expiry(versions, now) - now).total_seconds())
        if seconds > 0:
            cache.set_many({f"{prefix}:{part}": (token, value) for part, value in computed.items()}, timeout=seconds)
    return {part: values[part] for part in items}

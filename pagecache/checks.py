from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.caches, deploy=True)
def shared_cache_for_pages(app_configs, **kwargs):
    """Several worker processes need one shared cache, or a change reaches only one of them."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if settings.PAGE_CACHE_SECONDS and backend.endswith("LocMemCache"):
        return [
            Warning(
                "The page cache is in local memory (CACHE_URL is not set).",
                hint="With more than one worker process, a page cached by one process is not refreshed by a "
                "change made through another. Set CACHE_URL=redis://… in production (README).",
                id="pagecache.W001",
            )
        ]
    return []

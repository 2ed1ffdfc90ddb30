import logging
import sys

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from articles.models import Article
from hospitals.models import Hospital
from pagecache.versions import HOSPITALS, cached_fragment
from portal.middleware import UNREACHABLE_DATABASE_ERRORS, database_unavailable_response

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_articles"] = Article.objects.published().newest_first()[:3]
        # The hospitals' summary changes with statuses, not articles: kept apart under their version.
        context["admission_summary"] = cached_fragment(
            "status-summary", [], (HOSPITALS,), Hospital.objects.status_summary
        )
        return context


class SitePageView(TemplateView):
    """A site-wide page (imprint, privacy, disclaimer) written once per language.

    The text lives in `templates/portal/pages/<page>.<language>.html`; English is the fallback.
    """

    page = ""

    def get_template_names(self):
        return [f"portal/pages/{self.page}.{get_language()}.html", f"portal/pages/{self.page}.en.html"]


# The language switcher posts without a CSRF token so that every public page is the same for every
# visitor and can be cached. A forged post can only choose the display language of the site (a
# cookie); Django's view still refuses a "next" address on another host.
set_language = csrf_exempt(i18n.set_language)


@require_GET
def favicon(request):
    return HttpResponsePermanentRedirect(static("portal/img/favicon.svg"))


@require_GET
def robots_txt(request):
    """Crawl the public site; keep out of the admin, previews and the language switch."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /articles/preview/",
        "Disallow: /i18n/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def healthz(request):
    """The process is alive and answering; checks nothing else."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Ready to serve: the database and the cache answer. 503 when either does not."""
    checks = {"database": _database_ok(), "cache": _cache_ok()}
    ready = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "unavailable",
            "checks": {name: "ok" if passed else "failing" for name, passed in checks.items()},
        },
        status=200 if ready else 503,
    )


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        logger.warning("readyz: database check failed (%s)", type(error).__name__)
        return False


def _cache_ok() -> bool:
    try:
        cache.set("readyz-probe", "1", timeout=5)
        return cache.get("readyz-probe") == "1"
    except Exception as error:  # noqa: BLE001 - any cache client error means "not ready"
        logger.warning("readyz: cache check failed (%s)", type(error).__name__)
        return False


def server_error(request):
    """500 handler: a database outage that escaped the middleware still gets the 503 page."""
    if isinstance(sys.exc_info()[1], UNREACHABLE_DATABASE_ERRORS):
        return database_unavailable_response(request).render()
    return defaults.server_error(request)

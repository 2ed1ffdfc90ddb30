import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from articles.models import Article
from hospitals.models import Hospital
from inquiries.worker import worker_health
from portal.middleware import UNREACHABLE_DATABASE_ERRORS, database_unavailable_response

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["latest_articles"] = Article.objects.published().newest_first()[:3]
        context["admission_summary"] = Hospital.objects.status_summary()  # hospitals
        return context


class SitePageView(TemplateView):
    """A site-wide page (imprint, privacy, disclaimer) written once per language.

    The text lives in `templates/portal/pages/<page>.<language>.html`; English is the fallback.
    """

    page = ""

    def get_template_names(self):
        return [f"portal/pages/{self.page}.{get_language()}.html", f"portal/pages/{self.page}.en.html"]


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


@never_cache
@require_GET
def worker_healthz(request):
    """For the orchestrator: 503 when no task worker reported in for TRIAGE_WORKER_SILENT_SECONDS.

    Also says how long the oldest urgent alert has been waiting to be sent. Numbers only.
    """
    try:
        health = worker_health()
    except DatabaseError as error:
        logger.warning("healthz/worker: database check failed (%s)", type(error).__name__)
        return JsonResponse({"status": "database unavailable"}, status=503)
    status = "ok" if health["alive"] else "worker not seen" if health["last_seen"] else "no worker seen"
    return JsonResponse(
        {
            "status": status,
            "last_seen_seconds_ago": health["silent_seconds"],
            "silent_after_seconds": settings.TRIAGE_WORKER_SILENT_SECONDS,
            "oldest_urgent_alert_waiting_seconds": health["oldest_urgent_alert_seconds"],
        },
        status=200 if health["alive"] else 503,
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

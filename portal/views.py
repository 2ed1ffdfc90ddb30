import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, connection
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.urls import Resolver404, resolve, reverse
from django.views import defaults, i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from hospitals.models import Hospital
from inquiries.worker import worker_health
from pagecache.versions import HOSPITALS, cached_fragment
from pages.views import home_content
from portal import metrics as portal_metrics
from portal.middleware import UNREACHABLE_DATABASE_ERRORS, database_unavailable_response, request_body_limit

logger = logging.getLogger(__name__)


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(home_content())
        # The hospitals' summary changes with statuses, not articles: kept apart under their version.
        context["admission_summary"] = cached_fragment(
            "status-summary", [], (HOSPITALS,), Hospital.objects.status_summary
        )
        return context


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


@never_cache
@require_GET
def metrics(request):
    """Prometheus metrics, only for the scraper (bearer token or network); 404 for anyone else."""
    if not portal_metrics.allowed(
        request, token=settings.METRICS_BEARER_TOKEN, networks=settings.METRICS_ALLOWED_NETWORKS
    ):
        raise Http404
    body, content_type = portal_metrics.render()
    return HttpResponse(body, content_type=content_type)


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
    # Like Django's own handler, without the request context (it may be what failed). The page
    # says someone was told only when error e-mails go to someone (DJANGO_ADMINS).
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"errors_reported": bool(settings.ADMINS)}))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a refused form (expired token, blocked cookies) gets our page, not Django's."""
    return render(request, "403_csrf.html", status=403)


def bad_request(request, exception):
    """400 handler; a body over the limit (RequestDataTooBig) gets the "too large" answer instead."""
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return defaults.bad_request(request, exception)


def request_too_large(request):
    """413: the body was not read. A view with a `request_too_large` answer gives its own (the inquiry form)."""
    try:
        view_class = getattr(resolve(request.path_info).func, "view_class", None)
    except Resolver404:
        view_class = None
    if hasattr(view_class, "request_too_large"):
        return view_class.request_too_large(request)
    limit_mb = f"{request_body_limit() / (1024 * 1024):.0f}"
    return render(request, "413.html", {"limit_mb": limit_mb}, status=413)

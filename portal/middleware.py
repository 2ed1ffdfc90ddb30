import logging
import re
import time
import uuid

from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse

from portal import logs, metrics

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached", not "this query is wrong".
UNREACHABLE_DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response(request):
    """A friendly 503 page that asks the visitor to try again shortly."""
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = "60"
    return response


class DatabaseUnavailableMiddleware:
    """Turns an unreachable database into a 503 page instead of a 500 with a traceback.

    Only the exception's class is logged: its message can quote a query and with it a
    patient's answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except UNREACHABLE_DATABASE_ERRORS as error:
            # Raised by a middleware below us (a view's errors arrive in process_exception).
            return self._unavailable(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, UNREACHABLE_DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, error: DatabaseError):
        logger.error("Database unreachable (%s) while serving a request", type(error).__name__)
        response = database_unavailable_response(request)
        return response.render()


# nginx's $request_id is 32 hex digits; accept ids like it from the proxy, make one otherwise.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Gives every request an id: the proxy's X-Request-ID if it sent one, else a new one.

    The id is on every log record of the request (portal.logs) and on the response, so a line in
    nginx's log, gunicorn's access log and our own log can be matched up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Cleared when the response is closed (portal.apps), after Django's own request log line.
        logs.request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class MetricsMiddleware:
    """Counts requests and measures their latency for /metrics, by method, view name and status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe_request(request, response.status_code, time.perf_counter() - started)
        return response

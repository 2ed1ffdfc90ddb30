import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse

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


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy and Cross-Origin-Resource-Policy.

    First in MIDDLEWARE, so static files and error pages get them too. A view that serves data
    meant for other sites (the hospitals' open status feeds) sets its own
    Cross-Origin-Resource-Policy, which is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.SECURE_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def request_body_limit() -> int:
    """The largest request body we read: the uploads' total plus Django's own limit for form fields.

    Derived, not a setting of its own: INQUIRY_UPLOAD_MAX_TOTAL_BYTES is what a person may send,
    DATA_UPLOAD_MAX_MEMORY_SIZE what Django already allows for all fields that are not files.
    """
    return settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Refuses a body over `request_body_limit()` before anything reads it.

    From Content-Length, at once; and while streaming, through `BodyGuard`, for a server that
    passes on more than it declared. Either raises RequestDataTooBig, which Django answers with
    the 400 handler (`portal.views.bad_request`): our "too large" page, or the inquiry form again.
    Last in MIDDLEWARE: every other middleware's headers and the language apply to the answer, and
    CsrfViewMiddleware, the first to read the body, does so later (in process_view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = request_body_limit()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestDataTooBig(f"Request body of {declared} bytes exceeded the limit of {limit} bytes.")
        if request.content_type == "multipart/form-data":
            # Django has no hook between the socket and its multipart parser: the guard wraps the
            # stream the parser reads, before anyone has read from it.
            request._stream = BodyGuard(request._stream, limit=limit)
        return self.get_response(request)


class BodyGuard:
    """A read-only stream that raises RequestDataTooBig once more than `limit` bytes came through."""

    def __init__(self, stream, *, limit: int):
        self.stream = stream
        self.limit = limit
        self.bytes_read = 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.bytes_read += len(data)
        if self.bytes_read > self.limit:
            raise RequestDataTooBig(f"Request body exceeded the limit of {self.limit} bytes while streaming.")
        return data

    def readline(self, size=-1):
        data = self.stream.readline(size)
        self.bytes_read += len(data)
        if self.bytes_read > self.limit:
            raise RequestDataTooBig(f"Request body exceeded the limit of {self.limit} bytes while streaming.")
        return data

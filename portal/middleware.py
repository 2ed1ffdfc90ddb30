import logging

from django.conf import settings
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

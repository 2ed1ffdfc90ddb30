"""Staff sessions: idle and maximum age, the second factor before the admin, and sudo mode.

Only authenticated staff are looked at; a visitor of the public site passes through untouched
(and, without a session cookie, costs no query).
"""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext

from staff import security
from staff.models import SecurityEvent
from staff.services import security_event_record
from staff.views import locked_out

# The session's "last seen" time is written at most this often, not on every request.
LAST_SEEN_RESOLUTION_SECONDS = 60

# Admin views that change accounts and roles: they ask for the second factor again (sudo mode)
# before the form is even shown, so nothing typed is lost to the detour.
SUDO_ADMIN_VIEWS = ("auth_user_", "auth_group_")
USERNAME_MAX_LENGTH = get_user_model()._meta.get_field(get_user_model().USERNAME_FIELD).max_length


def _is_staff(request) -> bool:
    try:
        return request.user.is_authenticated and request.user.is_staff
    except (OperationalError, InterfaceError):
        # The database is down: let the view meet the error, where the portal's 503 page answers.
        return False


class StaffSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _is_staff(request):
            self._expire_or_touch(request)
        return self.get_response(request)

    def _expire_or_touch(self, request):
        session = request.session
        now = security.now_seconds()
        idle, max_age = settings.STAFF_SESSION_IDLE_SECONDS, settings.STAFF_SESSION_MAX_AGE_SECONDS
        last_seen = session.get(security.LAST_SEEN, now)
        login_at = session.get(security.LOGIN_AT, now)
        if idle and now - last_seen > idle:
            reason = ngettext(
                "Your session ended after %(minutes)d minute without activity. Please log in again.",
                "Your session ended after %(minutes)d minutes without activity. Please log in again.",
                idle // 60,
            ) % {"minutes": idle // 60}
        elif max_age and now - login_at > max_age:
            reason = ngettext(
                "Your session ended after %(hours)d hour. Please log in again.",
                "Your session ended after %(hours)d hours. Please log in again.",
                max_age // 3600,
            ) % {"hours": max_age // 3600}
        else:
            if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or security.LAST_SEEN not in session:
                session[security.LAST_SEEN] = now
            if security.LOGIN_AT not in session:
                session[security.LOGIN_AT] = now
            return
        user = request.user
        security_event_record(kind=SecurityEvent.Kind.SESSION_EXPIRED, user=user, request=request)
        logout(request)
        messages.info(request, reason)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and request.resolver_match.view_name == "admin:login":
            # A locked account+address is refused here, before the login form is validated or
            # rendered: a flood against it costs two reads and a small page.
            username = request.POST.get("username", "")
            if "\x00" in username or len(username) > USERNAME_MAX_LENGTH:
                # No account has such a name; the lockout's tables (PostgreSQL) would refuse it with a 500.
                raise BadRequest("Login with an impossible username")
            credentials = {"username": username}
            if not AxesProxyHandler.is_allowed(request, credentials):
                return locked_out(request)
        if not _is_staff(request):
            return None
        match = request.resolver_match
        if match is None or match.app_name != "admin" or match.url_name == "logout":
            return None
        if security.second_factor_required(request):
            next_url = request.get_full_path() if request.method == "GET" else reverse("admin:index")
            if match.url_name == "login":
                next_url = request.GET.get("next") or reverse("admin:index")
            return security.second_factor_redirect(request, next_url=next_url)
        url_name = match.url_name or ""
        sensitive = url_name.startswith(SUDO_ADMIN_VIEWS) and (
            not url_name.endswith("_changelist") or request.method == "POST"
        )
        if sensitive and security.needs_reauthentication(request):
            # After a POST the same address opens the form again (a GET), typed values are lost once.
            return redirect(security.reauthentication_url(request.get_full_path()))
        return None

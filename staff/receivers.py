"""Django's and django-axes' login signals, written to the security log.

Logins happen inside Django's own views, so these signals are where we hear of them; each
receiver only calls the service that records the event.
"""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from staff import security
from staff.models import SecurityEvent
from staff.services import security_event_record


@receiver(user_logged_in, dispatch_uid="staff_login")
def on_login(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = security.now_seconds()
    request.session[security.LOGIN_AT] = now
    request.session[security.LAST_SEEN] = now
    if user.is_staff:
        request.session[security.HAS_SECOND_FACTOR] = "yes" if security.has_second_factor(user) else "no"
    security_event_record(kind=SecurityEvent.Kind.LOGIN, user=user, request=request)


def _refused_while_locked(request) -> bool:
    # The throttle's backend refused the attempt before any password check: the pair is already
    # locked. Such attempts are not written (a flood must cost no writes); the lock is recorded once.
    return getattr(request, "axes_locked_out", False) and _not_counted(request)


def _not_counted(request) -> bool:
    return getattr(request, "axes_failures_since_start", None) is None


@receiver(user_login_failed, dispatch_uid="staff_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    if request is None or _refused_while_locked(request):
        return
    security_event_record(
        kind=SecurityEvent.Kind.LOGIN_FAILED, username=str(credentials.get("username") or ""), request=request
    )


@receiver(user_locked_out, dispatch_uid="staff_locked_out")
def on_locked_out(sender, request, username, ip_address, **kwargs):
    if request is None or _not_counted(request):
        return  # a refused attempt of a pair that was already locked
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    security_event_record(kind=SecurityEvent.Kind.LOCKOUT, user=user, username=username or "", request=request)

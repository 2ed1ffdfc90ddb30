from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS: a locked pair never reaches
    the password hasher.

    Every web login passes the request (Django's login form does). A call without one is not a
    web login (the shell, the test client's `login()`), has no client address to throttle, and
    is left to the next backend instead of failing.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

"""What every content type's staff preview shares: who may see it, and that no one keeps or indexes it."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.urls import reverse

from staff import security as staff_security


class StaffPreviewMixin(PermissionRequiredMixin):
    """A draft exactly as the public will see it, for staff with `permission_required`.

    Staff rights outside the admin count only once the session gave its second factor: staff
    without it are sent to give it; other signed-in users get a 404 (a preview's existence is not
    theirs to know); visitors go to the admin login. The page is never cached, shared or indexed.
    """

    raise_exception = False

    def get_login_url(self):
        return reverse("admin:login")

    def has_permission(self):
        return super().has_permission() and not staff_security.second_factor_required(self.request)

    def handle_no_permission(self):
        if super().has_permission():
            return staff_security.second_factor_redirect(self.request, next_url=self.request.get_full_path())
        if self.request.user.is_authenticated:
            raise Http404
        return super().handle_no_permission()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = True
        context["fragment_cache"] = False  # a draft is rendered fresh, and never shared
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
        return response

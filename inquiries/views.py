import logging
import re

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView

from hospitals.models import Hospital
from inquiries import checklists, ratelimit
from inquiries.forms import InquiryForm
from inquiries.models import Inquiry
from inquiries.services import inquiry_submit, response_due
from taxonomy.models import Treatment

logger = logging.getLogger(__name__)

# The references this browser session has sent: only these confirmation pages open in it.
SESSION_KEY = "inquiries_sent"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def remember(request, inquiry: Inquiry) -> None:
    sent = request.session.get(SESSION_KEY, [])
    if inquiry.reference not in sent:
        request.session[SESSION_KEY] = [*sent, inquiry.reference][-20:]


# The form carries a one-time token: never let any cache hand the same page to two people.
@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class InquiryFormView(FormView):
    template_name = "inquiries/inquiry_form.html"
    form_class = InquiryForm

    def get_initial(self):
        initial = super().get_initial()
        treatment_slug = self._slug("treatment")
        if treatment_slug:
            initial["requested_treatment"] = Treatment.objects.filter(slug=treatment_slug).first()
        hospital_slug = self._slug("hospital")
        if hospital_slug:
            initial["preferred_hospital"] = Hospital.objects.filter(slug=hospital_slug).first()
        return initial

    def _slug(self, name: str) -> str:
        """A pre-fill value from the link, or "" unless it looks like a slug (no NUL for PostgreSQL)."""
        value = self.request.GET.get(name, "")
        return value if SLUG.fullmatch(value) else ""

    def post(self, request, *args, **kwargs):
        allowed = ratelimit.hit(
            scope="inquiry",
            key=ratelimit.client_key(request),
            limit=settings.INQUIRY_RATE_LIMIT[0],
            window_seconds=settings.INQUIRY_RATE_LIMIT[1],
        )
        if not allowed:
            logger.warning("Inquiry form rate limit reached")
            response = render(request, "inquiries/rate_limited.html", status=429)
            response["Retry-After"] = str(settings.INQUIRY_RATE_LIMIT[1])
            return response
        return super().post(request, *args, **kwargs)

    @classmethod
    def request_too_large(cls, request):
        """The body was over the limit and was not read: the form again, empty, saying why (HTTP 413)."""
        view = cls()
        view.setup(request)
        form = cls.form_class(initial=view.get_initial())
        context = view.get_context_data(
            form=form, request_too_large=True, total_mb=settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)
        )
        response = view.render_to_response(context, status=413)
        return response.render()

    def form_valid(self, form):
        inquiry, _created = inquiry_submit(
            answers=form.answers(),
            documents=form.cleaned_data["documents"],
            submission_token=form.cleaned_data["submission_token"],
            language=get_language(),
        )
        remember(self.request, inquiry)
        # Not get_absolute_url: the admin's "view on site" would hand any staff member the reference.
        return redirect("inquiries:confirmation", reference=inquiry.reference)


@method_decorator(never_cache, name="dispatch")
class InquiryConfirmationView(DetailView):
    """Only the browser session that sent the inquiry can open its confirmation."""

    template_name = "inquiries/confirmation.html"
    context_object_name = "inquiry"

    def get_object(self, queryset=None):
        reference = self.kwargs["reference"]
        if reference not in self.request.session.get(SESSION_KEY, []):
            raise Http404
        inquiry = Inquiry.objects.filter(reference=reference).only(
            "reference", "priority", "created_at", "document_checklist"
        )
        if not inquiry:
            raise Http404
        return inquiry[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["response_due"] = response_due(self.object)
        context["missing_documents"] = [checklists.label(item) for item in self.object.missing_documents]
        return context

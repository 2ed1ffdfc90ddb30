import logging
import math
import re

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView

from hospitals.models import Hospital
from inquiries import checklists, holding, ratelimit
from inquiries.forms import InquiryForm
from inquiries.models import Inquiry
from inquiries.services import inquiry_submit, printable_name, response_due
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

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "held_documents": holding.held_documents(self.request.session)}

    def post(self, request, *args, **kwargs):
        # The patient's "remove" ticks take effect first, whatever else happens to this post.
        holding.release(session=request.session, ids=request.POST.getlist("remove_document"))
        limit, window_seconds = settings.INQUIRY_RATE_LIMIT
        allowed = ratelimit.hit(
            scope="inquiry", key=ratelimit.client_key(request), limit=limit, window_seconds=window_seconds
        )
        if not allowed:
            return self.rate_limited(window_seconds)
        form = self.get_form()
        try:
            return self.form_valid(form) if form.is_valid() else self.form_invalid(form)
        finally:
            for document, _checked in (getattr(form, "cleaned_data", None) or {}).get("documents") or []:
                document.close()

    def rate_limited(self, window_seconds: int):
        """The form again, as typed but unchecked, with the reason and when to try again (HTTP 429)."""
        logger.warning("Inquiry form rate limit reached")
        wait_seconds = ratelimit.seconds_until_next_window(window_seconds=window_seconds)
        form = self.form_class(
            initial=self.form_class.typed_initial(self.request.POST),
            held_documents=holding.held_documents(self.request.session),
        )
        context = self.get_context_data(form=form, rate_limited=True, wait_minutes=math.ceil(wait_seconds / 60))
        response = self.render_to_response(context, status=429)
        response["Retry-After"] = str(wait_seconds)
        return response

    def form_invalid(self, form):
        # Uploads that passed their checks wait for the corrected form, so they are not chosen again.
        for uploaded, _checked in form.documents_to_hold:
            holding.hold(session=self.request.session, uploaded=uploaded, name=printable_name(uploaded.name))
        form.held_documents = holding.held_documents(self.request.session)
        return super().form_invalid(form)

    def form_valid(self, form):
        inquiry, _created = inquiry_submit(
            answers=form.answers(),
            documents=form.cleaned_data["documents"],
            submission_token=form.cleaned_data["submission_token"],
            language=get_language(),
        )
        # Attached now (or sent before with the same token): the held copies are no longer needed.
        holding.release(session=self.request.session, ids=[document.id for document in form.held_documents])
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

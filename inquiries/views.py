import logging
import math
import re
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DetailView, FormView

from hospitals.models import Hospital
from inquiries import checklists, holding, links, ratelimit
from inquiries.followup import FollowUpError, follow_up_link_request, follow_up_reply, follow_up_view_record
from inquiries.followup_forms import FollowUpLinkForm, FollowUpReplyForm
from inquiries.forms import InquiryForm
from inquiries.models import FOLLOW_UP_STAGES, Inquiry
from inquiries.network import client_address
from inquiries.services import inquiry_submit, printable_name, promise_text
from taxonomy.models import Treatment

logger = logging.getLogger(__name__)

# The references this browser session has sent: only these confirmation pages open in it.
SESSION_KEY = "inquiries_sent"
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")


def remember(request, inquiry: Inquiry) -> None:
    sent = request.session.get(SESSION_KEY, [])
    if inquiry.reference not in sent:
        request.session[SESSION_KEY] = [*sent, inquiry.reference][-20:]


class RateLimitedFormMixin:
    """Posts count against INQUIRY_RATE_LIMIT; over it, the form comes back as typed with the reason (429)."""

    rate_limit_scope = ""

    def post(self, request, *args, **kwargs):
        limit, window_seconds = settings.INQUIRY_RATE_LIMIT
        allowed = ratelimit.hit(
            scope=self.rate_limit_scope,
            key=ratelimit.client_key(request),
            limit=limit,
            window_seconds=window_seconds,
        )
        if allowed:
            return super().post(request, *args, **kwargs)
        logger.warning("Rate limit reached (%s)", self.rate_limit_scope)
        wait_seconds = ratelimit.seconds_until_next_window(window_seconds=window_seconds)
        response = self.rate_limited(wait_seconds=wait_seconds)
        response["Retry-After"] = str(wait_seconds)
        return response

    def rate_limited(self, *, wait_seconds: int):
        """The 429 page: by default the bound form with the reason as its error."""
        form = self.get_form()
        form.add_error(
            None,
            _(
                "We have received many requests from your connection in a short time. Please try again in an "
                "hour; what you typed is still here (files must be chosen again). If it is urgent, please call us."
            ),
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)


# The form carries a one-time token: never let any cache hand the same page to two people.
@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class InquiryFormView(RateLimitedFormMixin, FormView):
    template_name = "inquiries/inquiry_form.html"
    form_class = InquiryForm
    rate_limit_scope = "inquiry"

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
        return super().post(request, *args, **kwargs)

    @classmethod
    def request_too_large(cls, request):
        """The body was over the limit and was not read: the form again, empty, saying why (HTTP 413)."""
        view = cls()
        view.setup(request)
        form = cls.form_class(initial=view.get_initial(), held_documents=holding.held_documents(request.session))
        context = view.get_context_data(
            form=form, request_too_large=True, total_mb=settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024)
        )
        response = view.render_to_response(context, status=413)
        return response.render()

    def rate_limited(self, *, wait_seconds: int):
        """The form again, as typed but unchecked (files excepted), with the reason and when to try again."""
        form = self.form_class(
            initial=self.form_class.typed_initial(self.request.POST),
            held_documents=holding.held_documents(self.request.session),
        )
        context = self.get_context_data(form=form, rate_limited=True, wait_minutes=math.ceil(wait_seconds / 60))
        return self.render_to_response(context, status=429)

    def form_invalid(self, form):
        # Uploads that passed their checks wait for the corrected form, so they are not chosen again.
        for uploaded, _checked in form.documents_to_hold:
            holding.hold(session=self.request.session, uploaded=uploaded, name=printable_name(uploaded.name))
        form.held_documents = holding.held_documents(self.request.session)
        for document, _checked in form.cleaned_data.get("documents") or []:
            document.close()
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            inquiry, _created = inquiry_submit(
                answers=form.answers(),
                documents=form.cleaned_data["documents"],
                submission_token=form.cleaned_data["submission_token"],
                language=get_language(),
            )
        finally:
            for document, _checked in form.cleaned_data["documents"]:
                document.close()
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
        inquiry = (
            Inquiry.objects.with_deadline()
            .filter(reference=reference)
            .only("reference", "priority", "created_at", "first_response_at", "document_checklist")
        )
        if not inquiry:
            raise Http404
        return inquiry[0]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The staff deadline itself (services.response_due reads the same annotation).
        context["response_due_text"] = promise_text(self.object.next_answer_due)
        context["missing_documents"] = [checklists.label(item) for item in self.object.missing_documents]
        return context


# --- The follow-up page (issue 13, docs/inquiries.md) -----------------------------------------

# The inquiry this browser may see on the follow-up page: set by opening a personal link, valid
# for INQUIRY_FOLLOW_UP_SESSION_MINUTES, and only while the link's key is still the inquiry's.
FOLLOW_UP_SESSION_KEY = "inquiry_follow_up"


def follow_up_inquiry(request):
    """The inquiry the session's follow-up link opened, or None (none, expired, revoked, anonymised)."""
    entry = request.session.get(FOLLOW_UP_SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("until", 0) < timezone.now().timestamp():
        return None
    return (
        Inquiry.objects.with_deadline()
        .filter(pk=entry.get("id"), follow_up_key=entry.get("key"), anonymised_at__isnull=True)
        .first()
    )


def no_referrer(view):
    """The URL that carries a link's token never leaves in a Referer header (nor goes on after the redirect).

    Only there: with `no-referrer` a browser sends `Origin: null` with a page's own form posts,
    which CSRF protection rightly refuses, so the token-free pages keep the site's `same-origin`.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class FollowUpLinkRequestView(RateLimitedFormMixin, FormView):
    """Ask for a new personal link with the reference and the e-mail address; the same answer either way."""

    template_name = "inquiries/follow_up_request.html"
    form_class = FollowUpLinkForm
    rate_limit_scope = "follow-up-link"

    def form_valid(self, form):
        follow_up_link_request(
            reference=form.cleaned_data["reference"],
            email=form.cleaned_data["email"],
            ip_address=client_address(self.request),
        )
        return render(self.request, "inquiries/follow_up_request_sent.html")


@never_cache
@no_referrer
def follow_up_open(request):
    """Open a personal link: remember the inquiry in a short session, then leave the token behind."""
    inquiry = links.inquiry_for(request.GET.get(links.PARAMETER, ""))
    if inquiry is None:
        return render(request, "inquiries/follow_up_invalid.html", status=404)
    request.session.cycle_key()  # a fresh session id for what this link opens
    until = timezone.now() + timedelta(minutes=settings.INQUIRY_FOLLOW_UP_SESSION_MINUTES)
    request.session[FOLLOW_UP_SESSION_KEY] = {
        "id": inquiry.pk,
        "key": inquiry.follow_up_key,
        "until": until.timestamp(),
    }
    follow_up_view_record(inquiry=inquiry, detail="follow-up link opened", ip_address=client_address(request))
    response = redirect("inquiries:follow_up")
    language = inquiry.patient_language
    if language in dict(settings.LANGUAGES) and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE
        )
    return response


@method_decorator([never_cache, sensitive_post_parameters()], name="dispatch")
class FollowUpView(RateLimitedFormMixin, FormView):
    """Where the inquiry stands, what is missing, the conversation; a reply with documents."""

    template_name = "inquiries/follow_up.html"
    form_class = FollowUpReplyForm
    rate_limit_scope = "follow-up-reply"

    def dispatch(self, request, *args, **kwargs):
        self.inquiry = follow_up_inquiry(request)
        if self.inquiry is None:
            return render(request, "inquiries/follow_up_invalid.html", {"session_ended": True}, status=403)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        follow_up_view_record(inquiry=self.inquiry, ip_address=client_address(request))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not self.inquiry.is_open:
            return redirect("inquiries:follow_up")
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "inquiry": self.inquiry}

    def form_invalid(self, form):
        # The page is shown again (with the errors): that is a view of it too.
        follow_up_view_record(inquiry=self.inquiry, ip_address=client_address(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        try:
            follow_up_reply(
                inquiry=self.inquiry,
                text=form.cleaned_data["message"],
                documents=form.cleaned_data["documents"],
                documents_sent=form.cleaned_data.get("documents_sent", []),
                ip_address=client_address(self.request),
            )
        except FollowUpError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you. We have received it, and our medical team will read it."))
        return redirect("inquiries:follow_up")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inquiry = self.inquiry
        conversation = inquiry.conversation()
        requested = {code for message in conversation for code in message.requested_documents}
        context.update(
            {
                "inquiry": inquiry,
                "stages": follow_up_stages(inquiry),
                "response_due": inquiry.next_answer_due,
                "response_due_text": promise_text(inquiry.next_answer_due) if inquiry.next_answer_due else "",
                "missing_documents": [
                    {"label": checklists.label(item), "requested": item.get("code") in requested}
                    for item in inquiry.missing_documents
                ],
                "received_documents": inquiry.attachments.all(),
                "upload_limit_mb": settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES // (1024 * 1024),
                "conversation": conversation,
            }
        )
        return context


def follow_up_stages(inquiry) -> list[dict]:
    """The steps of the workflow in the patient's words: done, current or still to come, with dates."""
    order = list(Inquiry.Status.values)
    current = order.index(inquiry.status)
    stages = []
    for index, status in enumerate(order):
        if status == Inquiry.Status.CLOSED and inquiry.status != Inquiry.Status.CLOSED:
            continue
        if index < current:
            state = "done"
        elif index == current:
            state = "current"
        else:
            state = "next"
        date = None
        if status == Inquiry.Status.NEW:
            date = inquiry.created_at
        elif index == current:
            date = inquiry.status_changed_at
        stages.append({"label": FOLLOW_UP_STAGES[status], "state": state, "date": date})
    return stages

"""The staff's triage workspace: the inquiry changelist is the queue, the change page is for reading.

Staff never edit what the patient submitted: the change page is a read-only layout with small
forms (note, contact, status, close, priority, assignment), each calling one service. Every view
of the page, every download, change and export is written to the access log.
"""

import csv
import tempfile

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django_countries import countries

from inquiries import followup, services
from inquiries.models import (
    AccessLogEntry,
    Attachment,
    Inquiry,
    Notification,
    overdue_condition,
    priority_rank,
    queue_ordering,
)
from inquiries.network import client_address
from inquiries.paginator import COUNT_CAP, QueuePaginator
from inquiries.staff_forms import (
    AssignForm,
    CloseForm,
    ContactForm,
    FollowUpMessageForm,
    NoteForm,
    PriorityForm,
    StatusForm,
)
from inquiries.worker import worker_health
from staff.readonly import AppendOnlyAdminMixin
from staff.security import reauthentication_redirect

# The queue's CSV: no name, contact details, answers or reasons (those hold health data).
CSV_COLUMNS = (
    "reference",
    "priority",
    "triage_priority",
    "status",
    "country",
    "created_at",
    "first_response_due",
    "first_response_at",
    "assigned_to",
    "escalated_at",
    "closed_at",
    "closing_reason",
)
SAFE_CONTENT_TYPES = set(Attachment.ContentType.values)
# The access-log panel of an inquiry's page shows this many of the latest entries.
ACCESS_LOG_SHOWN = 25


class AssignedFilter(admin.SimpleListFilter):
    title = _("assigned to")
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", _("me")), ("none", _("unassigned"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("first-response deadline")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("overdue")), ("no", _("not overdue"))]

    def queryset(self, request, queryset):
        # Inquiry.objects.overdue(), as conditions on the queue's own rows (indexed, no subquery).
        overdue = ~Q(status=Inquiry.Status.CLOSED) & overdue_condition(timezone.now())
        if self.value() == "yes":
            return queryset.filter(overdue)
        if self.value() == "no":
            return queryset.exclude(overdue)
        return queryset


class FailedEmailFilter(admin.SimpleListFilter):
    title = _("e-mails")
    parameter_name = "email_failed"

    def lookups(self, request, model_admin):
        return [("yes", _("an e-mail failed after the last retry"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            failed = Notification.objects.filter(status=Notification.Status.FAILED).values("inquiry_id")
            return queryset.filter(pk__in=failed)
        return queryset


class PatientReplyFilter(admin.SimpleListFilter):
    title = _("patient's reply")
    parameter_name = "replied"

    def lookups(self, request, model_admin):
        return [("yes", _("patient replied, not answered yet")), ("documents", _("documents received"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=Inquiry.objects.awaiting_staff_reply().values("pk"))
        if self.value() == "documents":
            return queryset.filter(patient_documents_at__isnull=False)
        return queryset


class CountryFilter(admin.SimpleListFilter):
    """Every country of the choice list: no query (a DISTINCT over the table reads every row)."""

    title = _("country of residence")
    parameter_name = "country"
    # Closed until a country is chosen: the list is long, the other filters come first.
    template = "admin/inquiries/inquiry/collapsed_filter.html"

    def lookups(self, request, model_admin):
        return list(countries)  # sorted by name in the active language

    def queryset(self, request, queryset):
        return queryset.filter(country=self.value()) if self.value() else queryset


class HospitalSearchFilter(admin.RelatedFieldListFilter):
    """The preferred hospital, found by name: a search box and at most ten matches, not 2,000 links.

    The chosen hospital keeps the admin's own parameter (`preferred_hospital__id__exact`), so links
    to the filtered queue stay as they were.
    """

    search_parameter = "hospital_search"
    max_matches = 10
    template = "admin/inquiries/inquiry/hospital_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        values = params.get(self.search_parameter) or [""]
        # Printable characters only: PostgreSQL refuses a NUL in a query, which would be a 500.
        self.search_term = "".join(c for c in str(values[-1]) if c.isprintable()).strip()[:100]
        super().__init__(field, request, params, model, model_admin, field_path)

    def expected_parameters(self):
        return [*super().expected_parameters(), self.search_parameter]

    def queryset(self, request, queryset):
        self.used_parameters.pop(self.search_parameter, None)
        return super().queryset(request, queryset)

    def field_choices(self, field, request, model_admin):
        hospitals = field.remote_field.model.objects.order_by("name")
        chosen = [value for value in (self.lookup_val or []) if str(value).isdigit()]
        choices = list(hospitals.filter(pk__in=chosen).values_list("pk", "name")) if chosen else []
        if self.search_term:
            matches = hospitals.filter(name__icontains=self.search_term).exclude(pk__in=chosen)
            choices += list(matches.values_list("pk", "name")[: self.max_matches])
        return choices

    def has_output(self):
        return True

    def choices(self, changelist):
        # What the search form must carry along: every other filter and the search of the queue.
        own = {*super().expected_parameters(), self.search_parameter}
        self.hidden_parameters = [(name, value) for name, value in changelist.params.items() if name not in own]
        for number, choice in enumerate(super().choices(changelist)):
            if number == 0:  # "All": forget the search too
                choice["query_string"] = changelist.get_query_string(remove=list(own))
            yield choice


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    # The reasons come early and are cut to one line (static/inquiries/admin.css): the queue fits a
    # 1280-pixel laptop screen beside the filters without sideways scrolling.
    list_display = (
        "reference",
        "priority_badge",
        "reasons_summary",
        "deadline",
        "status",
        "assigned_to",
        "received",
    )
    list_display_links = ("reference",)
    list_filter = (
        "priority",
        "status",
        PatientReplyFilter,
        AssignedFilter,
        OverdueFilter,
        FailedEmailFilter,
        CountryFilter,
        # The treatments of the taxonomy (a few dozen), not a DISTINCT over every inquiry.
        ("requested_treatment", admin.RelatedFieldListFilter),
        ("preferred_hospital", HospitalSearchFilter),
        ("created_at", admin.DateFieldListFilter),
    )
    list_select_related = ("assigned_to", "requested_treatment", "preferred_hospital")
    search_fields = ("=reference", "email", "patient_name")
    search_help_text = _("Reference code, e-mail address or name.")
    list_per_page = 50
    # At a million inquiries, counting them is most of the page's time: the paginator counts up to
    # a cap or estimates (inquiries/paginator.py), the unfiltered total is not counted at all, and
    # the filters show no per-choice counts.
    paginator = QueuePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = [
        "assign_to_me",
        "assign_to_colleague",
        "mark_contacted",
        "close_with_reason",
        "change_priority",
        "export_csv",
        "export_people",
        "erase_people",
    ]

    class Media:
        css = {"all": ["inquiries/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_deadline()

    def get_ordering(self, request):
        # Open first, then urgent → high → routine; unanswered replies first, then the oldest first.
        return queue_ordering()

    # Action pages post reasons that can describe the patient's health: keep them out of error reports.
    @method_decorator(sensitive_post_parameters())
    def changelist_view(self, request, extra_context=None):
        # The queue needs the width: no navigation sidebar here (the breadcrumbs lead back).
        return super().changelist_view(request, {"is_nav_sidebar_enabled": False, **(extra_context or {})})

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.strip())

    def has_add_permission(self, request):
        return False  # inquiries come from the public form only

    def has_delete_permission(self, request, obj=None):
        return False  # retention and erasure are commands with their own rules, never by hand

    # --- Columns -------------------------------------------------------------------------------

    @admin.display(description=_("priority"), ordering=priority_rank())
    def priority_badge(self, obj):
        # The reply badges sit here, in the first columns: a reply is why the row is at the top
        # of its priority group.
        overridden = obj.priority != obj.triage_priority
        return format_html(
            '<span class="badge-priority badge-priority-{}">{}</span>{}{}{}',
            obj.priority,
            obj.get_priority_display(),
            format_html(' <span class="badge-note">{}</span>', _("changed")) if overridden else "",
            format_html(' <span class="badge-replied">{}</span>', _("patient replied"))
            if obj.patient_replied_at
            else "",
            format_html(' <span class="badge-documents">{}</span>', _("documents received"))
            if obj.patient_documents_at
            else "",
        )

    @admin.display(description=_("first response due"), ordering="first_response_due")
    def deadline(self, obj):
        if obj.first_response_at is not None:
            return format_html('<span class="deadline-met">{}</span>', _("answered"))
        if not obj.is_open:
            return "-"
        now = timezone.now()
        escalated = format_html(' <span class="badge-escalated">{}</span>', _("escalated")) if obj.escalated_at else ""
        if obj.is_overdue(now):
            return format_html(
                '<span class="deadline-overdue">{} {}</span>{}',
                _("overdue by"),
                _duration(now - obj.deadline),
                escalated,
            )
        return format_html(
            '<span class="deadline-open">{} {}</span>{}', _duration(obj.deadline - now), _("left"), escalated
        )

    @admin.display(description=_("triage reasons"))
    def reasons_summary(self, obj):
        """The first reason on one line; all of them on hover and on the reading page."""
        reasons = obj.triage_reasons or []
        if not reasons:
            return "-"
        return format_html('<span class="reasons-summary" title="{}">{}</span>', "\n".join(reasons), reasons[0])

    @admin.display(description=_("received"), ordering="created_at")
    def received(self, obj):
        return format_html(
            '<time datetime="{}">{}</time>',
            obj.created_at.isoformat(),
            date_format(timezone.localtime(obj.created_at), "SHORT_DATETIME_FORMAT"),
        )

    # --- The detail page -------------------------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/documents/<int:attachment_id>/",
                self.admin_site.admin_view(self.download_view),
                name="inquiries_inquiry_download",
            ),
        ]
        return urls + super().get_urls()

    def _inquiry_or_403(self, request, object_id, *, change=False) -> Inquiry:
        if not self.has_view_permission(request):
            raise PermissionDenied
        inquiry = self.get_object(request, object_id)
        if inquiry is None:
            raise Http404
        if change and not self.has_change_permission(request, inquiry):
            raise PermissionDenied
        return inquiry

    def download_view(self, request, object_id, attachment_id):
        """Send one medical document as a download, after the permission check, and log it."""
        inquiry = self._inquiry_or_403(request, object_id)
        attachment = get_object_or_404(Attachment, pk=attachment_id, inquiry=inquiry)
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        services.access_log_record(
            inquiry=inquiry,
            user=request.user,
            action=AccessLogEntry.Action.DOWNLOAD,
            detail=f"document {attachment.pk}",
            ip_address=client_address(request),
        )
        content_type = attachment.content_type if attachment.content_type in SAFE_CONTENT_TYPES else None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.download_name,
            content_type=content_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    @method_decorator(sensitive_post_parameters())
    def change_view(self, request, object_id, form_url="", extra_context=None):
        """A page for reading the inquiry, with forms that each call one service."""
        inquiry = self._inquiry_or_403(request, object_id, change=request.method == "POST")
        forms = {
            "note": NoteForm(prefix="note"),
            "contact": ContactForm(prefix="contact"),
            "status": StatusForm(prefix="status", current=inquiry.status),
            "close": CloseForm(prefix="close"),
            "priority": PriorityForm(prefix="priority"),
            "assign": AssignForm(prefix="assign"),
            "message": FollowUpMessageForm(prefix="message", inquiry=inquiry),
        }
        if request.method == "POST":
            response = self._handle_post(request, inquiry, forms)
            if response is not None:
                return response
        else:
            services.access_log_record(
                inquiry=inquiry,
                user=request.user,
                action=AccessLogEntry.Action.VIEW,
                ip_address=client_address(request),
            )
        inquiry = self.get_queryset(request).get(pk=inquiry.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Inquiry %(reference)s") % {"reference": inquiry.reference},
            "subtitle": None,
            "opts": self.opts,
            "original": inquiry,
            "inquiry": inquiry,
            "answers": [
                (Inquiry._meta.get_field(name).verbose_name, _answer(inquiry, name)) for name in Inquiry.ANSWER_FIELDS
            ],
            "attachments": inquiry.attachments.filter(message__isnull=True),
            "conversation": inquiry.conversation(),
            "notes": inquiry.notes.select_related("author"),
            "contact_log": inquiry.contact_log.select_related("created_by"),
            "overrides": inquiry.priority_overrides.select_related("created_by"),
            "notifications": inquiry.notifications.all(),
            **_latest_access(inquiry),
            "is_overdue": inquiry.is_overdue(timezone.now()),
            "first_response_time": _duration(inquiry.first_response_time) if inquiry.first_response_at else "",
            "can_change": self.has_change_permission(request, inquiry),
            "forms": forms,
            "has_view_permission": True,
            "media": self.media,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/inquiries/inquiry/detail.html", context)

    def _handle_post(self, request, inquiry, forms):
        kind = request.POST.get("form", "")
        by = {"by": request.user, "ip_address": client_address(request)}
        try:
            if kind == "assign_me":
                services.inquiry_assign(inquiry=inquiry, assignee=request.user, **by)
                self.message_user(request, _("Assigned to you."), messages.SUCCESS)
            elif kind == "follow_up_done":
                services.inquiry_follow_up_done(inquiry=inquiry, **by)
                self.message_user(request, _("Saved."), messages.SUCCESS)
            elif kind == "reply_seen":
                followup.follow_up_reply_acknowledge(inquiry=inquiry, **by)
                self.message_user(request, _("Marked as seen."), messages.SUCCESS)
            elif kind == "revoke_links":
                followup.follow_up_links_revoke(inquiry=inquiry, **by)
                self.message_user(
                    request,
                    _("Every follow-up link sent so far no longer works. The sender can ask for a new one."),
                    messages.SUCCESS,
                )
            elif kind in forms:
                extra = {"current": inquiry.status} if kind == "status" else {}
                extra = {"inquiry": inquiry} if kind == "message" else extra
                form = forms[kind].__class__(request.POST, prefix=kind, **extra)
                forms[kind] = form
                if not form.is_valid():
                    self.message_user(request, _("Please correct the form below."), messages.ERROR)
                    return None
                data = form.cleaned_data
                if kind == "note":
                    services.note_add(inquiry=inquiry, text=data["text"], **by)
                elif kind == "contact":
                    services.contact_log_add(inquiry=inquiry, **data, **by)
                elif kind == "status":
                    services.inquiry_change_status(inquiry=inquiry, status=data["status"], **by)
                elif kind == "close":
                    services.inquiry_close(inquiry=inquiry, reason=data["reason"], **by)
                elif kind == "priority":
                    services.inquiry_override_priority(
                        inquiry=inquiry, priority=data["priority"], reason=data["reason"], **by
                    )
                elif kind == "assign":
                    services.inquiry_assign(inquiry=inquiry, assignee=data["assignee"], replace=True, **by)
                elif kind == "message":
                    followup.follow_up_message_send(
                        inquiry=inquiry, text=data["text"], requested_documents=data["requested_documents"], **by
                    )
                self.message_user(request, _("Saved."), messages.SUCCESS)
            else:
                return None
        except services.TriageError as error:
            self.message_user(request, str(error), messages.ERROR)
        return HttpResponseRedirect(request.path)

    # --- Actions ---------------------------------------------------------------------------------

    def _each(self, request, queryset, call, done_message):
        done = 0
        for inquiry in queryset:
            try:
                call(inquiry)
            except services.TriageError as error:
                self.message_user(request, str(error), messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Assign to me"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda inquiry: services.inquiry_assign(
                inquiry=inquiry, assignee=request.user, by=request.user, ip_address=client_address(request)
            ),
            lambda n: (
                ngettext("%(count)d inquiry assigned to you.", "%(count)d inquiries assigned to you.", n)
                % {"count": n}
            ),
        )

    @admin.action(description=_("Mark as contacted"), permissions=["change"])
    def mark_contacted(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda inquiry: services.inquiry_change_status(
                inquiry=inquiry,
                status=Inquiry.Status.CONTACTED,
                by=request.user,
                ip_address=client_address(request),
            ),
            lambda n: (
                ngettext("%(count)d inquiry marked as contacted.", "%(count)d inquiries marked as contacted.", n)
                % {"count": n}
            ),
        )

    def _intermediate(self, request, queryset, *, form_class, action, title, button, apply):
        """An action that asks for input first (a page with a form), then applies it to each."""
        inquiries = list(queryset)
        form = form_class(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._each(request, inquiries, lambda inquiry: apply(inquiry, form.cleaned_data), _done)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "inquiries": inquiries,
            "form": form,
            "action": action,
            "button": button,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/inquiries/inquiry/action_form.html", context)

    @admin.action(description=_("Assign to a colleague…"), permissions=["change"])
    def assign_to_colleague(self, request, queryset):
        return self._intermediate(
            request,
            queryset,
            form_class=AssignForm,
            action="assign_to_colleague",
            title=_("Assign to a colleague"),
            button=_("Assign"),
            apply=lambda inquiry, data: services.inquiry_assign(
                inquiry=inquiry,
                assignee=data["assignee"],
                replace=True,
                by=request.user,
                ip_address=client_address(request),
            ),
        )

    @admin.action(description=_("Close with a reason…"), permissions=["change"])
    def close_with_reason(self, request, queryset):
        return self._intermediate(
            request,
            queryset,
            form_class=CloseForm,
            action="close_with_reason",
            title=_("Close inquiries"),
            button=_("Close"),
            apply=lambda inquiry, data: services.inquiry_close(
                inquiry=inquiry, reason=data["reason"], by=request.user, ip_address=client_address(request)
            ),
        )

    @admin.action(description=_("Change the priority…"), permissions=["change"])
    def change_priority(self, request, queryset):
        return self._intermediate(
            request,
            queryset,
            form_class=PriorityForm,
            action="change_priority",
            title=_("Change the priority"),
            button=_("Change priority"),
            apply=lambda inquiry, data: services.inquiry_override_priority(
                inquiry=inquiry,
                priority=data["priority"],
                reason=data["reason"],
                by=request.user,
                ip_address=client_address(request),
            ),
        )

    @admin.action(description=_("Export the selection as CSV (no health data)"), permissions=["view"])
    def export_csv(self, request, queryset):
        if detour := reauthentication_redirect(request):  # sudo mode: the second factor again
            return detour
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="inquiries.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_COLUMNS)
        rows = list(queryset.select_related("assigned_to"))
        for inquiry in rows:
            writer.writerow([_csv_value(inquiry, column) for column in CSV_COLUMNS])
        # One entry per inquiry, so each inquiry's page shows that it left the portal in a CSV.
        services.access_log_record_many(
            inquiries=rows,
            user=request.user,
            action=AccessLogEntry.Action.EXPORT,
            detail=f"queue CSV ({len(rows)} inquiries)",
            ip_address=client_address(request),
        )
        return response

    # --- Data protection, for superusers ---------------------------------------------------------

    def has_superuser_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    @admin.action(description=_("Subject access: export these people's data (ZIP)"), permissions=["superuser"])
    def export_people(self, request, queryset):
        if detour := reauthentication_redirect(request):  # sudo mode: the second factor again
            return detour
        emails = sorted({email.lower() for email in queryset.values_list("email", flat=True) if email})
        archive = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it
        try:
            services.people_export_archive(
                emails=emails, archive=archive, by=request.user, ip_address=client_address(request)
            )
        except services.ExportError as error:
            archive.close()
            self.message_user(request, str(error), messages.ERROR)
            return None
        archive.seek(0)
        response = FileResponse(
            archive, as_attachment=True, filename="subject-access-export.zip", content_type="application/zip"
        )
        response["Cache-Control"] = "private, no-store"
        return response

    @admin.action(description=_("Erasure: delete these people's inquiries and documents…"), permissions=["superuser"])
    def erase_people(self, request, queryset):
        if detour := reauthentication_redirect(request):  # sudo mode: the second factor again
            return detour
        emails = sorted({email.lower() for email in queryset.values_list("email", flat=True) if email})
        if "apply" in request.POST and request.POST.get("confirm") == "erase":
            erased = []
            for email in emails:
                erased += services.person_erase(email=email, by=request.user)
            self.message_user(
                request,
                ngettext("%(count)d inquiry erased.", "%(count)d inquiries erased.", len(erased))
                % {"count": len(erased)},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "opts": self.opts,
            "inquiries": list(Inquiry.objects.filter(email__in=emails)) if emails else [],
            "selected": list(queryset),
            "count": len(emails),
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(request, "admin/inquiries/inquiry/erase_confirm.html", context)


def _latest_access(inquiry) -> dict:
    """The latest access-log entries of an inquiry and how many earlier ones (counted up to a cap).

    An inquiry looked at every day for years must not make its page slow; the access log's own
    list has every entry. The count is a second query only when there are more than are shown.
    """
    entries = list(inquiry.access_log.all()[: ACCESS_LOG_SHOWN + 1])
    more = 0
    if len(entries) > ACCESS_LOG_SHOWN:
        entries = entries[:ACCESS_LOG_SHOWN]
        more = inquiry.access_log.order_by()[: COUNT_CAP + ACCESS_LOG_SHOWN + 1].count() - ACCESS_LOG_SHOWN
    return {"access_log": entries, "access_log_more": more, "access_log_cap": COUNT_CAP}


def _done(n):
    return ngettext("%(count)d inquiry changed.", "%(count)d inquiries changed.", n) % {"count": n}


def _csv_value(inquiry, column):
    if column == "first_response_due":
        return inquiry.deadline.isoformat()
    if column == "assigned_to":
        return inquiry.assigned_to.get_username() if inquiry.assigned_to else ""
    value = getattr(inquiry, column)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value or "")


def _answer(inquiry, name):
    display = getattr(inquiry, f"get_{name}_display", None)
    if display is not None:
        return display()
    value = getattr(inquiry, name)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "country":
        return inquiry.country.name
    return value if value not in (None, "") else "-"


def _duration(delta) -> str:
    minutes = int(abs(delta.total_seconds()) // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("%(days)dd %(hours)dh") % {"days": days, "hours": hours}
    return _("%(hours)dh %(minutes)02dmin") % {"hours": hours, "minutes": minutes}


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(AppendOnlyAdminMixin, admin.ModelAdmin):
    """The access log, readable by Triage staff; nobody adds, changes or deletes an entry."""

    list_display = ("created_at", "username", "actor", "action", "reference", "detail", "ip_address")
    list_filter = ("actor", "action", ("created_at", admin.DateFieldListFilter))
    search_fields = ("=reference", "username")
    actions = None
    # One row per look at an inquiry: the longest table of all, so never counted whole.
    paginator = QueuePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER


def dashboard_counts(now=None) -> dict:
    """The counts that matter now, for the admin index: four queries (two for the task worker)."""
    now = now or timezone.now()
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # Over the open inquiries only, which the partial index inquiry_open_idx holds.
    counts = (
        Inquiry.objects.open()
        .order_by()
        .aggregate(
            urgent_open=Count("pk", filter=Q(priority=Inquiry.Priority.URGENT)),
            overdue=Count("pk", filter=overdue_condition(now)),
            unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
            new_today=Count("pk", filter=Q(created_at__gte=today)),
            # Inquiry.objects.awaiting_staff_reply() within open(): the queue filter "patient replied".
            replies_waiting=Count("pk", filter=Q(patient_replied_at__isnull=False)),
        )
    )
    counts["failed_notifications"] = Notification.objects.filter(status=Notification.Status.FAILED).count()
    counts["today"] = str(today)  # aware, as the admin's own date filter links it
    counts["worker"] = worker_health(now=now)
    return counts

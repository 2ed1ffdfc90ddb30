from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from modeltranslation.admin import TranslationAdmin

from hospitals.models import (
    AdmissionStatus,
    Certification,
    Hospital,
    HospitalCertification,
    SiteNotice,
)
from hospitals.resources import AdmissionStatusResource, HospitalResource
from hospitals.services import admission_status_record
from hospitals.templatetags.hospital_links import badge_context
from languages.fallback import localized_names
from pagecache.admin import RefreshesPublicPages
from pagecache.versions import HOSPITALS, NOTICES
from staff.readonly import AppendOnlyAdminMixin

CERTIFICATION_WARNING_DAYS = 90


class AdmissionStatusForm(forms.Form):
    """What staff enter to record a new status for one or many hospitals."""

    status = forms.ChoiceField(label=_("Status"), choices=AdmissionStatus.Status.choices)
    effective_from = forms.DateField(label=_("Effective from"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *AdmissionStatus.Reason.choices], required=False)
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=AdmissionStatus._meta.get_field("valid_until").help_text,
    )
    source = forms.ChoiceField(label=_("Source"), choices=AdmissionStatus.Source.choices)
    source_reference = forms.CharField(
        label=_("Source reference"),
        required=False,
        max_length=500,
        help_text=AdmissionStatus._meta.get_field("source_reference").help_text,
    )
    verified_at = forms.DateTimeField(
        label=_("Verified at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("When the source confirmed it. Leave empty for now."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One public note per site language, right after the dates (English is the fallback).
        fields = dict(self.fields)
        self.fields.clear()
        for name, field in fields.items():
            self.fields[name] = field
            if name == "effective_from":
                for code, language in settings.LANGUAGES:
                    self.fields[f"note_{code}"] = forms.CharField(
                        label=_("Public note (%(language)s)") % {"language": language},
                        required=False,
                        max_length=500,
                        widget=forms.Textarea(attrs={"rows": 2}),
                        help_text=AdmissionStatus._meta.get_field("note").help_text if code == "en" else "",
                    )

    def notes(self) -> dict[str, str]:
        return {code: self.cleaned_data[f"note_{code}"] for code, _language in settings.LANGUAGES}


class CurrentStatusFilter(admin.SimpleListFilter):
    title = _("current status")
    parameter_name = "current_status"

    def lookups(self, request, model_admin):
        return AdmissionStatus.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(current_effective_status=self.value())
        return queryset


class CheckDueFilter(admin.SimpleListFilter):
    title = _("status check due")
    parameter_name = "check_due"

    def lookups(self, request, model_admin):
        return [
            ("stale", _("Stale (verified too long ago or past valid until)")),
            ("never", _("Never recorded")),
            ("due", _("Stale or never recorded")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(current_status_is_stale=True)
        if self.value() == "never":
            return queryset.filter(current_status_event_id__isnull=True)
        if self.value() == "due":
            return queryset.filter(Q(current_status_is_stale=True) | Q(current_status_event_id__isnull=True))
        return queryset


class AdmissionStatusInline(AppendOnlyAdminMixin, admin.TabularInline):
    """The status history, read-only: a correction is a new event, recorded with the action."""

    model = AdmissionStatus
    extra = 0
    can_delete = False
    ordering = AdmissionStatus.NEWEST_FIRST
    fields = readonly_fields = [
        "effective_from",
        "status",
        "reason",
        "valid_until",
        "note",
        "source",
        "source_reference",
        "verified_at",
        "recorded_by",
        "recorded_at",
    ]
    verbose_name_plural = _("status history (read-only; record a new status to correct it)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recorded_by")


class HospitalCertificationInline(admin.TabularInline):
    model = HospitalCertification
    extra = 0
    autocomplete_fields = ["certification"]
    fields = ["certification", "valid_from", "valid_until", "reference", "validity"]
    readonly_fields = ["validity"]

    @admin.display(description=_("validity"))
    def validity(self, obj):
        return certification_validity(obj) if obj.pk else ""


def certification_validity(held: HospitalCertification):
    today = timezone.localdate()
    if held.valid_from > today:
        return _("not yet valid")
    if held.valid_until is None:
        return _("valid")
    if held.valid_until < today:
        return format_html('<strong class="errornote-inline">{}</strong>', _("expired — not shown as held"))
    if held.valid_until <= today + timedelta(days=CERTIFICATION_WARNING_DAYS):
        return format_html(
            "<strong>{}</strong>",
            ngettext("expires in %(days)s day", "expires in %(days)s days", (held.valid_until - today).days)
            % {"days": (held.valid_until - today).days},
        )
    return _("valid")


@admin.register(Hospital)
class HospitalAdmin(RefreshesPublicPages, ImportExportMixin, TranslationAdmin):
    resource_classes = [HospitalResource]
    page_cache_domains = (HOSPITALS,)
    list_display = ["name", "city", "state", "current_status", "verified"]
    list_filter = ["state", "kind", CurrentStatusFilter, CheckDueFilter, "is_sample"]
    search_fields = ["name", "city", "slug", "postcode"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["treatments"]
    inlines = [AdmissionStatusInline, HospitalCertificationInline]
    actions = ["record_new_status"]
    list_per_page = 50

    class Media:
        css = {"all": ["hospitals/admin.css"]}

    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "is_sample"]}),
        (
            _("Address"),
            {"fields": ["street_address", "postcode", "city", "state", ("latitude", "longitude")]},
        ),
        (
            _("International office"),
            {
                "description": _("Shown on the public profile so patients can reach the hospital."),
                "fields": ["international_office_email", "phone", "website", "international_office_languages"],
            },
        ),
        (_("Profile"), {"fields": ["bed_count", "description", "departments", "treatments"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_current_status()

    def has_delete_permission(self, request, obj=None):
        # The status log must survive; a hospital that has one is never deleted (PROTECT enforces it).
        if obj is not None and obj.admission_statuses.exists():
            return False
        return super().has_delete_permission(request, obj)

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("current status"), ordering="current_effective_status")
    def current_status(self, hospital):
        badge = badge_context(hospital.current_status)
        return format_html(
            '<span class="badge-status badge-status-{}"><span aria-hidden="true">{}</span> {}</span>',
            badge["style"],
            badge["symbol"],
            hospital.current_status.label,
        )

    @admin.display(description=_("verified"), ordering="current_status_verified_at")
    def verified(self, hospital):
        current = hospital.current_status
        if not current.is_recorded:
            return _("never")
        text = date_format(timezone.localtime(current.verified_at), "SHORT_DATE_FORMAT")
        if current.is_stale:
            return format_html("<strong>{}</strong>", _("check due — %(date)s") % {"date": text})
        return text

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and not request.GET:
            due = Hospital.objects.due_for_check().count()
            if due:
                url = reverse("admin:hospitals_hospital_changelist") + "?check_due=due"
                self.message_user(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        ngettext(
                            "%(count)d hospital is due for a status check.",
                            "%(count)d hospitals are due for a status check.",
                            due,
                        )
                        % {"count": due},
                        url,
                        _("Show them"),
                    ),
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            today = timezone.localdate()
            for held in HospitalCertification.objects.filter(hospital_id=object_id).select_related("certification"):
                if held.valid_until and held.valid_until < today:
                    self.message_user(
                        request,
                        _("The certification “%(name)s” expired on %(date)s and is not shown as held.")
                        % {"name": held.certification, "date": held.valid_until},
                        messages.WARNING,
                    )
                elif held.valid_until and held.valid_until <= today + timedelta(days=CERTIFICATION_WARNING_DAYS):
                    self.message_user(
                        request,
                        _("The certification “%(name)s” expires on %(date)s.")
                        % {"name": held.certification, "date": held.valid_until},
                        messages.WARNING,
                    )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Record a new status for the selected hospitals"), permissions=["record_status"])
    def record_new_status(self, request, queryset):
        hospitals = list(queryset.order_by("name"))
        if "apply" in request.POST:
            form = AdmissionStatusForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    events = admission_status_record(
                        hospitals=hospitals,
                        status=data["status"],
                        effective_from=data["effective_from"],
                        notes=form.notes(),
                        reason=data["reason"],
                        valid_until=data["valid_until"],
                        source=data["source"],
                        source_reference=data["source_reference"],
                        verified_at=data["verified_at"],
                        recorded_by=request.user,
                    )
                except ValidationError as error:
                    for field, field_errors in error.message_dict.items():
                        for message in field_errors:
                            form.add_error(field if field in form.fields else None, message)
                else:
                    self.message_user(
                        request,
                        ngettext(
                            "Recorded the new status for %(count)d hospital.",
                            "Recorded the new status for %(count)d hospitals.",
                            len(events),
                        )
                        % {"count": len(events)},
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(request.get_full_path())
        else:
            form = AdmissionStatusForm(initial={"effective_from": timezone.localdate()})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Record a new admission status"),
            "opts": self.model._meta,
            "hospitals": hospitals,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/hospitals/record_status.html", context)

    def has_record_status_permission(self, request):
        return request.user.has_perm("hospitals.add_admissionstatus")


@admin.register(AdmissionStatus)
class AdmissionStatusAdmin(ImportExportMixin, TranslationAdmin):
    """The log itself: listed, exported, imported and added to, never edited or deleted."""

    resource_classes = [AdmissionStatusResource]
    list_display = ["hospital", "status", "effective_from", "verified_at", "source", "recorded_by", "recorded_at"]
    list_filter = ["status", "source", "effective_from"]
    list_select_related = ["hospital", "recorded_by"]
    search_fields = ["hospital__name", "hospital__city", *localized_names("note"), "source_reference"]
    autocomplete_fields = ["hospital"]
    date_hierarchy = "effective_from"
    fields = [
        "hospital",
        "status",
        "effective_from",
        *localized_names("note"),
        "reason",
        "valid_until",
        "source",
        "source_reference",
        "verified_at",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*self.fields, "recorded_by", "recorded_at"]
        return []

    def get_fields(self, request, obj=None):
        return [*self.fields, "recorded_by", "recorded_at"] if obj is not None else self.fields

    def get_changeform_initial_data(self, request):
        return {
            "effective_from": timezone.localdate(),
            "verified_at": timezone.now(),
            **super().get_changeform_initial_data(request),
        }

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_import_permission(self, request):
        return self.has_add_permission(request)

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    def save_model(self, request, obj, form, change):
        # Through the service, like every other way of recording a status.
        (event,) = admission_status_record(
            hospitals=[obj.hospital],
            status=obj.status,
            effective_from=obj.effective_from,
            notes={name.removeprefix("note_"): getattr(obj, name) or "" for name in localized_names("note")},
            reason=obj.reason,
            valid_until=obj.valid_until,
            source=obj.source,
            source_reference=obj.source_reference,
            verified_at=obj.verified_at,
            recorded_by=request.user,
        )
        obj.pk, obj.recorded_by, obj.recorded_at = event.pk, event.recorded_by, event.recorded_at
        obj._state.adding = False


@admin.register(Certification)
class CertificationAdmin(RefreshesPublicPages, TranslationAdmin):
    page_cache_domains = (HOSPITALS,)
    list_display = ["name_en", "name_de", "name_ru", "url", "holders_count"]
    search_fields = localized_names("name")
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("holders", queryset=HospitalCertification.objects.valid(), to_attr="valid_holders")
            )
        )

    @admin.display(description=_("held by (valid today)"))
    def holders_count(self, certification):
        return len(certification.valid_holders)


class ExpiryFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [
            (
                "expiring",
                ngettext("Expires within %(days)s day", "Expires within %(days)s days", CERTIFICATION_WARNING_DAYS)
                % {"days": CERTIFICATION_WARNING_DAYS},
            ),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "expiring":
            return queryset.expiring(within_days=CERTIFICATION_WARNING_DAYS)
        if self.value() == "expired":
            return queryset.filter(valid_until__lt=timezone.localdate())
        return queryset


@admin.register(HospitalCertification)
class HospitalCertificationAdmin(RefreshesPublicPages, admin.ModelAdmin):
    page_cache_domains = (HOSPITALS,)
    list_display = ["hospital", "certification", "valid_from", "valid_until", "validity"]

    class Media:
        css = {"all": ["hospitals/admin.css"]}

    list_filter = [ExpiryFilter, "certification"]
    list_select_related = ["hospital", "certification"]
    search_fields = ["hospital__name", *(f"certification__{name}" for name in localized_names("name"))]
    autocomplete_fields = ["hospital", "certification"]
    ordering = ["valid_until"]

    @admin.display(description=_("validity"))
    def validity(self, held):
        return certification_validity(held)

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and not request.GET:
            expiring = HospitalCertification.objects.expiring(within_days=CERTIFICATION_WARNING_DAYS).count()
            if expiring:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d certification expires within %(days)d days.",
                        "%(count)d certifications expire within %(days)d days.",
                        expiring,
                    )
                    % {"count": expiring, "days": CERTIFICATION_WARNING_DAYS},
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)


@admin.register(SiteNotice)
class SiteNoticeAdmin(RefreshesPublicPages, TranslationAdmin):
    page_cache_domains = (NOTICES,)
    list_display = ["title_en", "level", "starts_at", "ends_at", "is_active", "created_by"]
    list_select_related = ["created_by"]
    fieldsets = [
        (
            _("Text"),
            {
                "description": _(
                    "English is required. A language left empty shows the English title and message "
                    "together, never a title in one language and the message in another."
                ),
                "fields": ["title", "message"],
            },
        ),
        (None, {"fields": ["level", "starts_at", "ends_at"]}),
    ]

    @admin.display(description=_("shown now"), boolean=True)
    def is_active(self, notice):
        now = timezone.now()
        return notice.starts_at <= now and (notice.ends_at is None or notice.ends_at > now)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

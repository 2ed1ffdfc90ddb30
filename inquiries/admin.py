from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from inquiries.models import Attachment, Inquiry

ANSWER_FIELDS = (
    "submitter_role",
    "patient_name",
    "birth_year",
    "country",
    "email",
    "phone",
    "contact_language",
    "consent_phone_contact",
    "diagnosis",
    "is_cancer",
    "tumour_type",
    "metastases",
    "previous_treatments",
    "requested_treatment",
    "preferred_hospital",
    "doctor_two_week_start",
    "symptoms_worsening",
    "treatment_interrupted",
    "travel_period",
    "message",
)


class AttachmentInline(admin.TabularInline):
    """Details only: the files have no public address (a permission-checked download comes with issue 6)."""

    model = Attachment
    fields = ("original_name", "content_type", "size", "sha256", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("reference", "priority", "status", "country", "created_at", "needs_follow_up")
    list_filter = ("priority", "status", "needs_follow_up")
    list_select_related = ("requested_treatment", "preferred_hospital")
    search_fields = ("=reference",)
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]
    fieldsets = (
        (_("Triage"), {"fields": ("reference", "status", "priority", "reasons", "checklist", "needs_follow_up")}),
        (
            _("Answers"),
            {"description": _("As the sender wrote them; they cannot be changed."), "fields": ANSWER_FIELDS},
        ),
        (
            _("Record"),
            {
                "fields": (
                    "consent_health_data",
                    "language",
                    "created_at",
                    "confirmation_sent_at",
                    "oncall_notified_at",
                )
            },
        ),
    )
    readonly_fields = (
        "reference",
        "priority",
        "reasons",
        "checklist",
        *ANSWER_FIELDS,
        "consent_health_data",
        "language",
        "created_at",
        "confirmation_sent_at",
        "oncall_notified_at",
    )

    def has_add_permission(self, request):
        return False  # inquiries come from the public form only

    def has_delete_permission(self, request, obj=None):
        return False  # retention and deletion are handled by issue 6's rules, never by hand

    @admin.display(description=_("triage reasons"))
    def reasons(self, obj):
        return format_html_join("\n", "<p>{}</p>", ((reason,) for reason in obj.triage_reasons))

    @admin.display(description=_("document checklist"))
    def checklist(self, obj):
        return format_html_join(
            "\n",
            "<p>{} {}</p>",
            (("✓" if item.get("sent") else "✗", item.get("en", item.get("code"))) for item in obj.document_checklist),
        )

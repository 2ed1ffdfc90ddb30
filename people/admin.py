"""The team's profiles in the admin: the shared workflow admin (editorial/admin.py).

Editors write and submit a profile; medical reviewers publish it (a doctor's credentials are
medical claims). Every version is kept, with what changed, and can be restored as a draft.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from editorial.admin import PublicationFilter, WorkflowAdminMixin, local_datetime_field
from editorial.revisions import revision_changes
from images.renditions import picture
from pagecache.admin import RefreshesPublicPages
from pagecache.versions import PEOPLE
from people import services
from people.models import Person

LANGUAGES = ("en", "de", "ru")
# The per-language fields as the admin's form has them (django-modeltranslation).
TRANSLATED_FIELDS = tuple(
    f"{name}_{language}" for name in ("job_title", "specialties", "biography") for language in LANGUAGES
)
CONTENT_FIELDS = (
    "honorific_prefix",
    "name",
    "slug",
    "role",
    "portrait",
    *TRANSLATED_FIELDS,
    "registration",
    "languages",
    "user",
    "is_listed",
    "is_sample",
    "expires_at",
)
WORKFLOW_FIELDS = ("status_label", "publish_at", "reviewed_by", "last_reviewed_on", "updated_at", "workflow_log")
WORKFLOW_BUTTONS = {
    "submit_for_review": _("Save and submit for review"),
    "publish": _("Save and publish now"),
    "return_to_draft": _("Return to draft"),
    "archive": _("Archive"),
}
TEXT_FIELDS = dict.fromkeys(TRANSLATED_FIELDS, "words")
VALUE_FIELDS = (
    "honorific_prefix",
    "name",
    "slug",
    "role",
    "registration",
    "languages",
    "portrait",
    "user",
    "is_listed",
    "status",
    "publish_at",
    "expires_at",
    "reviewed_by",
)


@admin.register(Person)
class PersonAdmin(WorkflowAdminMixin, RefreshesPublicPages, TranslationAdmin):
    # Bylines on article pages are cached under the people version too (pagecache/versions.py).
    page_cache_domains = (PEOPLE,)
    list_display = [
        "portrait_thumbnail",
        "display_name",
        "role",
        "job_title",
        "status_label",
        "user",
        "is_listed",
        "is_sample",
        "preview_link",
    ]
    list_display_links = ["portrait_thumbnail", "display_name"]
    list_select_related = ["portrait", "user"]
    list_filter = ["status", PublicationFilter, "role", "is_listed", "is_sample"]
    search_fields = ["name", "job_title_en", "job_title_de", "specialties_en"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["submit_for_review", "publish", "archive", "return_to_draft"]
    change_form_template = "admin/people/person/change_form.html"
    workflow = services.workflow
    workflow_buttons = WORKFLOW_BUTTONS
    content_fields = CONTENT_FIELDS
    workflow_fields = WORKFLOW_FIELDS
    preview_url_name = "people:preview"
    reviewed_edit_message = _("Your change was saved as a new reviewed revision.")
    fieldsets = [
        (None, {"fields": ["honorific_prefix", "name", "slug", "role", "portrait"]}),
        (
            _("Credentials"),
            {
                "fields": ["job_title", "specialties", "registration", "languages"],
                "description": _("Shown with the person's name wherever they are named as an author or reviewer."),
            },
        ),
        (_("Biography"), {"fields": ["biography"]}),
        (
            _("Account and visibility"),
            {
                "fields": ["user", "is_listed", "is_sample"],
                "description": _(
                    "Link the staff account the person uses: the articles that account writes or reviews then "
                    "name this person, with a link to their page."
                ),
            },
        ),
        (
            _("Workflow and review"),
            {
                "fields": [*WORKFLOW_FIELDS[:4], "expires_at", *WORKFLOW_FIELDS[4:]],
                "description": _(
                    "Editors submit profiles for review; medical reviewers publish and archive them, because a "
                    "doctor's credentials are medical claims. Every step is logged."
                ),
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = get_user_model().objects
            kwargs["queryset"] = users.filter(Q(is_staff=True) | Q(person__isnull=False)).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "expires_at":
            return local_datetime_field(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def revision_changes(self, previous, current):
        return revision_changes(previous, current, model=Person, text_fields=TEXT_FIELDS, value_fields=VALUE_FIELDS)

    def history_select_related(self):
        return ("history_user", "reviewed_by", "portrait", "user")

    @admin.display(description=_("portrait"))
    def portrait_thumbnail(self, obj):
        return picture(obj.portrait, ratio="square", sizes="48px") if obj.portrait_id else ""

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj):
        return obj.display_name

    # --- changelist actions -------------------------------------------------------------------

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "submit_for_review",
            lambda n: ngettext("%d profile submitted for review.", "%d profiles submitted for review.", n) % n,
        )

    @admin.action(description=_("Publish now (reviewers)"), permissions=["publish"])
    def publish(self, request, queryset):
        self.run_for_each(
            request, queryset, "publish", lambda n: ngettext("%d profile published.", "%d profiles published.", n) % n
        )

    @admin.action(description=_("Archive (reviewers)"), permissions=["publish"])
    def archive(self, request, queryset):
        self.run_for_each(
            request, queryset, "archive", lambda n: ngettext("%d profile archived.", "%d profiles archived.", n) % n
        )

    @admin.action(description=_("Return to draft for rework"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "return_to_draft",
            lambda n: ngettext("%d profile returned to draft.", "%d profiles returned to draft.", n) % n,
        )

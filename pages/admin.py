"""Site pages in the admin: the shared workflow admin (editorial/admin.py) with a page's reviewer role.

Editors write and submit; the reviewer the page names (legal reviewers for imprint, privacy and
disclaimer) publishes. Renaming a page's address and changing its menu place go through
pages/services.py, which keep a redirect and refresh the cached pages.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from editorial.admin import PublicationFilter, WorkflowAdminMixin, local_datetime_field
from editorial.revisions import revision_changes
from images.widgets import MarkdownWithImagesWidget
from languages.admin import LanguageVersionAdminMixin, TranslationStateFilter
from pagecache.admin import RefreshesPublicPages
from pagecache.versions import PAGES
from pages import services
from pages.models import Page, PageRedirect

CONTENT_FIELDS = (
    "title",
    "slug",
    "language",
    "translation_of",
    "kind",
    "review_role",
    "summary",
    "body",
    "blocks",
    "expires_at",
    "is_sample",
)
WORKFLOW_FIELDS = (
    "status_label",
    "publish_at",
    "reviewed_by",
    "last_reviewed_on",
    "created_by",
    "created_at",
    "updated_at",
    "workflow_log",
)
WORKFLOW_BUTTONS = {
    "submit_for_review": _("Save and submit for review"),
    "publish": _("Save and publish now"),
    "return_to_draft": _("Return to draft"),
    "archive": _("Archive"),
}
# Who reviews a page: only someone who may publish it changes that (pages/services.py `required_roles`).
REVIEW_FIELDS = ("kind", "review_role")
# What decides whether and where the public sees a page beyond its published copy: on a page on the
# site, changed only by someone who may publish it (the change is public at once).
VISIBILITY_FIELDS = ("expires_at", "language", "translation_of", "is_sample")
MENU_FIELDS = ("menu_parent", "menu_order", "in_header", "in_footer")
TEXT_FIELDS = {"title": "words", "summary": "words", "body": "lines", "blocks": "lines"}
VALUE_FIELDS = (
    "slug",
    "language",
    "kind",
    "review_role",
    "status",
    "publish_at",
    "expires_at",
    "reviewed_by",
    "is_sample",
)


@admin.register(Page)
class PageAdmin(WorkflowAdminMixin, LanguageVersionAdminMixin, RefreshesPublicPages, admin.ModelAdmin):
    list_display = [
        "title",
        "slug",
        "kind",
        "status_label",
        "language",
        "translation_state",
        "review_role",
        "menu_order",
        "in_header",
        "in_footer",
        "updated_at",
        "preview_link",
    ]
    list_filter = ["status", PublicationFilter, "kind", "review_role", "language", TranslationStateFilter, "is_sample"]
    list_select_related = ["translation_of"]
    search_fields = ["title", "slug", "summary"]
    ordering = ["menu_order", "slug", "language"]
    actions = ["submit_for_review", "publish", "schedule", "archive", "return_to_draft"]
    change_form_template = "admin/pages/page/change_form.html"
    page_cache_domains = (PAGES,)
    workflow = services.workflow
    workflow_buttons = WORKFLOW_BUTTONS
    content_fields = CONTENT_FIELDS
    workflow_fields = WORKFLOW_FIELDS
    preview_url_name = "pages:preview"
    reviewed_edit_message = _("Your change was saved as a new reviewed revision.")
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "language", "translation_of", "kind", "review_role", "summary", "body"],
                "description": _(
                    "One page per language; a translation names the version it was translated from and "
                    "keeps its address. The body uses Markdown."
                ),
            },
        ),
        (
            _("Structured blocks"),
            {
                "fields": ["blocks"],
                "description": _(
                    "FAQ questions and answers, the steps of how it works, a call to the inquiry form, "
                    "the operator's contact details, the home page's hero and featured articles."
                ),
            },
        ),
        (
            _("Menu"),
            {
                "fields": list(MENU_FIELDS),
                "description": _("Where the page shows in the site's header and footer, and in which order."),
            },
        ),
        (
            _("Workflow and review"),
            {
                "fields": [*WORKFLOW_FIELDS[:4], "expires_at", *WORKFLOW_FIELDS[4:], "is_sample"],
                "description": _(
                    "Editors submit drafts for review. The reviewer the page names publishes, schedules and "
                    "archives it: legal reviewers for the imprint, privacy and disclaimer. Every step is logged."
                ),
            },
        ),
    ]

    def get_prepopulated_fields(self, request, obj=None):
        return {"slug": ["title"]} if self.text_is_editable(request, obj) else {}

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and not self.workflow.can_publish(request.user, obj):
            locked = REVIEW_FIELDS + (VISIBILITY_FIELDS if obj.is_on_site else ())
            readonly += [field for field in locked if field not in readonly]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("translation_of", "menu_parent"):
            # Sources only: translations point at a source, the menu is built from sources.
            kwargs["queryset"] = Page.objects.filter(translation_of__isnull=True).order_by("title")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "expires_at":
            return local_datetime_field(db_field, **kwargs)
        if db_field.name == "body":
            # The library's insert control, as for article bodies: it writes `![](image:12)`.
            kwargs["widget"] = MarkdownWithImagesWidget
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name in ("body", "blocks") and field is not None:
            field.widget.attrs.update({"rows": 20, "cols": 100, "class": "vLargeTextField"})
        return field

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data and obj.translation_of_id is None:
            services.page_address_changed(page=obj, old_slug=form.initial.get("slug", ""))
        if change and set(MENU_FIELDS) & set(form.changed_data):
            services.page_menu_changed(page=obj)

    def revision_changes(self, previous, current):
        return revision_changes(previous, current, model=Page, text_fields=TEXT_FIELDS, value_fields=VALUE_FIELDS)

    def history_select_related(self):
        return ("history_user", "reviewed_by")

    # --- changelist actions -------------------------------------------------------------------

    @admin.action(description=_("Submit for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "submit_for_review",
            lambda n: ngettext("%d page submitted for review.", "%d pages submitted for review.", n) % n,
        )

    @admin.action(description=_("Publish now (reviewers)"), permissions=["publish"])
    def publish(self, request, queryset):
        self.run_for_each(
            request, queryset, "publish", lambda n: ngettext("%d page published.", "%d pages published.", n) % n
        )

    @admin.action(description=_("Schedule publication… (reviewers)"), permissions=["publish"])
    def schedule(self, request, queryset):
        return self.schedule_selected(
            request, queryset, lambda n: ngettext("%d page scheduled.", "%d pages scheduled.", n) % n
        )

    @admin.action(description=_("Archive (reviewers)"), permissions=["publish"])
    def archive(self, request, queryset):
        self.run_for_each(
            request, queryset, "archive", lambda n: ngettext("%d page archived.", "%d pages archived.", n) % n
        )

    @admin.action(description=_("Return to draft for rework"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "return_to_draft",
            lambda n: ngettext("%d page returned to draft.", "%d pages returned to draft.", n) % n,
        )


@admin.register(PageRedirect)
class PageRedirectAdmin(RefreshesPublicPages, admin.ModelAdmin):
    list_display = ["old_slug", "new_slug", "created_at"]
    search_fields = ["old_slug", "new_slug"]
    page_cache_domains = (PAGES,)

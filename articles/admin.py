"""The editors' and medical reviewers' workplace.

Every workflow step (buttons on the article and changelist actions) goes through the shared
workflow admin (editorial/admin.py) to `articles.services.workflow`, which checks the role; the
admin adds no rules of its own beyond hiding what a role may not use.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.models import Article, ArticleStatus, Reference
from articles.revisions import revision_changes
from editorial.admin import PublicationFilter, WorkflowAdminMixin
from languages.admin import LanguageVersionAdminMixin, TranslationStateFilter
from pagecache.admin import RefreshesPublicPages
from pagecache.versions import ARTICLES
from staff import roles

CONTENT_FIELDS = (
    "title",
    "slug",
    "language",
    "translation_of",
    "standfirst",
    "body",
    "lead_image",
    "lead_image_alt",
    "conditions",
    "treatments",
    "authors",
    "expires_at",
    "is_sample",
)
WORKFLOW_FIELDS = (
    "status_label",
    "publish_at",
    "medical_reviewer",
    "last_reviewed_on",
    "review_interval_months",
    "review_due_on",
    "created_by",
    "created_at",
    "updated_at",
    "workflow_log",
)
# The buttons under an article: POST value -> (service, label); shown only when the step applies.
WORKFLOW_BUTTONS = {
    "submit_for_review": _("Save and submit for review"),
    "publish": _("Save and publish now"),
    "return_to_draft": _("Return to draft"),
    "archive": _("Archive"),
}


class ReviewDueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("Due within 30 days or overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.review_due()
        return queryset


class ReferenceInline(admin.StackedInline):
    # Stacked, not tabular: every field keeps a visible label.
    model = Reference
    extra = 1
    fields = ["position", "citation", "url"]
    verbose_name_plural = _("references (shown numbered under the article)")

    def _text_editable(self, request, obj):
        return obj is None or services.article_text_is_editable(article=obj, user=request.user)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._text_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._text_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._text_editable(request, obj)


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, LanguageVersionAdminMixin, RefreshesPublicPages, admin.ModelAdmin):
    list_display = [
        "title",
        "status_label",
        "language",
        "translation_state",
        "medical_reviewer",
        "last_reviewed_on",
        "review_label",
        "updated_at",
        "preview_link",
    ]
    list_filter = [
        "status",
        PublicationFilter,
        "language",
        TranslationStateFilter,
        ReviewDueFilter,
        "conditions",
        "treatments",
        "is_sample",
    ]
    list_select_related = ["medical_reviewer"]
    search_fields = ["title", "slug", "standfirst"]
    ordering = ["-updated_at"]
    date_hierarchy = "updated_at"
    inlines = [ReferenceInline]
    # Plain multiple selects: the admin's two-box filter widget fails the accessibility check.
    actions = ["submit_for_review", "publish", "schedule", "record_review", "archive", "return_to_draft"]
    change_form_template = "admin/articles/article/change_form.html"
    page_cache_domains = (ARTICLES,)
    workflow = services.workflow
    workflow_buttons = WORKFLOW_BUTTONS
    content_fields = CONTENT_FIELDS
    workflow_fields = WORKFLOW_FIELDS
    preview_url_name = "articles:preview"
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "slug", "language", "translation_of", "standfirst", "body"],
                "description": _(
                    "Write in plain language for patients and relatives. The body uses Markdown; "
                    "## starts a section, which also appears in the article's table of contents. "
                    "A translation names the article it was translated from; the pages then link "
                    "each other (“Also available in”)."
                ),
            },
        ),
        (_("Lead image"), {"fields": ["lead_image", "lead_image_alt"], "classes": ["collapse"]}),
        (_("Topics and people"), {"fields": ["conditions", "treatments", "authors", "is_sample"]}),
        (
            _("Workflow and medical review"),
            {
                "fields": [*WORKFLOW_FIELDS[:5], "expires_at", *WORKFLOW_FIELDS[5:]],
                "description": _(
                    "Editors submit drafts for review. Only medical reviewers publish, schedule, archive "
                    "and record reviews. Every step is logged below."
                ),
            },
        ),
    ]

    class Media:
        css = {"all": ["articles/admin.css"]}

    # --- permissions and locked fields ------------------------------------------------------

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField"})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translation_of":
            # Translations point at a source, never at another translation.
            kwargs["queryset"] = Article.objects.filter(translation_of__isnull=True).order_by("title")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "authors":
            # The people who write: editors, reviewers and anyone already named as an author.
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(
                    Q(groups__name__in=[roles.EDITORS, roles.MEDICAL_REVIEWERS]) | Q(authored_articles__isnull=False)
                )
                .distinct()
                .order_by("last_name", "first_name", "username")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if services.can_publish(request.user) and self.text_is_editable(request, obj):
            readonly.remove("review_interval_months")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if self.text_is_editable(request, obj):
            return {"slug": ["title"]}
        return {}

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description=_("review due"), ordering="review_due_on")
    def review_label(self, obj):
        if obj.status != ArticleStatus.PUBLISHED:
            return "—"
        if obj.review_is_due():
            return format_html('<span class="review-overdue">{}</span>', _("Overdue"))
        if obj.review_is_due(on=timezone.localdate() + datetime.timedelta(days=30)):
            return format_html('<span class="review-due">{} {}</span>', _("Due"), obj.review_due_on)
        return obj.review_due_on

    # --- saving -------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if "review_interval_months" in form.changed_data and obj.last_reviewed_on:
            obj.review_due_on = services.review_due_date(obj.last_reviewed_on, obj.review_interval_months)
        super().save_model(request, obj, form, change)

    def related_saved(self, request, obj, change):
        if not change and not obj.authors.exists():
            # Whoever writes the first draft is its author unless they name others.
            obj.authors.add(request.user)

    # --- changelist actions -------------------------------------------------------------------

    @admin.action(description=_("Submit for medical review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "submit_for_review",
            lambda n: ngettext("%d article submitted for review.", "%d articles submitted for review.", n) % n,
        )

    @admin.action(description=_("Publish now (medical reviewers)"), permissions=["publish"])
    def publish(self, request, queryset):
        self.run_for_each(
            request, queryset, "publish", lambda n: ngettext("%d article published.", "%d articles published.", n) % n
        )

    @admin.action(description=_("Schedule publication… (medical reviewers)"), permissions=["publish"])
    def schedule(self, request, queryset):
        return self.schedule_selected(
            request, queryset, lambda n: ngettext("%d article scheduled.", "%d articles scheduled.", n) % n
        )

    @admin.action(description=_("Record a medical review today (medical reviewers)"), permissions=["publish"])
    def record_review(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "record_review",
            lambda n: ngettext("Review recorded for %d article.", "Review recorded for %d articles.", n) % n,
        )

    @admin.action(description=_("Archive (medical reviewers)"), permissions=["publish"])
    def archive(self, request, queryset):
        self.run_for_each(
            request, queryset, "archive", lambda n: ngettext("%d article archived.", "%d articles archived.", n) % n
        )

    @admin.action(description=_("Return to draft for rework"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self.run_for_each(
            request,
            queryset,
            "return_to_draft",
            lambda n: ngettext("%d article returned to draft.", "%d articles returned to draft.", n) % n,
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and "review" not in request.GET:
            due = Article.objects.review_due().count()
            if due:
                self.message_user(
                    request,
                    ngettext(
                        "%d published article needs its medical review within 30 days or is overdue.",
                        "%d published articles need their medical review within 30 days or are overdue.",
                        due,
                    )
                    % due,
                    messages.WARNING,
                )
        return super().changelist_view(request, extra_context)

    # --- revision history ---------------------------------------------------------------------

    def revision_changes(self, previous, current):
        return revision_changes(previous, current)

    def history_select_related(self):
        return ("history_user", "medical_reviewer")

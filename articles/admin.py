"""The editors' and medical reviewers' workplace.

Every workflow step (buttons on the article and changelist actions) calls a function in
articles/services.py, which checks the role; the admin adds no rules of its own beyond hiding
what a role may not use. Text fields lock when the workflow says the text is not open to the user.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import services
from articles.models import Article, ArticleStatus, ArticleTransition, Reference
from articles.revisions import revision_changes
from images.widgets import MarkdownWithImagesWidget
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


class PublicationFilter(admin.SimpleListFilter):
    """Published articles split by what the public sees now: live, scheduled or expired."""

    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("live", _("Public now")), ("scheduled", _("Scheduled")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        published = queryset.filter(status=ArticleStatus.PUBLISHED)
        if self.value() == "live":
            return queryset.published(now=now)
        if self.value() == "scheduled":
            return published.filter(publish_at__gt=now)
        if self.value() == "expired":
            return published.filter(expires_at__lte=now)
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


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Local time in Germany. The article stays hidden until then."),
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."), code="past")
        return value


@admin.register(Article)
class ArticleAdmin(LanguageVersionAdminMixin, RefreshesPublicPages, admin.ModelAdmin):
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
        (_("Lead image"), {"fields": ["lead_image"], "classes": ["collapse"]}),
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
            kwargs["widget"] = MarkdownWithImagesWidget(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField"})
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

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(WORKFLOW_FIELDS)
        if services.can_publish(request.user):
            readonly.remove("review_interval_months")
        if obj is not None and not services.article_text_is_editable(article=obj, user=request.user):
            readonly += [field for field in CONTENT_FIELDS if field not in readonly]
            if "review_interval_months" not in readonly:
                readonly.append("review_interval_months")
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if obj is None or services.article_text_is_editable(article=obj, user=request.user):
            return {"slug": ["title"]}
        return {}

    def changes_public_pages(self, obj):
        # Drafts, reviews and archived articles are not public; a workflow step refreshes on its own.
        return obj.status == ArticleStatus.PUBLISHED

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return _("Scheduled for %(when)s") % {
                "when": date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT")
            }
        if obj.status == ArticleStatus.PUBLISHED and not obj.is_public:
            return _("Expired")
        return obj.get_status_display()

    @admin.display(description=_("review due"), ordering="review_due_on")
    def review_label(self, obj):
        if obj.status != ArticleStatus.PUBLISHED:
            return "—"
        if obj.review_is_due():
            return format_html('<span class="review-overdue">{}</span>', _("Overdue"))
        if obj.review_is_due(on=timezone.localdate() + datetime.timedelta(days=30)):
            return format_html('<span class="review-due">{} {}</span>', _("Due"), obj.review_due_on)
        return obj.review_due_on

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("articles:preview", args=[obj.pk]), _("Preview"))

    @admin.display(description=_("workflow log"))
    def workflow_log(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        steps = obj.transitions.select_related("actor")[:20]
        if not steps:
            return _("No workflow steps yet.")
        return format_html(
            '<ol class="workflow-log">{}</ol>',
            format_html(
                "".join(["<li>{}</li>"] * len(steps)),
                *[
                    _("%(when)s — %(who)s: %(action)s (%(from)s → %(to)s)")
                    % {
                        "when": date_format(timezone.localtime(step.at), "SHORT_DATETIME_FORMAT"),
                        "who": step.actor.get_full_name() or step.actor.get_username(),
                        "action": step.action.replace("_", " "),
                        "from": step.get_from_status_display(),
                        "to": step.get_to_status_display(),
                    }
                    for step in steps
                ],
            ),
        )

    # --- saving -------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        if not change:
            obj.created_by = request.user
        edited_published_text = change and obj.status == ArticleStatus.PUBLISHED and form.has_changed()
        obj._change_reason = "reviewed edit" if edited_published_text else ("edit" if change else "create")
        if "review_interval_months" in form.changed_data and obj.last_reviewed_on:
            obj.review_due_on = services.review_due_date(obj.last_reviewed_on, obj.review_interval_months)
        obj.store_rendered_body()
        super().save_model(request, obj, form, change)
        if edited_published_text:
            # Only a reviewer can reach here (the text is locked for everyone else): the edit is the review.
            services.article_record_review(article=obj, user=request.user)
            self.message_user(request, _("Your change was saved as a new medically reviewed revision."))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and not form.instance.authors.exists():
            # Whoever writes the first draft is its author unless they name others.
            form.instance.authors.add(request.user)
        step = request.POST.get("_workflow")
        if step in WORKFLOW_BUTTONS:
            # After the text is saved: run the step now, so that its outcome shows on the next page.
            self._run_step(request, form.instance, step)

    def _run_step(self, request, article, step):
        function = {
            "submit_for_review": services.article_submit_for_review,
            "publish": services.article_publish,
            "return_to_draft": services.article_return_to_draft,
            "archive": services.article_archive,
        }[step]
        try:
            with transaction.atomic():
                function(article=article, user=request.user)
        except services.TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return False
        article.refresh_from_db()
        self.message_user(
            request,
            _("“%(title)s” is now: %(status)s.") % {"title": article.title, "status": self.status_label(article)},
            messages.SUCCESS,
        )
        return True

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = self._available_buttons(request, obj)
        context["preview_url"] = reverse("articles:preview", args=[obj.pk]) if obj is not None else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _available_buttons(self, request, obj):
        user, status = request.user, obj.status if obj is not None else ArticleStatus.DRAFT
        buttons = []
        if status == ArticleStatus.DRAFT and services.can_write(user):
            buttons.append("submit_for_review")
        if status == ArticleStatus.IN_REVIEW and services.can_publish(user):
            buttons.append("publish")
        if status == ArticleStatus.IN_REVIEW and services.can_write(user):
            buttons.append("return_to_draft")
        if status in (ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED) and services.can_publish(user):
            buttons.append("return_to_draft")
        if status in (ArticleStatus.PUBLISHED, ArticleStatus.IN_REVIEW) and services.can_publish(user):
            buttons.append("archive")
        return [(step, WORKFLOW_BUTTONS[step]) for step in buttons]

    # --- changelist actions -------------------------------------------------------------------

    def _run_for_each(self, request, queryset, function, done_message, **kwargs):
        done = 0
        for article in queryset:
            try:
                function(article=article, user=request.user, **kwargs)
                done += 1
            except services.TransitionNotAllowed as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Submit for medical review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            services.article_submit_for_review,
            lambda n: ngettext("%d article submitted for review.", "%d articles submitted for review.", n) % n,
        )

    @admin.action(description=_("Publish now (medical reviewers)"), permissions=["publish"])
    def publish(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            services.article_publish,
            lambda n: ngettext("%d article published.", "%d articles published.", n) % n,
        )

    @admin.action(description=_("Schedule publication… (medical reviewers)"), permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._run_for_each(
                request,
                queryset,
                services.article_schedule,
                lambda n: ngettext("%d article scheduled.", "%d articles scheduled.", n) % n,
                publish_at=form.cleaned_data["publish_at"],
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Schedule publication"),
            "opts": self.model._meta,
            "articles": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/articles/article/schedule.html", context)

    @admin.action(description=_("Record a medical review today (medical reviewers)"), permissions=["publish"])
    def record_review(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            services.article_record_review,
            lambda n: ngettext("Review recorded for %d article.", "Review recorded for %d articles.", n) % n,
        )

    @admin.action(description=_("Archive (medical reviewers)"), permissions=["publish"])
    def archive(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            services.article_archive,
            lambda n: ngettext("%d article archived.", "%d articles archived.", n) % n,
        )

    @admin.action(description=_("Return to draft for rework"), permissions=["change"])
    def return_to_draft(self, request, queryset):
        self._run_for_each(
            request,
            queryset,
            services.article_return_to_draft,
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

    def get_urls(self):
        return [
            path(
                "<int:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        """Every saved version, newest first, with what changed against the one before."""
        article = get_object_or_404(Article, pk=object_id)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        versions = list(
            article.history.select_related("history_user", "medical_reviewer").order_by(
                "-history_date", "-history_id"
            )[:50]
        )
        rows = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            rows.append({"version": version, "changes": revision_changes(previous, version)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of “%(title)s”") % {"title": article.title},
            "subtitle": None,
            "opts": self.model._meta,
            "object": article,
            "original": article,
            "rows": rows,
            "can_restore": services.can_write(request.user)
            and (article.status == ArticleStatus.DRAFT or services.can_publish(request.user)),
            "transitions": ArticleTransition.objects.filter(article=article).select_related("actor")[:50],
        }
        return TemplateResponse(request, "admin/articles/article/history.html", context)

    def restore_view(self, request, object_id, version_id):
        article = get_object_or_404(Article, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, article):
            raise PermissionDenied
        version = get_object_or_404(article.history.all(), history_id=version_id)
        try:
            services.article_restore_revision(article=article, historical_record=version, user=request.user)
        except services.TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:articles_article_history", args=[article.pk]))
        self.message_user(
            request,
            _("The version of %(when)s was restored as a draft. Submit it for review to publish it again.")
            % {"when": date_format(timezone.localtime(version.history_date), "SHORT_DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

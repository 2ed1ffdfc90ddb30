"""The admin side of the shared workflow: buttons, changelist actions, history with diff and restore.

A content type's ModelAdmin mixes in `WorkflowAdminMixin` and names its `workflow`
(editorial/workflow.py). Every step calls the workflow, which checks the role; the admin only hides
what a role may not use and locks text fields when the workflow says the text is not open to the
user. The wording of buttons, action labels and messages stays with each content type.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from editorial.models import EditorialStatus
from editorial.workflow import TransitionNotAllowed


class PublicationFilter(admin.SimpleListFilter):
    """Records on the site split by what the public sees now: live, scheduled or expired.

    Each answer is the content type's own queryset method, so the filter agrees with the public pages.
    """

    title = _("publication")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("live", _("Public now")), ("scheduled", _("Scheduled")), ("expired", _("Expired"))]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "live":
            return queryset.published(now=now)
        if self.value() == "scheduled":
            return queryset.scheduled(now=now)
        if self.value() == "expired":
            return queryset.expired(now=now)
        return queryset


def local_datetime_field(db_field, **kwargs) -> forms.DateTimeField:
    """A date-time model field as the browser's own date-time input (e.g. an expiry).

    The admin's calendar shortcuts are labelled in English only, which fails the accessibility
    check in German and Russian.
    """
    kwargs["widget"] = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    kwargs["form_class"] = forms.DateTimeField
    field = db_field.formfield(**kwargs)
    field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    return field


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Local time in Germany. It stays hidden from the public until then."),
    )

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("Choose a time in the future."), code="past")
        return value


class RevisionHistoryAdminMixin:
    """The admin's history page for a record with django-simple-history: every version and what changed.

    Put before `admin.ModelAdmin` and say how versions compare (`revision_changes`, usually with
    `editorial.revisions.revision_changes`). Used alone by records without a workflow (the image
    library); `WorkflowAdminMixin` adds restoring a version and the workflow log.
    """

    history_template = "admin/editorial/history.html"

    def revision_changes(self, previous, current) -> list[dict]:
        raise NotImplementedError

    def history_select_related(self) -> tuple[str, ...]:
        return ("history_user",)

    def history_context(self, request, obj) -> dict:
        return {}

    def history_view(self, request, object_id, extra_context=None):
        """Every saved version, newest first, with what changed against the one before."""
        obj = get_object_or_404(self.model, pk=object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = list(
            obj.history.select_related(*self.history_select_related()).order_by("-history_date", "-history_id")[:50]
        )
        rows = []
        for index, version in enumerate(versions):
            previous = versions[index + 1] if index + 1 < len(versions) else None
            rows.append({"version": version, "changes": self.revision_changes(previous, version)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("History of “%(title)s”") % {"title": str(obj)},
            "subtitle": None,
            "opts": self.model._meta,
            "object": obj,
            "original": obj,
            "rows": rows,
            **self.history_context(request, obj),
        }
        return TemplateResponse(request, self.history_template, context)


class WorkflowAdminMixin(RevisionHistoryAdminMixin):
    """Put before `admin.ModelAdmin`; set `workflow`, `workflow_buttons`, `content_fields`, `workflow_fields`."""

    workflow = None
    # POST value of the buttons under the change form -> label.
    workflow_buttons: dict = {}
    # Fields that lock when the text is not open to the user, and the always read-only workflow fields.
    content_fields: tuple[str, ...] = ()
    workflow_fields: tuple[str, ...] = ()
    preview_url_name = ""
    schedule_template = "admin/editorial/schedule.html"

    # --- permissions and locked fields ------------------------------------------------------

    def has_publish_permission(self, request):
        return self.workflow.can_publish(request.user)

    def text_is_editable(self, request, obj) -> bool:
        return obj is None or self.workflow.text_is_editable(obj, request.user)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.workflow_fields)
        if obj is not None and not self.text_is_editable(request, obj):
            readonly += [field for field in self.content_fields if field not in readonly]
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if self.text_is_editable(request, obj):
            return super().get_prepopulated_fields(request, obj)
        return {}

    def changes_public_pages(self, obj):
        # Records not on the site are not public; a workflow step refreshes on its own.
        return obj.is_on_site

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    # --- columns ------------------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return _("Scheduled for %(when)s") % {
                "when": date_format(timezone.localtime(obj.publish_at), "SHORT_DATETIME_FORMAT")
            }
        if obj.is_on_site and not obj.is_public:
            return _("Expired")
        return obj.get_status_display()

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse(self.preview_url_name, args=[obj.pk]), _("Preview"))

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
        edited_published_text = change and obj.status == EditorialStatus.PUBLISHED and form.has_changed()
        if edited_published_text and not self.workflow.can_publish(request.user, obj):
            # A writer's change to published text waits as a draft; the public keeps the published copy.
            from_status = self.workflow.edit_published(obj=obj, user=request.user)
            obj._change_reason = "edit"
            self.workflow.before_save(obj)
            super().save_model(request, obj, form, change)
            self.workflow.log_step(obj, request.user, from_status, obj.status, "edit_published")
            self.message_user(request, self.pending_edit_message)
            return
        obj._change_reason = "reviewed edit" if edited_published_text else ("edit" if change else "create")
        self.workflow.before_save(obj)
        super().save_model(request, obj, form, change)
        if edited_published_text:
            # Only a reviewer can reach here (the text is locked for everyone else): the edit is the review.
            self.workflow.record_review(obj=obj, user=request.user)
            self.message_user(request, self.reviewed_edit_message)

    reviewed_edit_message = _("Your change was saved as a new medically reviewed revision.")
    pending_edit_message = _(
        "Your change was saved as a draft. The public sees the published version until a reviewer publishes it."
    )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.related_saved(request, form.instance, change)
        step = request.POST.get("_workflow")
        if step in self.workflow_buttons:
            # After the text is saved: run the step now, so that its outcome shows on the next page.
            self._run_step(request, form.instance, step)

    def related_saved(self, request, obj, change) -> None:
        """After the record and its relations are saved, before a workflow step runs."""

    def _run_step(self, request, obj, step):
        function = getattr(self.workflow, step)
        try:
            with transaction.atomic():
                function(obj=obj, user=request.user)
        except TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return False
        obj.refresh_from_db()
        self.message_user(
            request,
            _("“%(title)s” is now: %(status)s.") % {"title": str(obj), "status": self.status_label(obj)},
            messages.SUCCESS,
        )
        return True

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["workflow_buttons"] = [
            (step, self.workflow_buttons[step])
            for step in self.workflow.available_steps(obj, request.user)
            if step in self.workflow_buttons
        ]
        context["preview_url"] = reverse(self.preview_url_name, args=[obj.pk]) if obj is not None else None
        return super().render_change_form(request, context, add, change, form_url, obj)

    # --- changelist actions -------------------------------------------------------------------

    def run_for_each(self, request, queryset, step, done_message, **kwargs):
        """Run one workflow step on every selected record; refusals are reported one by one."""
        function = getattr(self.workflow, step)
        done = 0
        for obj in queryset:
            try:
                function(obj=obj, user=request.user, **kwargs)
                done += 1
            except TransitionNotAllowed as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    def schedule_selected(self, request, queryset, done_message):
        """The "schedule" action: ask for the time, then schedule every selected record."""
        form = ScheduleForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self.run_for_each(request, queryset, "schedule", done_message, publish_at=form.cleaned_data["publish_at"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Schedule publication"),
            "opts": self.model._meta,
            "objects": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, self.schedule_template, context)

    # --- revision history: the view is `RevisionHistoryAdminMixin`'s, restoring goes through the workflow ---

    def restore_url_name(self):
        opts = self.model._meta
        return f"{opts.app_label}_{opts.model_name}_restore"

    def get_urls(self):
        return [
            path(
                "<int:object_id>/history/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_view),
                name=self.restore_url_name(),
            ),
            *super().get_urls(),
        ]

    def history_context(self, request, obj) -> dict:
        return {
            "can_restore": self.workflow.can_restore(obj, request.user),
            "restore_url_name": f"admin:{self.restore_url_name()}",
            "transitions": obj.transitions.select_related("actor")[:50],
            "has_workflow": True,
        }

    def restore_view(self, request, object_id, version_id):
        obj = get_object_or_404(self.model, pk=object_id)
        if request.method != "POST" or not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(obj.history.all(), history_id=version_id)
        opts = self.model._meta
        try:
            obj = self.workflow.restore_revision(obj=obj, historical_record=version, user=request.user)
        except TransitionNotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]))
        self.message_user(
            request,
            _("The version of %(when)s was restored as a draft. Submit it for review to publish it again.")
            % {"when": date_format(timezone.localtime(version.history_date), "SHORT_DATETIME_FORMAT")},
            messages.SUCCESS,
        )
        if obj.restore_left_out:
            self.message_user(
                request,
                _("Deleted since that version, so left empty: %(fields)s.")
                % {"fields": ", ".join(obj.restore_left_out)},
                messages.WARNING,
            )
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

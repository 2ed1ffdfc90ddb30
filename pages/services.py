"""Writes to site pages: the shared workflow (editorial/workflow.py) with the page's reviewer role,
and renaming a page's address (which keeps a redirect).
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from editorial.models import EditorialStatus
from editorial.workflow import TransitionNotAllowed, Workflow
from pagecache.versions import PAGES, content_changed
from pages.models import LEGAL_KINDS, Page, PageRedirect, PageTransition, ReviewRole

WRITE_PERMISSION = "pages.change_page"
PUBLISH_PERMISSIONS = {
    ReviewRole.EDITORIAL: "pages.publish_page",
    ReviewRole.MEDICAL: "pages.publish_medical_page",
    ReviewRole.LEGAL: "pages.publish_legal_page",
}

# Who may publish, as the refusals name them (a role name inside a sentence).
REVIEWERS = {
    ReviewRole.EDITORIAL: _("reviewers"),
    ReviewRole.MEDICAL: _("medical reviewers"),
    ReviewRole.LEGAL: _("legal reviewers"),
}

__all__ = ["TransitionNotAllowed"]


class PageWorkflow(Workflow):
    model = Page
    transition_model = PageTransition
    transition_field = "page"
    write_permission = WRITE_PERMISSION
    page_cache_domain = PAGES
    restore_fields = ("title", "summary", "body", "blocks", "expires_at")
    messages = {
        "submit_denied": _("You may not submit pages for review."),
        "submit_not_draft": _("Only a draft can be submitted for review; “%(title)s” is %(status)s."),
        "review_denied": _("Only %(role)s may review “%(title)s”."),
        "review_in_future": _("A review date cannot lie in the future."),
        "publish_denied": _("Only %(role)s may publish “%(title)s”."),
        "publish_wrong_status": _(
            "Only a page in review (or a scheduled one) can be published; “%(title)s” is %(status)s."
        ),
        "publish_after_expiry": _("The page would expire before it is published; change its expiry first."),
        "schedule_in_past": _("Choose a publication time in the future to schedule a page."),
        "schedule_live_page": _(
            "“%(title)s” is on the site now: a scheduled change would take it off the site until then. "
            "Publish the change now instead."
        ),
        "archive_denied": _("Only %(role)s may archive “%(title)s”."),
        "already_archived": _("“%(title)s” is already archived."),
        "already_draft": _("“%(title)s” is already a draft."),
        "return_denied": _("Only %(role)s may return “%(title)s” to draft once it is published or archived."),
        "edit_published_denied": _("Only %(role)s may change the published “%(title)s”."),
        "restore_denied": _("You may not restore pages."),
        "restore_published_denied": _(
            "Only %(role)s may restore “%(title)s” while it is not a draft (restoring unpublishes it)."
        ),
    }

    def required_roles(self, obj) -> list[ReviewRole]:
        """Who must review `obj`: its stored role and the one it is being changed to, both.

        The stored row decides, so a form cannot lower the reviewer it needs (a page of a legal kind
        needs legal reviewers, also to leave that kind); a change to a stricter role needs that one too.
        """
        pairs = [(obj.kind, obj.review_role)]
        if obj.pk is not None:
            pairs += Page.objects.filter(pk=obj.pk).values_list("kind", "review_role")
        roles = {ReviewRole.LEGAL if kind in LEGAL_KINDS else ReviewRole(role) for kind, role in pairs}
        return sorted(roles, key=list(ReviewRole).index, reverse=True)

    def publish_permission(self, obj) -> str:
        return PUBLISH_PERMISSIONS[self.required_roles(obj)[0] if obj is not None else ReviewRole.EDITORIAL]

    def can_publish(self, user, obj=None) -> bool:
        if obj is None:
            return super().can_publish(user)
        return user.is_active and user.has_perms([PUBLISH_PERMISSIONS[role] for role in self.required_roles(obj)])

    def publish_permissions(self):
        return tuple(PUBLISH_PERMISSIONS.values())

    def message(self, key, obj):
        return str(self.messages[key]) % {
            "title": str(obj),
            "status": obj.get_status_display().lower(),
            "role": REVIEWERS[self.required_roles(obj)[0]],
        }

    writers_edit_published = True

    def before_save(self, obj):
        # Published text is reviewed text (a writer's change moves the page to draft first).
        if obj.status == EditorialStatus.PUBLISHED:
            obj.take_live_copy()

    def before_move(self, obj, *, from_status, action):
        # Archiving, or a reviewer taking the page back to draft, takes it down; a writer's pending
        # change (draft or in review after publication) keeps the published copy in place.
        takes_down = action == "archive" or (
            action in ("return_to_draft", "restore_revision")
            and from_status in (EditorialStatus.PUBLISHED, EditorialStatus.ARCHIVED)
        )
        if takes_down and obj.live:
            obj.live = {}
            obj._taken_down = True

    def public_pages_changed(self, obj, from_status=None):
        # A page with a published copy is public whatever its status.
        if obj.live or getattr(obj, "_taken_down", False) or EditorialStatus.PUBLISHED in (from_status, obj.status):
            content_changed(PAGES)

    def stamp_review(self, obj, user, reviewed_on):
        obj.reviewed_by = user
        obj.last_reviewed_on = reviewed_on


workflow = PageWorkflow()


def page_submit_for_review(*, page: Page, user) -> Page:
    return workflow.submit_for_review(obj=page, user=user)


def page_publish(*, page: Page, user, publish_at=None) -> Page:
    return workflow.publish(obj=page, user=user, publish_at=publish_at)


def page_schedule(*, page: Page, user, publish_at) -> Page:
    return workflow.schedule(obj=page, user=user, publish_at=publish_at)


def page_archive(*, page: Page, user) -> Page:
    return workflow.archive(obj=page, user=user)


def page_return_to_draft(*, page: Page, user, note: str = "") -> Page:
    return workflow.return_to_draft(obj=page, user=user, note=note)


def page_record_review(*, page: Page, user) -> Page:
    return workflow.record_review(obj=page, user=user)


def page_restore_revision(*, page: Page, historical_record, user) -> Page:
    return workflow.restore_revision(obj=page, historical_record=historical_record, user=user)


@transaction.atomic
def page_address_changed(*, page: Page, old_slug: str) -> None:
    """After a source page's address changed: its translations follow, and the old address redirects.

    Redirects that pointed at the old address point at the new one (no chains); a redirect from
    the new address (a name taken back) is dropped.
    """
    if not old_slug or old_slug == page.slug:
        return
    page.translations.update(slug=page.slug)
    PageRedirect.objects.filter(old_slug=page.slug).delete()
    PageRedirect.objects.filter(new_slug=old_slug).update(new_slug=page.slug)
    PageRedirect.objects.update_or_create(old_slug=old_slug, defaults={"new_slug": page.slug})
    content_changed(PAGES)


def page_menu_changed(*, page: Page) -> None:
    """Menus show on every public page: a change to a published page's menu place refreshes them."""
    if page.live:
        content_changed(PAGES)

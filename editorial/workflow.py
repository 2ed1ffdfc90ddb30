"""The workflow steps every editorial content type shares, each in one transaction with its log row.

A content type describes itself in a `Workflow` subclass (its model, log, permissions, messages
and what a review stamps on it) and exposes the steps as its own service functions
(`articles.services.article_publish`, `pages.services.page_publish`). Views and admin actions
call those and add no rules of their own. Each step checks the acting user's role on the server,
refuses a step the workflow does not allow with a message fit for staff, and records who moved
the record from which status to which, and when.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from editorial.models import EditorialStatus
from pagecache.versions import content_changed

Status = EditorialStatus


class TransitionNotAllowed(PermissionDenied):
    """The user may not take this step, or the record is not in a status that allows it."""


class Workflow:
    """Draft → in review → published (now or scheduled) → archived, and back to draft for rework."""

    model = None
    transition_model = None
    # The log's foreign key to the record.
    transition_field = ""
    write_permission = ""
    # The cached public pages that show this content type (pagecache/versions.py).
    page_cache_domain = ""
    # What a restore brings back from an earlier version.
    restore_fields: tuple[str, ...] = ()
    # Refusals, in the content type's own words: key -> message (may use %(title)s, %(status)s).
    messages: dict[str, str] = {}
    # Whether writers may change published text. Then the record keeps a published copy (see
    # `before_move`) that the public sees until a reviewer publishes the change; without it, only
    # reviewers change published text (articles: the change is itself the medical review).
    writers_edit_published = False

    # --- who may do what ----------------------------------------------------------------------

    def publish_permission(self, obj) -> str:
        raise NotImplementedError

    def publish_permissions(self) -> tuple[str, ...]:
        """Every permission that lets someone publish some record of this type."""
        return (self.publish_permission(None),)

    def can_write(self, user) -> bool:
        return user.is_active and user.has_perm(self.write_permission)

    def can_publish(self, user, obj=None) -> bool:
        """May publish `obj` (or, without one, some record of this type)."""
        if obj is None:
            return user.is_active and any(user.has_perm(name) for name in self.publish_permissions())
        return user.is_active and user.has_perm(self.publish_permission(obj))

    def text_is_editable(self, obj, user) -> bool:
        """Drafts are open to writers; text in review or published only to its reviewers.

        A reviewer's change to published text is saved as a new reviewed revision
        (`record_reviewed_edit`); a writer must return it to draft first.
        """
        if obj is None or obj.pk is None or obj.status == Status.DRAFT:
            return self.can_write(user)
        if obj.status == Status.PUBLISHED and self.writers_edit_published and self.can_write(user):
            return True
        if obj.status in (Status.IN_REVIEW, Status.PUBLISHED):
            return self.can_publish(user, obj)
        return False

    def can_restore(self, obj, user) -> bool:
        return self.can_write(user) and (obj.status == Status.DRAFT or self.can_publish(user, obj))

    def available_steps(self, obj, user) -> list[str]:
        """The change form's buttons: the steps this user can take on `obj` now."""
        status = obj.status if obj is not None else Status.DRAFT
        publisher = self.can_publish(user, obj)
        steps = []
        if status == Status.DRAFT and self.can_write(user):
            steps.append("submit_for_review")
        if status == Status.PUBLISHED and self.writers_edit_published and self.can_write(user) and not publisher:
            # The writer's change is saved as a draft first (`edit_published`), then submitted.
            steps.append("submit_for_review")
        if status == Status.IN_REVIEW and publisher:
            steps.append("publish")
        if status == Status.IN_REVIEW and self.can_write(user):
            steps.append("return_to_draft")
        if status in (Status.PUBLISHED, Status.ARCHIVED) and publisher:
            steps.append("return_to_draft")
        if status in (Status.PUBLISHED, Status.IN_REVIEW) and publisher:
            steps.append("archive")
        return steps

    # --- hooks a content type fills in --------------------------------------------------------

    def message(self, key: str, obj) -> str:
        return str(self.messages[key]) % {"title": str(obj), "status": obj.get_status_display().lower()}

    def stamp_review(self, obj, user, reviewed_on: datetime.date) -> None:
        """What vouching for the text records on the record itself (reviewer, date)."""

    def before_save(self, obj) -> None:
        """Derived data to store with the record (a rendered body)."""

    def before_move(self, obj, *, from_status: str, action: str) -> None:
        """A step is about to save the record in its new status (e.g. take down its published copy)."""

    def public_pages_changed(self, obj, from_status: str | None = None) -> None:
        """Cached public pages show published records only: refresh them when this one is or was published.

        The refresh happens when the transaction commits, so the next request sees the change.
        """
        if Status.PUBLISHED in (from_status, obj.status):
            content_changed(self.page_cache_domain)

    # --- the steps ----------------------------------------------------------------------------

    def submit_for_review(self, *, obj, user):
        with transaction.atomic():
            obj = self._locked(obj)
            self._require(self.can_write(user), "submit_denied", obj)
            self._require(obj.status == Status.DRAFT, "submit_not_draft", obj)
            return self._move(obj=obj, user=user, to_status=Status.IN_REVIEW, action="submit_for_review")

    def record_review(self, *, obj, user, reviewed_on: datetime.date | None = None):
        """The reviewer vouches for the text as it stands."""
        with transaction.atomic():
            obj = self._locked(obj)
            self._require(self.can_publish(user, obj), "review_denied", obj)
            reviewed_on = reviewed_on or timezone.localdate()
            self._require(reviewed_on <= timezone.localdate(), "review_in_future", obj)
            self.stamp_review(obj, user, reviewed_on)
            self._save(obj, user=user, reason="record_review")
            self.log_step(obj, user, obj.status, obj.status, "record_review", str(reviewed_on))
            return obj

    def publish(self, *, obj, user, publish_at: datetime.datetime | None = None):
        """Publish now, or at `publish_at` (then it is scheduled). Publishing records the review."""
        with transaction.atomic():
            obj = self._locked(obj)
            self._require(self.can_publish(user, obj), "publish_denied", obj)
            self._require(
                obj.status == Status.IN_REVIEW or (obj.status == Status.PUBLISHED and obj.is_scheduled),
                "publish_wrong_status",
                obj,
            )
            now = timezone.now()
            publish_at = publish_at or now
            self._require(not obj.expires_at or obj.expires_at > publish_at, "publish_after_expiry", obj)
            from_status = obj.status
            obj.publish_at = publish_at
            self.stamp_review(obj, user, timezone.localdate())
            action = "schedule" if publish_at > now else "publish"
            obj.status = Status.PUBLISHED
            self._save(obj, user=user, reason=action, from_status=from_status)
            self.log_step(
                obj,
                user,
                from_status,
                Status.PUBLISHED,
                action,
                publish_at.isoformat() if action == "schedule" else "",
            )
            return obj

    def schedule(self, *, obj, user, publish_at: datetime.datetime):
        """Publish at a future time; until then the record stays hidden from the public."""
        self._require(publish_at > timezone.now(), "schedule_in_past", obj)
        return self.publish(obj=obj, user=user, publish_at=publish_at)

    def archive(self, *, obj, user):
        with transaction.atomic():
            obj = self._locked(obj)
            self._require(self.can_publish(user, obj), "archive_denied", obj)
            self._require(obj.status != Status.ARCHIVED, "already_archived", obj)
            return self._move(obj=obj, user=user, to_status=Status.ARCHIVED, action="archive")

    def return_to_draft(self, *, obj, user, note: str = ""):
        """Back to the writers: from review, from published (which unpublishes) or from the archive."""
        with transaction.atomic():
            obj = self._locked(obj)
            self._require(obj.status != Status.DRAFT, "already_draft", obj)
            # A writer may withdraw their own submission; taking down what is public is a reviewer's call.
            allowed = self.can_publish(user, obj) or (self.can_write(user) and obj.status == Status.IN_REVIEW)
            self._require(allowed, "return_denied", obj)
            return self._move(obj=obj, user=user, to_status=Status.DRAFT, action="return_to_draft", note=note)

    def record_reviewed_edit(self, *, obj, user):
        """A reviewer changed published text: that change is itself the review."""
        with transaction.atomic():
            self._require(self.can_publish(user, obj), "edit_published_denied", obj)
            self._save(obj, user=user, reason="reviewed_edit")
            return self.record_review(obj=obj, user=user)

    def edit_published(self, *, obj, user) -> str:
        """A writer changed published text (`writers_edit_published`): the change waits as a draft.

        Call before saving the changed record; the public keeps seeing the published copy.
        """
        self._require(self.writers_edit_published and self.can_write(user), "edit_published_denied", obj)
        from_status, obj.status = obj.status, Status.DRAFT
        self.before_move(obj, from_status=from_status, action="edit_published")
        return from_status

    def restore_revision(self, *, obj, historical_record, user):
        """Bring back an earlier version's text as a draft: a restore never publishes anything."""
        with transaction.atomic():
            obj = self._locked(obj)
            self._require(self.can_write(user), "restore_denied", obj)
            self._require(obj.status == Status.DRAFT or self.can_publish(user, obj), "restore_published_denied", obj)
            for field_name in self.restore_fields:
                setattr(obj, field_name, getattr(historical_record, field_name))
            from_status = obj.status
            obj.status = Status.DRAFT
            self.before_move(obj, from_status=from_status, action="restore_revision")
            self._save(
                obj, user=user, reason=f"restore of version {historical_record.history_id}", from_status=from_status
            )
            self.log_step(
                obj,
                user,
                from_status,
                Status.DRAFT,
                "restore_revision",
                f"version {historical_record.history_id} of {historical_record.history_date:%Y-%m-%d %H:%M}",
            )
            return obj

    # --- the machinery ------------------------------------------------------------------------

    def _require(self, allowed: bool, key: str, obj) -> None:
        if not allowed:
            raise TransitionNotAllowed(self.message(key, obj))

    def _save(self, obj, *, user, reason, from_status=None) -> None:
        # The revision history names who saved and why (simple-history reads these two attributes).
        obj._history_user = user
        obj._change_reason = reason
        self.before_save(obj)
        obj.save()
        self.public_pages_changed(obj, from_status=from_status)

    def log_step(self, obj, user, from_status, to_status, action, note=""):
        self.transition_model.objects.create(
            **{self.transition_field: obj},
            from_status=from_status,
            to_status=to_status,
            action=action,
            actor=user,
            note=note[:300],
        )

    def _move(self, *, obj, user, to_status, action, note="", reason=""):
        from_status = obj.status
        obj.status = to_status
        self.before_move(obj, from_status=from_status, action=action)
        self._save(obj, user=user, reason=reason or action, from_status=from_status)
        self.log_step(obj, user, from_status, to_status, action, note)
        return obj

    def _locked(self, obj):
        """The caller's instance, reloaded from its row, which stays locked until the transaction ends.

        Two clicks cannot both win, and the caller's object is the one that changes, so saving it
        later cannot put back a stale status.
        """
        self.model.objects.select_for_update().only("pk").get(pk=obj.pk)
        obj.refresh_from_db()
        return obj

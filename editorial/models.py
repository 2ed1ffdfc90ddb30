"""The publishing workflow every editable content type shares (articles, site pages, team profiles).

A content type inherits nothing here as fields: it keeps its own table and declares `status`,
`publish_at` and `expires_at` with `EditorialStatus` choices. What it takes from here is the one
definition of the statuses, of "publicly visible" (`EditorialQuerySet.published()`) and the
shape of its workflow log (`Transition`). The steps themselves are in `editorial/workflow.py`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from languages.models import LanguageVersionQuerySet


class EditorialStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class EditorialQuerySet(LanguageVersionQuerySet):
    def on_site(self):
        """Records that have a published version, whatever its time: the base of every "public" question.

        A content type that keeps a published copy while a change waits for review (site pages)
        says so here, and `published()`, `scheduled()`, `expired()` and the cache's timed changes follow.
        """
        return self.filter(status=EditorialStatus.PUBLISHED)

    def published(self, *, now=None):
        """The one definition of "publicly visible": every public surface starts here.

        Published, its publication time reached (so scheduled content stays hidden), and not
        expired.
        """
        now = now or timezone.now()
        return self.on_site().filter(publish_at__lte=now).exclude(expires_at__lte=now)

    def scheduled(self, *, now=None):
        """Published for a time still to come."""
        return self.on_site().filter(publish_at__gt=now or timezone.now())

    def expired(self, *, now=None):
        """Published, but its expiry has passed."""
        return self.on_site().filter(expires_at__lte=now or timezone.now())

    def next_visibility_change(self, *, now=None):
        """The next moment after `now` when published content goes live or expires by itself."""
        now = now or timezone.now()
        moments = self.on_site().aggregate(
            goes_live=models.Min("publish_at", filter=models.Q(publish_at__gt=now)),
            expires=models.Min("expires_at", filter=models.Q(expires_at__gt=now)),
        )
        return min((moment for moment in moments.values() if moment is not None), default=None)

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")


class EditorialContent(models.Model):
    """Abstract: no fields, only what every workflow-managed record answers the same way."""

    class Meta:
        abstract = True

    @property
    def is_on_site(self) -> bool:
        """This record in `on_site()`: has a published version (a content type may redefine both)."""
        return self.status == EditorialStatus.PUBLISHED

    @property
    def is_scheduled(self) -> bool:
        return self.is_on_site and self.publish_at is not None and self.publish_at > timezone.now()

    @property
    def is_public(self) -> bool:
        """This record in `published()`."""
        now = timezone.now()
        return (
            self.is_on_site
            and self.publish_at is not None
            and self.publish_at <= now
            and not (self.expires_at and self.expires_at <= now)
        )


class Transition(models.Model):
    """Abstract: one workflow step, who moved the record from which status to which, and when.

    The concrete log names its record (a foreign key) and its actor (with its own reverse name).
    """

    from_status = models.CharField(_("from"), max_length=16, choices=EditorialStatus)
    to_status = models.CharField(_("to"), max_length=16, choices=EditorialStatus)
    action = models.CharField(_("action"), max_length=40)
    at = models.DateTimeField(_("when"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        abstract = True
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        ordering = ["-at", "-pk"]


def actor_field(related_name: str) -> models.ForeignKey:
    """The user who took a workflow step; kept (PROTECT) as long as the log is."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name=related_name
    )

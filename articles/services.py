"""Every change of an article's workflow status, each in one transaction with its audit row.

Views and admin actions call these functions and add no rules of their own. Each checks the
acting user's role on the server, refuses a step the workflow does not allow with a message fit
for staff, and records who moved the article from which status to which, and when.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article, ArticleStatus, ArticleTransition
from pagecache.versions import ARTICLES, content_changed

WRITE_PERMISSION = "articles.change_article"
PUBLISH_PERMISSION = "articles.publish_article"


class TransitionNotAllowed(PermissionDenied):
    """The user may not take this step, or the article is not in a status that allows it."""


def can_write(user) -> bool:
    return user.is_active and user.has_perm(WRITE_PERMISSION)


def can_publish(user) -> bool:
    return user.is_active and user.has_perm(PUBLISH_PERMISSION)


def article_text_is_editable(*, article: Article, user) -> bool:
    """Drafts are open to writers; in review and published text only to medical reviewers.

    A reviewer's change to a published article is saved as a new reviewed revision
    (`article_record_reviewed_edit`); an editor must return the article to draft first.
    """
    if article.pk is None or article.status == ArticleStatus.DRAFT:
        return can_write(user)
    if article.status in (ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED):
        return can_publish(user)
    return False


def review_due_date(day: datetime.date, months: int) -> datetime.date:
    """`months` after `day`, on the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise TransitionNotAllowed(message)


def _save(article, *, user, reason, from_status=None) -> None:
    # The revision history names who saved and why (simple-history reads these two attributes).
    article._history_user = user
    article._change_reason = reason
    article.store_rendered_body()
    article.save()
    article_public_pages_changed(article=article, from_status=from_status)


def article_public_pages_changed(*, article: Article, from_status: str | None = None) -> None:
    """Cached public pages show published articles only: refresh them when this one is or was published.

    The refresh happens when the transaction commits, so the next request sees the change.
    """
    if ArticleStatus.PUBLISHED in (from_status, article.status):
        content_changed(ARTICLES)


def _move(*, article, user, to_status, action, note="", reason="") -> Article:
    from_status = article.status
    article.status = to_status
    _save(article, user=user, reason=reason or action, from_status=from_status)
    ArticleTransition.objects.create(
        article=article, from_status=from_status, to_status=to_status, action=action, actor=user, note=note[:300]
    )
    return article


def _locked(article: Article) -> Article:
    """The caller's instance, reloaded from its row, which stays locked until the transaction ends.

    Two clicks cannot both win, and the caller's object is the one that changes, so saving it
    later cannot put back a stale status.
    """
    Article.objects.select_for_update().only("pk").get(pk=article.pk)
    article.refresh_from_db()
    return article


@transaction.atomic
def article_submit_for_review(*, article: Article, user) -> Article:
    article = _locked(article)
    _require(can_write(user), _("You may not submit articles for review."))
    _require(
        article.status == ArticleStatus.DRAFT,
        _("Only a draft can be submitted for review; “%(title)s” is %(status)s.")
        % {"title": article.title, "status": article.get_status_display().lower()},
    )
    return _move(article=article, user=user, to_status=ArticleStatus.IN_REVIEW, action="submit_for_review")


@transaction.atomic
def article_record_review(*, article: Article, user, reviewed_on: datetime.date | None = None) -> Article:
    """The medical reviewer vouches for the text as it stands: sets reviewer, date and next due date."""
    article = _locked(article)
    _require(can_publish(user), _("Only medical reviewers may record a medical review."))
    reviewed_on = reviewed_on or timezone.localdate()
    _require(reviewed_on <= timezone.localdate(), _("A review date cannot lie in the future."))
    article.medical_reviewer = user
    article.last_reviewed_on = reviewed_on
    article.review_due_on = review_due_date(reviewed_on, article.review_interval_months)
    _save(article, user=user, reason="record_review")
    ArticleTransition.objects.create(
        article=article,
        from_status=article.status,
        to_status=article.status,
        action="record_review",
        actor=user,
        note=str(reviewed_on),
    )
    return article


@transaction.atomic
def article_publish(*, article: Article, user, publish_at: datetime.datetime | None = None) -> Article:
    """Publish now, or at `publish_at` (then the article is scheduled). Publishing records the review."""
    article = _locked(article)
    _require(can_publish(user), _("Only medical reviewers may publish articles."))
    _require(
        article.status == ArticleStatus.IN_REVIEW
        or (article.status == ArticleStatus.PUBLISHED and article.is_scheduled),
        _("Only an article in review (or a scheduled one) can be published; “%(title)s” is %(status)s.")
        % {"title": article.title, "status": article.get_status_display().lower()},
    )
    now = timezone.now()
    publish_at = publish_at or now
    _require(
        not article.expires_at or article.expires_at > publish_at,
        _("The article would expire before it is published; change its expiry first."),
    )
    from_status = article.status
    article.publish_at = publish_at
    article.medical_reviewer = user
    article.last_reviewed_on = timezone.localdate()
    article.review_due_on = review_due_date(article.last_reviewed_on, article.review_interval_months)
    action = "schedule" if publish_at > now else "publish"
    article.status = ArticleStatus.PUBLISHED
    _save(article, user=user, reason=action, from_status=from_status)
    ArticleTransition.objects.create(
        article=article,
        from_status=from_status,
        to_status=ArticleStatus.PUBLISHED,
        action=action,
        actor=user,
        note=publish_at.isoformat() if action == "schedule" else "",
    )
    return article


def article_schedule(*, article: Article, user, publish_at: datetime.datetime) -> Article:
    """Publish at a future time; until then the article stays hidden from the public."""
    _require(publish_at > timezone.now(), _("Choose a publication time in the future to schedule an article."))
    return article_publish(article=article, user=user, publish_at=publish_at)


@transaction.atomic
def article_archive(*, article: Article, user) -> Article:
    article = _locked(article)
    _require(can_publish(user), _("Only medical reviewers may archive articles."))
    _require(
        article.status != ArticleStatus.ARCHIVED, _("“%(title)s” is already archived.") % {"title": article.title}
    )
    return _move(article=article, user=user, to_status=ArticleStatus.ARCHIVED, action="archive")


@transaction.atomic
def article_return_to_draft(*, article: Article, user, note: str = "") -> Article:
    """Back to the writers for rework: from review, from published (which unpublishes) or from the archive."""
    article = _locked(article)
    _require(article.status != ArticleStatus.DRAFT, _("“%(title)s” is already a draft.") % {"title": article.title})
    # An editor may withdraw their own submission; taking down what is public is a reviewer's call.
    allowed = can_publish(user) or (can_write(user) and article.status == ArticleStatus.IN_REVIEW)
    _require(allowed, _("Only medical reviewers may return a published or archived article to draft."))
    return _move(article=article, user=user, to_status=ArticleStatus.DRAFT, action="return_to_draft", note=note)


@transaction.atomic
def article_record_reviewed_edit(*, article: Article, user) -> Article:
    """A medical reviewer changed a published article's text: that change is itself the review."""
    _require(can_publish(user), _("Only medical reviewers may change a published article."))
    _save(article, user=user, reason="reviewed_edit")
    return article_record_review(article=article, user=user)


@transaction.atomic
def article_restore_revision(*, article: Article, historical_record, user) -> Article:
    """Bring back an earlier version's text as a draft: a restore never publishes anything."""
    article = _locked(article)
    _require(can_write(user), _("You may not restore articles."))
    _require(
        article.status == ArticleStatus.DRAFT or can_publish(user),
        _("Only medical reviewers may restore an article that is not a draft (restoring unpublishes it)."),
    )
    for field_name in ("title", "standfirst", "body", "lead_image_id", "expires_at", "language"):
        setattr(article, field_name, getattr(historical_record, field_name))
    from_status = article.status
    article.status = ArticleStatus.DRAFT
    _save(article, user=user, reason=f"restore of version {historical_record.history_id}", from_status=from_status)
    ArticleTransition.objects.create(
        article=article,
        from_status=from_status,
        to_status=ArticleStatus.DRAFT,
        action="restore_revision",
        actor=user,
        note=f"version {historical_record.history_id} of {historical_record.history_date:%Y-%m-%d %H:%M}",
    )
    return article

"""Every change of an article's workflow status, through the shared workflow (editorial/workflow.py).

Views and admin actions call these functions and add no rules of their own. `ArticleWorkflow`
says what is particular to articles: medical reviewers publish, and a review sets the reviewer,
the review date and the next due date.
"""

import calendar
import datetime

from django.utils.translation import gettext_lazy as _

from articles.models import Article, ArticleTransition
from editorial.workflow import TransitionNotAllowed, Workflow
from pagecache.versions import ARTICLES

WRITE_PERMISSION = "articles.change_article"
PUBLISH_PERMISSION = "articles.publish_article"

__all__ = ["TransitionNotAllowed"]


def review_due_date(day: datetime.date, months: int) -> datetime.date:
    """`months` after `day`, on the last day of the month when that month is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class ArticleWorkflow(Workflow):
    model = Article
    transition_model = ArticleTransition
    transition_field = "article"
    write_permission = WRITE_PERMISSION
    page_cache_domain = ARTICLES
    restore_fields = ("title", "standfirst", "body", "lead_image", "lead_image_alt", "expires_at", "language")
    messages = {
        "submit_denied": _("You may not submit articles for review."),
        "submit_not_draft": _("Only a draft can be submitted for review; “%(title)s” is %(status)s."),
        "review_denied": _("Only medical reviewers may record a medical review."),
        "review_in_future": _("A review date cannot lie in the future."),
        "publish_denied": _("Only medical reviewers may publish articles."),
        "publish_wrong_status": _(
            "Only an article in review (or a scheduled one) can be published; “%(title)s” is %(status)s."
        ),
        "publish_after_expiry": _("The article would expire before it is published; change its expiry first."),
        "schedule_in_past": _("Choose a publication time in the future to schedule an article."),
        "archive_denied": _("Only medical reviewers may archive articles."),
        "already_archived": _("“%(title)s” is already archived."),
        "already_draft": _("“%(title)s” is already a draft."),
        "return_denied": _("Only medical reviewers may return a published or archived article to draft."),
        "edit_published_denied": _("Only medical reviewers may change a published article."),
        "restore_denied": _("You may not restore articles."),
        "restore_published_denied": _(
            "Only medical reviewers may restore an article that is not a draft (restoring unpublishes it)."
        ),
    }

    def publish_permission(self, obj) -> str:
        return PUBLISH_PERMISSION

    def stamp_review(self, obj, user, reviewed_on):
        obj.medical_reviewer = user
        obj.last_reviewed_on = reviewed_on
        obj.review_due_on = review_due_date(reviewed_on, obj.review_interval_months)

    def before_save(self, obj):
        obj.store_rendered_body()


workflow = ArticleWorkflow()


def can_write(user) -> bool:
    return workflow.can_write(user)


def can_publish(user) -> bool:
    return workflow.can_publish(user)


def article_text_is_editable(*, article: Article, user) -> bool:
    return workflow.text_is_editable(article, user)


def article_public_pages_changed(*, article: Article, from_status: str | None = None) -> None:
    workflow.public_pages_changed(article, from_status=from_status)


def article_submit_for_review(*, article: Article, user) -> Article:
    return workflow.submit_for_review(obj=article, user=user)


def article_record_review(*, article: Article, user, reviewed_on: datetime.date | None = None) -> Article:
    return workflow.record_review(obj=article, user=user, reviewed_on=reviewed_on)


def article_publish(*, article: Article, user, publish_at: datetime.datetime | None = None) -> Article:
    return workflow.publish(obj=article, user=user, publish_at=publish_at)


def article_schedule(*, article: Article, user, publish_at: datetime.datetime) -> Article:
    return workflow.schedule(obj=article, user=user, publish_at=publish_at)


def article_archive(*, article: Article, user) -> Article:
    return workflow.archive(obj=article, user=user)


def article_return_to_draft(*, article: Article, user, note: str = "") -> Article:
    return workflow.return_to_draft(obj=article, user=user, note=note)


def article_record_reviewed_edit(*, article: Article, user) -> Article:
    return workflow.record_reviewed_edit(obj=article, user=user)


def article_restore_revision(*, article: Article, historical_record, user) -> Article:
    return workflow.restore_revision(obj=article, historical_record=historical_record, user=user)

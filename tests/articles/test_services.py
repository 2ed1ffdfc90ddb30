"""The workflow: who may take which step from which status, and the record each step leaves."""

import datetime

import pytest
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleStatus, ArticleTransition
from tests.factories import ArticleFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(editor):
    return ArticleFactory(slug="draft", created_by=editor)


def test_the_whole_journey_records_every_step(draft, editor, medical_reviewer):
    services.article_submit_for_review(article=draft, user=editor)
    services.article_publish(article=draft, user=medical_reviewer)
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED
    assert draft in Article.objects.published()
    assert draft.medical_reviewer == medical_reviewer
    assert draft.last_reviewed_on == timezone.localdate()
    assert draft.review_due_on.year == timezone.localdate().year + 1
    services.article_archive(article=draft, user=medical_reviewer)
    services.article_return_to_draft(article=draft, user=medical_reviewer, note="update doses")
    steps = list(ArticleTransition.objects.filter(article=draft).order_by("at", "pk"))
    assert [(s.from_status, s.to_status, s.actor.username) for s in steps] == [
        ("draft", "in_review", "editor"),
        ("in_review", "published", "reviewer"),
        ("published", "archived", "reviewer"),
        ("archived", "draft", "reviewer"),
    ]
    assert steps[-1].note == "update doses"
    # Each step is also a revision, with its author and reason.
    reasons = list(
        draft.history.order_by("history_date").values_list("history_change_reason", "history_user__username")
    )
    assert reasons[-4:] == [
        ("submit_for_review", "editor"),
        ("publish", "reviewer"),
        ("archive", "reviewer"),
        ("return_to_draft", "reviewer"),
    ]


@pytest.mark.parametrize(
    ("step", "status"),
    [
        (services.article_publish, "in_review"),
        (services.article_archive, "published"),
        (services.article_record_review, "published"),
        (services.article_return_to_draft, "published"),
        (services.article_return_to_draft, "archived"),
    ],
)
def test_editors_may_not_take_reviewer_steps(editor, step, status):
    article = ArticleFactory(slug="a", status=status, publish_at=timezone.now())
    with pytest.raises(services.TransitionNotAllowed):
        step(article=article, user=editor)
    article.refresh_from_db()
    assert article.status == status
    assert not ArticleTransition.objects.exists()


def test_editors_may_not_schedule(editor):
    article = ArticleFactory(slug="a", status="in_review")
    with pytest.raises(services.TransitionNotAllowed):
        services.article_schedule(article=article, user=editor, publish_at=timezone.now() + datetime.timedelta(days=1))


@pytest.mark.parametrize("role_fixture", ["triage_user", "directory_maintainer"])
def test_other_staff_may_take_no_step(request, role_fixture, draft):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(services.TransitionNotAllowed):
        services.article_submit_for_review(article=draft, user=user)


def test_an_inactive_reviewer_may_not_publish(medical_reviewer):
    medical_reviewer.is_active = False
    article = ArticleFactory(slug="a", status="in_review")
    with pytest.raises(services.TransitionNotAllowed):
        services.article_publish(article=article, user=medical_reviewer)


@pytest.mark.parametrize("status", ["draft", "published", "archived"])
def test_only_articles_in_review_can_be_published(medical_reviewer, status):
    article = ArticleFactory(slug="a", status=status, publish_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(services.TransitionNotAllowed, match="in review"):
        services.article_publish(article=article, user=medical_reviewer)


@pytest.mark.parametrize("status", ["in_review", "published", "archived"])
def test_only_drafts_can_be_submitted(editor, status):
    article = ArticleFactory(slug="a", status=status, publish_at=timezone.now())
    with pytest.raises(services.TransitionNotAllowed, match="Only a draft"):
        services.article_submit_for_review(article=article, user=editor)


def test_an_editor_may_withdraw_a_submission(editor, draft):
    services.article_submit_for_review(article=draft, user=editor)
    services.article_return_to_draft(article=draft, user=editor)
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT


def test_scheduling_keeps_the_article_hidden_until_its_time(medical_reviewer):
    article = ArticleFactory(slug="a", status="in_review")
    when = timezone.now() + datetime.timedelta(days=3)
    services.article_schedule(article=article, user=medical_reviewer, publish_at=when)
    article.refresh_from_db()
    assert article.is_scheduled
    assert article not in Article.objects.published()
    assert ArticleTransition.objects.get(article=article).action == "schedule"
    # A scheduled article may be published at once instead.
    services.article_publish(article=article, user=medical_reviewer)
    assert article in Article.objects.published()


def test_scheduling_needs_a_future_time(medical_reviewer):
    article = ArticleFactory(slug="a", status="in_review")
    with pytest.raises(services.TransitionNotAllowed, match="future"):
        services.article_schedule(
            article=article, user=medical_reviewer, publish_at=timezone.now() - datetime.timedelta(hours=1)
        )


def test_publishing_refuses_an_article_that_would_already_have_expired(medical_reviewer):
    article = ArticleFactory(slug="a", status="in_review", expires_at=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(services.TransitionNotAllowed, match="expire"):
        services.article_publish(article=article, user=medical_reviewer)


def test_review_interval_sets_the_next_due_date(medical_reviewer):
    article = ArticleFactory(slug="a", status="in_review", review_interval_months=6)
    services.article_publish(article=article, user=medical_reviewer)
    services.article_record_review(article=article, user=medical_reviewer, reviewed_on=datetime.date(2026, 8, 31))
    article.refresh_from_db()
    assert article.review_due_on == datetime.date(2027, 2, 28)
    with pytest.raises(services.TransitionNotAllowed, match="future"):
        services.article_record_review(
            article=article, user=medical_reviewer, reviewed_on=timezone.localdate() + datetime.timedelta(days=1)
        )


def test_review_due_lists_overdue_and_soon_due_published_articles():
    today = timezone.localdate()
    overdue = ArticleFactory(slug="overdue", published=True, review_due_on=today - datetime.timedelta(days=1))
    soon = ArticleFactory(slug="soon", published=True, review_due_on=today + datetime.timedelta(days=10))
    ArticleFactory(slug="fine", published=True, review_due_on=today + datetime.timedelta(days=200))
    ArticleFactory(slug="draft", review_due_on=today - datetime.timedelta(days=1))
    assert set(Article.objects.review_due()) == {overdue, soon}


def test_restoring_a_revision_makes_a_draft_and_never_publishes(editor, medical_reviewer, draft):
    draft.body = "Version one."
    draft.save()
    first = draft.history.latest()
    services.article_submit_for_review(article=draft, user=editor)
    draft.body = "Version two."
    draft.save()
    services.article_publish(article=draft, user=medical_reviewer)
    # Editors may not take down a published article by restoring an old version.
    with pytest.raises(services.TransitionNotAllowed):
        services.article_restore_revision(article=draft, historical_record=first, user=editor)
    services.article_restore_revision(article=draft, historical_record=first, user=medical_reviewer)
    draft.refresh_from_db()
    assert (draft.status, draft.body) == ("draft", "Version one.")
    assert draft not in Article.objects.published()
    assert ArticleTransition.objects.filter(article=draft, action="restore_revision").count() == 1


def test_a_superuser_may_do_everything(superuser, draft):
    services.article_submit_for_review(article=draft, user=superuser)
    services.article_publish(article=draft, user=superuser)
    assert draft in Article.objects.published()


def test_a_user_without_a_role_may_do_nothing(draft):
    nobody = StaffUserFactory(username="nobody")
    with pytest.raises(services.TransitionNotAllowed):
        services.article_submit_for_review(article=draft, user=nobody)

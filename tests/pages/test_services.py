"""The shared workflow on site pages: who may take which step, by the role the page names."""

import datetime

import pytest
from django.utils import timezone

from pages import services
from pages.models import Page, PageTransition
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def test_an_editor_writes_and_submits_but_cannot_publish(editor):
    page = make_page()
    services.page_submit_for_review(page=page, user=editor)
    assert page.status == "in_review"
    with pytest.raises(services.TransitionNotAllowed, match="Only reviewers may publish"):
        services.page_publish(page=page, user=editor)
    page.refresh_from_db()
    assert page.status == "in_review"
    assert PageTransition.objects.get(page=page).actor == editor


def test_a_legal_page_needs_a_legal_reviewer(medical_reviewer, legal_reviewer):
    imprint = make_page(slug="imprint", kind="imprint", review_role="legal", status="in_review", title="Imprint")
    with pytest.raises(services.TransitionNotAllowed, match="Only legal reviewers may publish"):
        services.page_publish(page=imprint, user=medical_reviewer)
    services.page_publish(page=imprint, user=legal_reviewer)
    imprint.refresh_from_db()
    assert (imprint.status, imprint.reviewed_by, imprint.last_reviewed_on) == (
        "published",
        legal_reviewer,
        timezone.localdate(),
    )
    assert Page.objects.published().get() == imprint


def test_a_medical_page_needs_a_medical_reviewer(medical_reviewer, legal_reviewer):
    page = make_page(slug="editorial-policy", kind="editorial_policy", review_role="medical", status="in_review")
    with pytest.raises(services.TransitionNotAllowed, match="Only medical reviewers may publish"):
        services.page_publish(page=page, user=legal_reviewer)
    services.page_publish(page=page, user=medical_reviewer)
    assert page.status == "published"


@pytest.mark.parametrize("reviewer", ["medical_reviewer", "legal_reviewer"])
def test_any_reviewer_publishes_a_page_that_needs_no_special_review(request, reviewer):
    user = request.getfixturevalue(reviewer)
    page = make_page(status="in_review")
    services.page_publish(page=page, user=user)
    assert page.status == "published"


def test_a_scheduled_page_stays_hidden_until_its_time(legal_reviewer, time_machine):
    page = make_page(status="in_review")
    publish_at = timezone.now() + datetime.timedelta(days=2)
    services.page_schedule(page=page, user=legal_reviewer, publish_at=publish_at)
    assert page.is_scheduled and not Page.objects.published().exists()
    assert Page.objects.next_visibility_change() == publish_at
    time_machine.move_to(publish_at + datetime.timedelta(minutes=1))
    assert Page.objects.published().get() == page


def test_a_change_to_a_live_page_is_published_now_not_scheduled(editor, legal_reviewer, time_machine):
    """A scheduled change would take the live page off the site until its time: refused, page kept."""
    page = make_page(published=True, body="The published text.")
    page.status, page.body = "draft", "The corrected text."  # an editor's pending change
    page.save()
    services.page_submit_for_review(page=page, user=editor)
    with pytest.raises(services.TransitionNotAllowed, match="is on the site now"):
        services.page_schedule(page=page, user=legal_reviewer, publish_at=timezone.now() + datetime.timedelta(days=1))
    page.refresh_from_db()
    assert page.status == "in_review"
    assert Page.objects.published().get().as_published().body == "The published text."
    services.page_publish(page=page, user=legal_reviewer)
    assert Page.objects.published().get().as_published().body == "The corrected text."


def test_an_editor_cannot_take_down_a_published_page(editor, legal_reviewer):
    page = make_page(published=True)
    for step in (services.page_archive, services.page_return_to_draft):
        with pytest.raises(services.TransitionNotAllowed):
            step(page=page, user=editor)
    services.page_return_to_draft(page=page, user=legal_reviewer)
    assert page.status == "draft"
    assert not Page.objects.published().exists()  # a reviewer's return to draft takes the page down


def test_restoring_a_version_brings_its_text_back_as_a_draft(editor, legal_reviewer):
    page = make_page(status="in_review", body="First text.")
    services.page_publish(page=page, user=legal_reviewer)
    first = page.history.latest("history_date")
    page.body = "Second text."
    page.status = "draft"
    page.save()
    with pytest.raises(services.TransitionNotAllowed):
        # Restoring unpublishes: not an editor's call while the page is published.
        published = make_page(slug="other", published=True)
        services.page_restore_revision(page=published, historical_record=first, user=editor)
    services.page_restore_revision(page=page, historical_record=first, user=editor)
    page.refresh_from_db()
    assert (page.body, page.status) == ("First text.", "draft")


def test_the_article_workflow_is_the_same_machinery(medical_reviewer):
    """Articles and pages take their steps from one Workflow class (editorial/workflow.py)."""
    from articles import services as article_services
    from editorial.workflow import Workflow

    assert isinstance(article_services.workflow, Workflow)
    assert isinstance(services.workflow, Workflow)
    assert type(services.workflow).publish is type(article_services.workflow).publish is Workflow.publish


def test_a_pending_change_does_not_hide_a_live_pages_expiry_from_the_cache(editor):
    expires = timezone.now() + datetime.timedelta(days=2)
    page = make_page(published=True, expires_at=expires)
    page.status = "draft"  # an editor's change waits for review: the published copy stays public
    page.save()
    assert Page.objects.published().filter(pk=page.pk).exists()
    assert Page.objects.next_visibility_change() == expires

"""Site pages as staff meet them: the admin, with the shared workflow buttons and checks."""

import datetime
import json

import pytest
from django.utils import timezone

from pages import services
from pages.models import Page, PageRedirect, PageTransition
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/pages/page/"


def change_url(page):
    return f"/admin/pages/page/{page.pk}/change/"


def form_data(**overrides):
    data = {
        "title": "Imprint",
        "slug": "imprint",
        "language": "en",
        "kind": "imprint",
        "review_role": "legal",
        "summary": "",
        "body": "Information according to § 5 DDG.",
        "blocks": json.dumps([{"type": "contact", "name": "Care Bridge Germany GmbH", "phone": "+49 30 0000000"}]),
        "menu_order": "60",
        "in_footer": "on",
        "expires_at": "",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_an_editor_writes_and_submits_and_a_legal_reviewer_publishes(client, editor, legal_reviewer):
    client.force_login(editor)
    response = client.post("/admin/pages/page/add/", form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    page = Page.objects.get(slug="imprint")
    response = client.post(change_url(page), form_data(_workflow="submit_for_review"), follow=True)
    page.refresh_from_db()
    assert page.status == "in_review"
    # The editor is offered no publish button, and a forged one is refused with a reason.
    assert 'value="publish"' not in response.text
    response = client.post(change_url(page), form_data(_workflow="publish"), follow=True)
    page.refresh_from_db()
    assert page.status == "in_review"

    client.force_login(legal_reviewer)
    assert 'value="publish"' in client.get(change_url(page)).text
    response = client.post(change_url(page), form_data(_workflow="publish"), follow=True)
    page.refresh_from_db()
    assert page.status == "published"
    assert any("Published" in message for message in messages_of(response))
    assert [step.action for step in PageTransition.objects.filter(page=page).order_by("at", "pk")] == [
        "submit_for_review",
        "publish",
    ]
    assert "Care Bridge Germany GmbH" in client.get("/imprint/").text


def test_a_legal_page_must_name_legal_review(client, editor):
    client.force_login(editor)
    response = client.post("/admin/pages/page/add/", form_data(review_role="editorial"))
    assert response.status_code == 200
    assert "reviewed by legal reviewers" in str(response.context["adminform"].form.errors)


@pytest.mark.parametrize("slug", ["articles", "hospitals", "team", "inquiry", "admin"])
def test_a_page_cannot_take_an_address_another_part_of_the_site_answers(client, editor, slug):
    client.force_login(editor)
    data = form_data(kind="faq", review_role="editorial", title="Questions", slug=slug)
    response = client.post("/admin/pages/page/add/", data)
    assert response.status_code == 200
    assert f"The address /{slug}/ belongs to another part of the site" in str(
        response.context["adminform"].form.errors
    )
    assert not Page.objects.filter(slug=slug).exists()
    # Its own address, a legal page's named one, and a free word are fine.
    assert client.post("/admin/pages/page/add/", data | {"slug": "questions"}).status_code == 302


def test_the_team_entry_and_the_legal_pages_keep_their_addresses(client, legal_reviewer):
    client.force_login(legal_reviewer)
    assert client.post("/admin/pages/page/add/", form_data()).status_code == 302  # /imprint/
    team = form_data(kind="team", review_role="editorial", title="Our team", slug="team", in_footer="on")
    assert client.post("/admin/pages/page/add/", team).status_code == 302


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ("[{", "Enter a valid JSON"),
        ('[{"type": "faq", "items": [{"question": "Q?"}]}]', "Block 1: entry 1 needs “answer” as text"),
        ('[{"type": "cta", "text": "<b>Hi</b>", "label": "Go"}]', "contains HTML"),
    ],
)
def test_invalid_blocks_get_a_message_not_an_error_page(client, editor, blocks, message):
    client.force_login(editor)
    response = client.post("/admin/pages/page/add/", form_data(blocks=blocks))
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors)


def test_renaming_a_published_page_keeps_a_redirect(client, legal_reviewer):
    page = make_page(published=True, slug="imprint", kind="imprint", review_role="legal", title="Imprint")
    client.force_login(legal_reviewer)
    response = client.post(change_url(page), form_data(slug="legal-notice"))
    assert response.status_code == 302
    assert PageRedirect.objects.get().new_slug == "legal-notice"
    client.logout()
    response = client.get("/imprint/")
    assert response.status_code == 301 and response["Location"] == "/legal-notice/"


def test_an_editors_change_to_a_published_page_waits_for_review(client, editor, legal_reviewer, commit):
    page = make_page(published=True, body="Published words.")
    client.force_login(editor)
    edit = form_data(body="Changed words.", kind="faq", review_role="editorial", slug="faq", title="FAQ")
    response = client.post(change_url(page), edit, follow=True)
    assert any("saved as a draft" in message for message in messages_of(response))
    page.refresh_from_db()
    assert (page.body, page.status, page.has_pending_changes) == ("Changed words.", "draft", True)
    client.logout()
    html = client.get("/faq/").text
    assert "Published words." in html and "Changed words." not in html  # the public keeps the published copy

    client.force_login(editor)
    client.post(change_url(page), {**edit, "_workflow": "submit_for_review"})
    client.force_login(legal_reviewer)
    with commit():
        client.post(change_url(page), {**edit, "_workflow": "publish"})
    page.refresh_from_db()
    assert (page.status, page.has_pending_changes) == ("published", False)
    client.logout()
    assert "Changed words." in client.get("/faq/").text
    actions = list(PageTransition.objects.filter(page=page).order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["edit_published", "submit_for_review", "publish"]


def test_history_shows_a_diff_and_restores_as_a_draft(client, editor, legal_reviewer):
    page = make_page(status="in_review", body="First words.")
    services.page_publish(page=page, user=legal_reviewer)
    client.force_login(legal_reviewer)
    client.post(change_url(page), form_data(body="Second words.", kind="faq", review_role="editorial", slug="faq"))
    page.refresh_from_db()
    assert page.body == "Second words."
    html = client.get(f"/admin/pages/page/{page.pk}/history/").text
    assert "<del>First words.</del>" in html and "<ins>Second words.</ins>" in html
    first = page.history.order_by("history_date").first()
    response = client.post(f"/admin/pages/page/{page.pk}/history/{first.history_id}/restore/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.body, page.status) == ("First words.", "draft")


def test_other_roles_do_not_reach_pages(client, triage_user):
    client.force_login(triage_user)
    assert client.get(CHANGELIST).status_code == 403


@pytest.mark.parametrize("count", [1, 12])
def test_changelist_runs_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries, count):
    for number in range(count):
        make_page(slug=f"page-{number}", title=f"Page {number}")
    client.force_login(editor)
    with django_assert_max_num_queries(14):
        assert client.get(CHANGELIST).status_code == 200


def test_a_menu_change_in_the_admin_shows_on_every_page_at_once(client, legal_reviewer, commit):
    page = make_page(
        published=True, slug="imprint", kind="imprint", review_role="legal", title="Imprint", in_footer=True
    )
    for url in ("/", "/imprint/"):
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == "hit"
        assert 'href="/imprint/"' in client.get(url).text.split("</header>")[1]
    client.force_login(legal_reviewer)
    with commit():
        client.post(change_url(page), form_data(in_footer="", in_header="on"))
    client.logout()
    for url in ("/", "/imprint/"):
        header, footer = client.get(url).text.split("</header>")
        assert 'href="/imprint/"' in header and 'href="/imprint/"' not in footer, url


# --- who decides a page's reviewer: the stored page, never the form that wants to change it ---------


def test_a_reviewer_cannot_downgrade_a_live_legal_page_to_publish_it(client, medical_reviewer, commit):
    page = make_page(
        published=True, slug="imprint", kind="imprint", review_role="legal", title="Imprint", body="Reviewed text."
    )
    client.force_login(medical_reviewer)
    assert 'name="review_role"' not in client.get(change_url(page)).text  # locked for them
    with commit():
        client.post(change_url(page), form_data(kind="other", review_role="editorial", body="Unreviewed text."))
    page.refresh_from_db()
    assert (page.kind, page.review_role) == ("imprint", "legal")
    assert page.status != "published" and page.live["body"] == "Reviewed text."
    client.logout()
    html = client.get("/imprint/").text
    assert "Reviewed text." in html and "Unreviewed text." not in html


def test_an_editor_cannot_downgrade_a_drafts_reviewer(client, editor, medical_reviewer):
    page = make_page(slug="policy", kind="editorial_policy", review_role="medical", title="Policy")
    client.force_login(editor)
    data = form_data(slug="policy", title="Policy", kind="other", review_role="editorial", body="New words.")
    assert client.post(change_url(page), data).status_code == 302
    page.refresh_from_db()
    assert (page.body, page.kind, page.review_role) == ("New words.", "editorial_policy", "medical")
    legal_draft = make_page(slug="imprint", kind="imprint", review_role="legal", title="Imprint")
    client.post(change_url(legal_draft), form_data(kind="other", review_role="editorial"))
    legal_draft.refresh_from_db()
    assert (legal_draft.kind, legal_draft.review_role) == ("imprint", "legal")
    services.page_submit_for_review(page=legal_draft, user=editor)
    with pytest.raises(services.TransitionNotAllowed):
        services.page_publish(page=legal_draft, user=medical_reviewer)


def test_the_publish_check_reads_the_stored_role_and_takes_the_stricter(medical_reviewer, legal_reviewer):
    page = make_page(published=True, slug="imprint", kind="imprint", review_role="legal", title="Imprint")
    page.kind, page.review_role = "other", "editorial"  # what a form wants, not saved yet
    assert not services.workflow.can_publish(medical_reviewer, page)
    assert services.workflow.can_publish(legal_reviewer, page)
    # Leaving a legal kind needs a legal reviewer too, whatever role was stored with it.
    other = make_page(slug="notes", kind="other", review_role="editorial", title="Notes")
    other.kind, other.review_role = "privacy", "legal"
    assert not services.workflow.can_publish(medical_reviewer, other)


# --- what changes the public page: locked for writers on a live page, refreshed on every save -----


def test_an_editor_cannot_take_a_live_page_down_by_its_expiry(client, editor, commit):
    page = make_page(published=True, body="Published words.")
    client.force_login(editor)
    yesterday = "2000-01-01T10:00"
    with commit():
        client.post(change_url(page), form_data(kind="faq", review_role="editorial", slug="faq", expires_at=yesterday))
    page.refresh_from_db()
    assert page.expires_at is None and not page.is_sample
    client.logout()
    assert client.get("/faq/").status_code == 200


def test_a_reviewers_change_to_a_live_page_shows_on_the_very_next_request(client, editor, legal_reviewer, commit):
    page = make_page(published=True, body="Published words.")
    edit = form_data(kind="faq", review_role="editorial", slug="faq", title="FAQ", body="Pending words.")
    client.force_login(editor)
    with commit():
        client.post(change_url(page), edit)  # a pending change: the page is a draft with a live copy
    client.logout()
    client.get("/faq/")
    assert client.get("/faq/").get("X-Page-Cache") == "hit"
    client.force_login(legal_reviewer)
    with commit():
        client.post(change_url(page), edit | {"expires_at": "2000-01-01T10:00"})
    client.logout()
    assert client.get("/faq/").status_code == 404


def test_the_publication_filter_agrees_with_what_the_public_sees(client, editor, legal_reviewer):
    now = timezone.now()
    live = make_page(published=True, slug="live", title="Live page")
    pending = make_page(
        published=True, slug="pending", title="Pending page", expires_at=now - datetime.timedelta(hours=1)
    )
    pending.status = "draft"  # an editor's change waits for review; the live copy expired
    pending.save()
    scheduled = make_page(published=True, slug="soon", title="Soon page", publish_at=now + datetime.timedelta(days=1))
    client.force_login(editor)
    for value, expected in (("live", {live}), ("expired", {pending}), ("scheduled", {scheduled})):
        text = client.get(CHANGELIST, {"publication": value}).text
        shown = {page for page in (live, pending, scheduled) if f">{page.title}<" in text}
        assert shown == expected, value
    for page in (live, pending, scheduled):
        page.refresh_from_db()
        assert page.is_public == Page.objects.published().filter(pk=page.pk).exists()

"""Site pages as staff meet them: the admin, with the shared workflow buttons and checks."""

import json

import pytest

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
    from pages import services

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

"""The workflow's permission matrix as staff meet it: through the admin."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleStatus, ArticleTransition
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"


def change_url(article):
    return f"/admin/articles/article/{article.pk}/change/"


def form_data(**overrides):
    data = {
        "title": "Lutetium-177 therapy for NET",
        "slug": "lutetium-177-therapy-for-net",
        "language": "en",
        "standfirst": "What the therapy is and who can have it.",
        "body": "## What it is\n\nA radioactive medicine.",
        "lead_image": "",
        "expires_at_0": "",
        "expires_at_1": "",
        "review_interval_months": "12",
        "references-TOTAL_FORMS": "0",
        "references-INITIAL_FORMS": "0",
        "references-MIN_NUM_FORMS": "0",
        "references-MAX_NUM_FORMS": "1000",
        "_save": "Save",
    }
    data.update(overrides)
    return data


def run_action(client, action, *articles, **extra):
    return client.post(
        CHANGELIST,
        {"action": action, ACTION_CHECKBOX_NAME: [a.pk for a in articles], **extra},
        follow=True,
    )


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_an_editor_writes_a_draft_and_submits_it(client, editor):
    client.force_login(editor)
    response = client.post("/admin/articles/article/add/", form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(slug="lutetium-177-therapy-for-net")
    assert (article.status, article.created_by) == (ArticleStatus.DRAFT, editor)

    response = client.post(change_url(article), form_data(_workflow="submit_for_review"), follow=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert any("In review" in message for message in messages_of(response))
    assert ArticleTransition.objects.get(article=article).actor == editor


def test_an_editor_cannot_publish_schedule_or_archive(client, editor):
    article = ArticleFactory(slug="in-review", status="in_review")
    client.force_login(editor)
    page = client.get(CHANGELIST).text
    assert 'value="submit_for_review"' in page
    for action in ("publish", "schedule", "archive", "record_review"):
        assert f'value="{action}"' not in page
        run_action(client, action, article, publish_at="2099-01-01T10:00", apply="1")
        article.refresh_from_db()
        assert article.status == ArticleStatus.IN_REVIEW
    # Nor through the buttons under the article.
    response = client.post(change_url(article), form_data(_workflow="publish"), follow=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert "Only medical reviewers may publish articles." in messages_of(response)
    assert 'value="publish"' not in client.get(change_url(article)).text


def test_an_editor_sees_why_a_step_is_refused(client, editor):
    article = ArticleFactory(slug="published", published=True)
    client.force_login(editor)
    response = run_action(client, "submit_for_review", article)
    assert any("Only a draft can be submitted" in message for message in messages_of(response))


def test_an_editor_cannot_change_the_text_once_submitted(client, editor):
    article = ArticleFactory(slug="in-review", status="in_review", body="Reviewed text.")
    client.force_login(editor)
    page = client.get(change_url(article)).text
    assert 'name="body"' not in page  # shown read-only
    client.post(change_url(article), form_data(slug="in-review", body="Sneaky change."))
    article.refresh_from_db()
    assert article.body == "Reviewed text."


def test_a_reviewer_publishes_schedules_and_archives(client, medical_reviewer):
    first, second = ArticleFactory(slug="one", status="in_review"), ArticleFactory(slug="two", status="in_review")
    client.force_login(medical_reviewer)

    client.post(change_url(first), form_data(slug="one", _workflow="publish"))
    first.refresh_from_db()
    assert first in Article.objects.published()
    assert (first.medical_reviewer, first.last_reviewed_on) == (medical_reviewer, timezone.localdate())

    assert "Publish at" in run_action(client, "schedule", second).text  # asks for the time first
    when = timezone.localtime() + datetime.timedelta(days=2)
    response = run_action(client, "schedule", second, publish_at=when.strftime("%Y-%m-%dT%H:%M"), apply="1")
    second.refresh_from_db()
    assert second.is_scheduled
    assert any("1 article scheduled" in message for message in messages_of(response))

    run_action(client, "archive", first)
    first.refresh_from_db()
    assert first.status == ArticleStatus.ARCHIVED
    assert first not in Article.objects.published()


def test_scheduling_in_the_past_is_refused_with_a_message(client, medical_reviewer):
    article = ArticleFactory(slug="one", status="in_review")
    client.force_login(medical_reviewer)
    response = run_action(client, "schedule", article, publish_at="2020-01-01T10:00", apply="1")
    assert "Choose a time in the future." in response.text
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_a_reviewers_change_to_a_published_text_is_a_new_reviewed_revision(client, medical_reviewer):
    article = ArticleFactory(slug="live", status="in_review")
    services.article_publish(article=article, user=medical_reviewer)
    ArticleTransition.objects.all().delete()
    client.force_login(medical_reviewer)
    response = client.post(change_url(article), form_data(slug="live", body="Corrected dose."), follow=True)
    article.refresh_from_db()
    assert article.body == "Corrected dose."
    assert article in Article.objects.published()
    assert ArticleTransition.objects.get(article=article).action == "record_review"
    assert article.history.filter(history_change_reason="reviewed edit").exists()
    assert any("medically reviewed revision" in message for message in messages_of(response))


@pytest.mark.parametrize("role_fixture", ["editor", "medical_reviewer"])
def test_nobody_but_a_superuser_deletes_articles(request, client, role_fixture):
    article = ArticleFactory(slug="keep")
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(f"/admin/articles/article/{article.pk}/delete/").status_code == 403


@pytest.mark.parametrize("role_fixture", ["triage_user", "directory_maintainer"])
def test_other_roles_do_not_reach_articles_in_the_admin(request, client, role_fixture):
    article = ArticleFactory(slug="hidden")
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(article)).status_code == 403


def test_preview_is_for_staff_who_may_see_articles(client, editor, triage_user):
    article = ArticleFactory(slug="secret-draft", title="Draft title")
    url = f"/articles/preview/{article.pk}/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    client.force_login(triage_user)
    assert client.get(url).status_code == 404
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert "Draft title" in response.text
    assert "Preview" in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    # The public address of the same draft stays a 404.
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_change_form_links_to_the_preview(client, editor):
    article = ArticleFactory(slug="draft")
    client.force_login(editor)
    assert f'href="/articles/preview/{article.pk}/"' in client.get(change_url(article)).text


def test_history_shows_a_readable_diff_and_restores_a_version_as_a_draft(client, editor, medical_reviewer):
    client.force_login(editor)
    client.post("/admin/articles/article/add/", form_data(body="Dose is 7.4 GBq.\n\nSecond line."))
    article = Article.objects.get()
    client.post(change_url(article), form_data(body="Dose is 7.4 GBq.\n\nSecond line changed."))
    client.post(change_url(article), form_data(_workflow="submit_for_review"))
    client.force_login(medical_reviewer)
    client.post(change_url(article), form_data(_workflow="publish"))

    page = client.get(f"/admin/articles/article/{article.pk}/history/").text
    assert "<del>Second line.</del>" in page
    assert "<ins>Second line changed.</ins>" in page
    assert "Restore this version as a draft" in page

    first = article.history.earliest()
    response = client.post(f"/admin/articles/article/{article.pk}/history/{first.history_id}/restore/", follow=True)
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert article.body == "Dose is 7.4 GBq.\n\nSecond line."
    assert any("restored as a draft" in message for message in messages_of(response))
    # Restoring is a POST only.
    assert client.get(f"/admin/articles/article/{article.pk}/history/{first.history_id}/restore/").status_code == 403


def test_an_editor_cannot_unpublish_by_restoring(client, editor, medical_reviewer):
    article = ArticleFactory(slug="live", status="in_review")
    services.article_publish(article=article, user=medical_reviewer)
    version = article.history.earliest()
    client.force_login(editor)
    assert "Restore this version" not in client.get(f"/admin/articles/article/{article.pk}/history/").text
    response = client.post(f"/admin/articles/article/{article.pk}/history/{version.history_id}/restore/", follow=True)
    article.refresh_from_db()
    assert article in Article.objects.published()
    assert any("Only medical reviewers may restore" in message for message in messages_of(response))


def test_review_due_warning_and_filter(client, editor):
    today = timezone.localdate()
    overdue = ArticleFactory(slug="overdue", title="Overdue one", published=True, review_due_on=today)
    ArticleFactory(slug="fine", title="Fine one", published=True)
    client.force_login(editor)
    response = client.get(CHANGELIST)
    assert any("need" in message and "medical review" in message for message in messages_of(response))
    assert "Overdue" in response.text
    filtered = client.get(CHANGELIST + "?review=due")
    assert list(filtered.context["cl"].result_list) == [overdue]


def test_changelist_options_are_the_ones_django_uses(client, editor):
    """Misspelt admin options are silently ignored: check them against what the changelist got."""
    client.force_login(editor)
    changelist = client.get(CHANGELIST).context["cl"]
    assert changelist.list_select_related == ["medical_reviewer"]
    assert changelist.date_hierarchy == "updated_at"
    assert changelist.search_fields == ["title", "slug", "standfirst"]


@pytest.mark.parametrize("count", [5, 60])
def test_changelist_runs_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries, count):
    for number in range(count):
        ArticleFactory(slug=f"a-{number}", published=number % 2 == 0)
    client.force_login(editor)
    # 12, plus two prefetches for the "translations" column (each article's and its source's versions).
    with django_assert_max_num_queries(14):
        assert client.get(CHANGELIST).status_code == 200


def test_a_reviewer_records_a_review_from_the_list(client, medical_reviewer):
    today = timezone.localdate()
    article = ArticleFactory(slug="old", published=True, review_due_on=today - datetime.timedelta(days=3))
    client.force_login(medical_reviewer)
    response = run_action(client, "record_review", article)
    article.refresh_from_db()
    assert (article.last_reviewed_on, article.medical_reviewer) == (today, medical_reviewer)
    assert article.review_due_on > today
    assert any("Review recorded for 1 article." in message for message in messages_of(response))


def test_changing_the_review_interval_moves_the_due_date(client, medical_reviewer):
    article = ArticleFactory(slug="live", status="in_review")
    services.article_publish(article=article, user=medical_reviewer)
    client.force_login(medical_reviewer)
    client.post(change_url(article), form_data(slug="live", body=article.body, review_interval_months="3"))
    article.refresh_from_db()
    assert article.review_due_on == services.review_due_date(article.last_reviewed_on, 3)


def test_publication_filter_separates_live_scheduled_and_expired(client, editor):
    now = timezone.now()
    live = ArticleFactory(slug="live", published=True)
    scheduled = ArticleFactory(slug="later", status="published", publish_at=now + datetime.timedelta(days=1))
    expired = ArticleFactory(
        slug="gone", status="published", publish_at=now - datetime.timedelta(days=9), expires_at=now
    )
    ArticleFactory(slug="draft")
    client.force_login(editor)
    for value, expected in (("live", live), ("scheduled", scheduled), ("expired", expired)):
        response = client.get(CHANGELIST, {"publication": value})
        assert list(response.context["cl"].result_list) == [expected], value
    assert "Scheduled for" in client.get(CHANGELIST).text


def test_an_editor_cannot_change_the_references_of_a_published_article(client, editor):
    article = ArticleFactory(slug="live", published=True)
    reference = article.references.create(position=1, citation="Original citation")
    client.force_login(editor)
    client.post(
        change_url(article),
        form_data(
            slug="live",
            **{
                "references-TOTAL_FORMS": "1",
                "references-INITIAL_FORMS": "1",
                "references-0-id": str(reference.pk),
                "references-0-article": str(article.pk),
                "references-0-position": "1",
                "references-0-citation": "Forged citation",
                "references-0-DELETE": "on",
            },
        ),
    )
    assert list(article.references.values_list("citation", flat=True)) == ["Original citation"]


# The workflow matrix through the admin's actions: (role, action, from status) -> status afterwards.
MATRIX = [
    ("editor", "submit_for_review", "draft", "in_review"),
    ("editor", "publish", "in_review", "in_review"),
    ("editor", "archive", "published", "published"),
    ("editor", "return_to_draft", "in_review", "draft"),
    ("editor", "return_to_draft", "published", "published"),
    ("editor", "return_to_draft", "archived", "archived"),
    ("medical_reviewer", "submit_for_review", "draft", "in_review"),
    ("medical_reviewer", "publish", "in_review", "published"),
    ("medical_reviewer", "publish", "draft", "draft"),
    ("medical_reviewer", "archive", "published", "archived"),
    ("medical_reviewer", "return_to_draft", "published", "draft"),
    ("medical_reviewer", "return_to_draft", "archived", "draft"),
    ("triage_user", "submit_for_review", "draft", "draft"),
    ("directory_maintainer", "submit_for_review", "draft", "draft"),
]


@pytest.mark.parametrize(("role_fixture", "action", "before", "after"), MATRIX)
def test_workflow_matrix_through_the_admin(request, client, role_fixture, action, before, after):
    article = ArticleFactory(slug="matrix", status=before, publish_at=timezone.now() - datetime.timedelta(days=1))
    client.force_login(request.getfixturevalue(role_fixture))
    run_action(client, action, article)
    article.refresh_from_db()
    assert article.status == after
    assert ArticleTransition.objects.filter(article=article).exists() == (before != after)


def test_authors_are_chosen_from_the_people_who_write(client, editor, medical_reviewer, triage_user):
    client.force_login(editor)
    choices = client.get("/admin/articles/article/add/").context["adminform"].form.fields["authors"].queryset
    assert set(choices) == {editor, medical_reviewer}


def test_preview_and_draft_image_need_the_second_factor_when_it_is_required(client, editor, second_factor_required):
    from images.renditions import largest_url
    from tests.factories import ImageFactory

    image = ImageFactory()
    article = ArticleFactory(slug="secret-draft", title="Draft title", lead_image=image)
    client.force_login(editor)  # the password only, no second factor given yet
    response = client.get(f"/articles/preview/{article.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/account/second-factor/enrol/")
    assert client.get(largest_url(image)).status_code == 404

"""The publishing journey in a real browser: an editor writes, a reviewer publishes, a visitor reads."""

import pytest

from tests.factories import TEST_PASSWORD
from tests.roles import restore_roles

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _roles(transactional_db):
    restore_roles()


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/login/?next=/admin/articles/article/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Select article to change").wait_for()


def test_editor_writes_reviewer_publishes_visitor_reads(page, axe_check, screenshot, editor, medical_reviewer):
    # The editor writes a draft and submits it for review.
    log_in(page, "editor")
    page.get_by_role("link", name="Add article").click()
    page.get_by_label("Title:").fill("Proton therapy for children")
    page.get_by_label("Standfirst:").click()  # the slug is filled in from the title
    assert page.get_by_label("Slug:").input_value() == "proton-therapy-for-children"
    page.get_by_label("Standfirst:").fill("How proton beams spare healthy tissue in growing bodies.")
    page.get_by_label("Body:").fill(
        "## How it works\n\nProtons stop **inside** the tumour.\n\n## Who can have it\n\nMany children."
    )
    axe_check(page)
    page.get_by_role("button", name="Save and submit for review").click()
    page.get_by_text("is now: In review").wait_for()
    assert page.get_by_role("button", name="Save and publish now").count() == 0
    screenshot(page, "editor-submitted")

    # The medical reviewer opens it and publishes it.
    log_in(page, "reviewer")
    page.get_by_role("link", name="Proton therapy for children").click()
    page.get_by_role("button", name="Save and publish now").click()
    page.get_by_text("is now: Published").wait_for()

    # A visitor finds it on /articles/ with the search box, opens it, and the page is accessible.
    page.context.clear_cookies()
    page.goto("/articles/")
    page.get_by_label("Search articles").fill("proton")
    page.get_by_role("button", name="Search").click()
    page.get_by_text("1 article found.").wait_for()
    axe_check(page)
    page.get_by_role("link", name="Proton therapy for children").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Proton therapy for children"
    assert page.get_by_text("Medically reviewed by").is_visible()
    page.get_by_role("link", name="Who can have it").click()  # the table of contents works
    assert page.url.endswith("#who-can-have-it")
    axe_check(page)
    screenshot(page, "article")


def test_article_page_on_a_phone(phone_page, axe_check, screenshot):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo_content", stdout=StringIO())
    phone_page.goto("/articles/treating-neuroendocrine-tumours-in-germany/")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)
    screenshot(phone_page)
    phone_page.goto("/articles/")
    axe_check(phone_page)
    phone_page.goto("/")
    phone_page.get_by_role("heading", name="Featured articles").wait_for()  # chosen on the home page (content)
    axe_check(phone_page)


def test_reviewer_reads_the_history_restores_a_version_and_previews_it(page, axe_check, screenshot, medical_reviewer):
    from articles import services
    from tests.factories import ArticleFactory

    article = ArticleFactory(slug="dose-guide", title="Dose guide", body="## Dose\n\nOld dose: 7.4 GBq.")
    article.body = "## Dose\n\nNew dose: 7.4 GBq per cycle."
    article.save()
    services.article_submit_for_review(article=article, user=medical_reviewer)
    services.article_publish(article=article, user=medical_reviewer)

    log_in(page, "reviewer")
    axe_check(page)  # the changelist
    page.get_by_role("link", name="Dose guide").click()
    axe_check(page)  # the change form with its workflow buttons
    page.get_by_role("link", name="History").click()
    page.get_by_role("heading", name="History of “Dose guide”").wait_for()
    assert page.locator("del", has_text="Old dose").count() == 1
    axe_check(page)
    screenshot(page, "history")
    page.get_by_role("button", name="Restore this version as a draft").last.click()
    page.get_by_text("restored as a draft").wait_for()

    page.get_by_role("link", name="Preview").first.click()
    page.get_by_text("This is how the article will look to the public.").wait_for()
    assert "Old dose" in page.locator("article.article").inner_text()
    axe_check(page)


def test_a_german_reader_and_a_draft_address(page, axe_check):
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo_content", stdout=StringIO())
    page.goto("/articles/")
    page.get_by_role("button", name="Deutsch").click()
    page.get_by_role("heading", level=1, name="Behandlungen & Artikel").wait_for()
    page.get_by_role("link", name="Neuroendokrine Tumoren: Behandlung in Deutschland").click()
    assert page.locator("article.article").get_attribute("lang") == "de"
    assert page.get_by_text("Ärztlich geprüft von").is_visible()
    axe_check(page)
    # A draft's address is a plain 404 for the public.
    page.allowed_console_errors.append("status of 404")
    assert page.goto("/articles/lung-cancer-surgery-and-targeted-therapy/").status == 404

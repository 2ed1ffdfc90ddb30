"""Error pages found in review (issue 10): a refused form and too large an upload, in both languages."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def _submit_without_form_cookie(page, live_server, language):
    page.goto("/inquiry/")
    page.context.clear_cookies()  # the CSRF cookie is gone: the post is refused
    if language == "de":
        page.context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    page.allowed_console_errors.append("status of 403")
    with page.expect_navigation():
        page.locator("form.inquiry-form button[type=submit]").click()


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "This form could not be sent"), ("de", "Dieses Formular konnte nicht gesendet werden")],
)
def test_a_refused_form_gets_our_page(page, live_server, axe_check, screenshot, language, heading):
    _submit_without_form_cookie(page, live_server, language)
    assert page.get_by_role("heading", level=1).inner_text() == heading
    assert page.locator("html").get_attribute("lang") == language
    axe_check(page)
    screenshot(page)

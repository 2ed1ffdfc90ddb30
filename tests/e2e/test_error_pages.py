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


@pytest.fixture
def small_upload_limit(settings):
    """A 1 MB limit for the documents: the body cap becomes 1 MB plus Django's 2.5 MB for fields."""
    settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES = 1024 * 1024
    return {"name": "Befund.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n" + b"0" * (4 * 1024 * 1024)}


def test_too_large_files_are_caught_before_sending_and_nothing_typed_is_lost(
    page, axe_check, screenshot, small_upload_limit
):
    page.goto("/inquiry/")
    page.get_by_label("Patient's full name").fill("Olena Example")
    documents = page.get_by_label("Medical documents (optional)")
    documents.set_input_files([small_upload_limit])
    warning = page.locator("#documents-too-large")
    assert warning.is_visible()
    page.get_by_role("button", name="Send the inquiry").click()
    assert page.url.endswith("/inquiry/")  # not sent
    assert documents.evaluate("element => element === document.activeElement")
    assert documents.get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Patient's full name").input_value() == "Olena Example"
    axe_check(page)
    screenshot(page)
    documents.set_input_files([])
    assert warning.is_hidden()


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "Nothing was sent."), ("de", "Es wurde nichts gesendet.")],
)
def test_too_large_a_post_gets_the_form_again_with_the_reason(
    page, live_server, axe_check, screenshot, small_upload_limit, language, message
):
    """What a browser without JavaScript (or with the check bypassed) gets: refused unread, HTTP 413."""
    if language == "de":
        page.context.add_cookies([{"name": "django_language", "value": "de", "url": live_server.url}])
    page.allowed_console_errors.append("status of 413")
    page.goto("/inquiry/")
    documents = page.locator("#id_documents")
    documents.evaluate("element => element.removeAttribute('data-max-total-bytes')")  # skip the page's check
    documents.set_input_files([small_upload_limit])
    with page.expect_navigation() as navigation:
        page.locator("form.inquiry-form button[type=submit]").click()
    assert navigation.value.status == 413
    summary = page.locator("#error-summary")
    assert message in summary.inner_text()
    assert summary.evaluate("element => element === document.activeElement")
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("input[name=submission_token]").count() == 1  # the form, ready again
    axe_check(page)
    screenshot(page)

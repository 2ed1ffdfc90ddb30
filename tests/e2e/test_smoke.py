import pytest

from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("site_pages")]


def test_home_page_in_a_real_browser_is_accessible(page, axe_check, screenshot):
    page.goto("/")
    assert page.title() == "Care Bridge Germany"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Medical treatment in Germany")
    axe_check(page)
    screenshot(page)


def test_the_skip_link_moves_keyboard_focus_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_switching_to_german_and_back(page, axe_check):
    page.goto("/privacy/")
    page.get_by_role("button", name="Deutsch").click()
    page.wait_for_url("**/privacy/")
    assert page.get_by_role("heading", level=1).inner_text() == "Datenschutzerklärung"
    assert page.locator("html").get_attribute("lang") == "de"
    axe_check(page)
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy notice"


def test_home_page_on_a_phone_has_a_working_menu(phone_page, axe_check, screenshot):
    phone_page.goto("/")
    menu_button = phone_page.get_by_role("button", name="Show menu")
    assert menu_button.is_visible()
    menu_button.click()
    phone_page.get_by_role("link", name="Imprint").first.wait_for()
    deutsch = phone_page.get_by_role("button", name="Deutsch")
    deutsch.wait_for(state="visible")
    # Nothing wider than the screen: no sideways scrolling on a 360-pixel phone.
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 360
    axe_check(phone_page)
    screenshot(phone_page)


def test_error_page_in_a_real_browser_is_accessible(page, axe_check):
    page.allowed_console_errors.append("status of 404")
    response = page.goto("/this-page-does-not-exist/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "We could not find this page"
    axe_check(page)


def test_staff_log_in_to_the_branded_admin(page, axe_check, screenshot, superuser):
    page.goto("/admin/")
    assert "Care Bridge Germany" in page.locator("#site-name").inner_text()
    axe_check(page)
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Work areas").wait_for()
    axe_check(page)
    screenshot(page)

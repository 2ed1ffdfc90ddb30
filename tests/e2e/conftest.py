"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Each test gets a fresh browser context; any console error or uncaught page error fails it
(a Content-Security-Policy violation shows up as one). `axe_check(page)` runs the vendored
axe-core on the current page and fails on serious or critical violations.
"""

import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import testcases

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, handling one request at a time when it shares the test's database connection.

    On SQLite the test database lives in memory, and pytest-django hands its one connection to the
    server's threads (`connections_override`). A page and its image renditions or the admin's
    jsi18n then ran on that connection at once, which Python's sqlite3 does not survive: wrong
    rows, an IndexError, a session that seems gone (a staff member sent to the login page).
    Requests still arrive in parallel; the application runs them one after another. PostgreSQL
    gives each thread its own connection and is left as it is.
    """

    _one_at_a_time = threading.Lock()

    def set_app(self, application):
        if not self.connections_override:
            return super().set_app(application)

        def one_at_a_time(environ, start_response):
            with self._one_at_a_time:
                return application(environ, start_response)

        return super().set_app(one_at_a_time)


testcases.LiveServerThread.server_class = OneRequestAtATimeServer


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(item.fspath).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Browser tests need Chromium at {CHROMIUM}: run `make test` as root, or `apt-get install chromium`."
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def _watched_page(browser, live_server, **context_options):
    """A page in a fresh context that records console errors; a test may allow expected ones."""
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    # Substrings of errors a test provokes on purpose, e.g. the 404 of a page it opens.
    page.allowed_console_errors = []
    page.on("console", lambda message: page.console_errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return context, page


def _unexpected_errors(page):
    return [e for e in page.console_errors if not any(allowed in e for allowed in page.allowed_console_errors)]


@pytest.fixture
def page(browser, live_server):
    context, page = _watched_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()
    assert _unexpected_errors(page) == [], "Browser console errors"


@pytest.fixture
def phone_page(browser, live_server):
    """A 360-pixel-wide phone screen."""
    context, page = _watched_page(
        browser, live_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()
    assert _unexpected_errors(page) == [], "Browser console errors"


def _axe_check(page, *, context=None):
    """Run axe-core on the page and fail on serious or critical violations."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url="/static/vendor/axe-core/axe.min.js")
    results = page.evaluate(
        "async (context) => await axe.run(context || document, {resultTypes: ['violations']})", context
    )
    serious = [v for v in results["violations"] if v["impact"] in ("serious", "critical")]
    details = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in serious]
    assert not serious, "Accessibility violations:\n" + "\n".join(details)
    return results


@pytest.fixture
def axe_check():
    return _axe_check


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot under test-artifacts/ (git-ignored), named after the test."""

    def take(page, name=""):
        ARTIFACTS.mkdir(exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "_", request.node.name + (f"-{name}" if name else ""))
        path = ARTIFACTS / f"{stem}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take

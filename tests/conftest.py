import datetime
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from staff import roles
from tests.factories import StaffUserFactory
from tests.roles import restore_roles


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: no page cached by one test is served in another."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _test_configuration(settings, tmp_path):
    """The real settings, with four test-only changes that make the suite fast and hermetic."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files go to a fresh folder per test, never to var/.
    settings.MEDIA_ROOT = tmp_path / "private-media"
    # Static files from the finders: the hashed manifest is built once, in its own test.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # `client.force_login(staff_user)` and the browser tests' password logins open the admin as
    # before: a second factor is asked for only of accounts that have one. The tests of the
    # requirement itself turn it on (`settings.STAFF_REQUIRE_SECOND_FACTOR = True`, or the
    # `second_factor_required` fixture); see docs/staff-security.md.
    settings.STAFF_REQUIRE_SECOND_FACTOR = False


# Every test that is not a browser test runs on a pinned clock: "now" starts at this instant and
# ticks on from there. CI sets PORTAL_TEST_NOW to the edges of a Berlin day and to the days the
# clocks change, so a test that only passes at some hours fails there instead of at random.
DEFAULT_TEST_NOW = "2026-12-02T14:30:00"
BERLIN = ZoneInfo("Europe/Berlin")


def pinned_now():
    """The instant the suite's clock starts at: PORTAL_TEST_NOW (Berlin wall time, ISO) or the default."""
    moment = datetime.datetime.fromisoformat(os.environ.get("PORTAL_TEST_NOW") or DEFAULT_TEST_NOW)
    return moment if moment.tzinfo else moment.replace(tzinfo=BERLIN)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    # Browser tests run on the real clock: Chromium is another process with its own time, and its
    # cookies and timers must agree with the server's.
    if request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(pinned_now(), tick=True) as traveller:
        yield traveller


@pytest.fixture
def second_factor_required(settings):
    """Production's rule: staff without a second factor must enrol before they see the admin."""
    settings.STAFF_REQUIRE_SECOND_FACTOR = True


@pytest.fixture
def editor(db):
    restore_roles()
    return StaffUserFactory(username="editor", roles=[roles.EDITORS])


@pytest.fixture
def medical_reviewer(db):
    restore_roles()
    return StaffUserFactory(username="reviewer", roles=[roles.MEDICAL_REVIEWERS])


@pytest.fixture
def triage_user(db):
    restore_roles()
    return StaffUserFactory(username="triage", roles=[roles.TRIAGE_STAFF])


@pytest.fixture
def directory_maintainer(db):
    restore_roles()
    return StaffUserFactory(username="directory", roles=[roles.DIRECTORY_MAINTAINERS])


@pytest.fixture
def superuser(db):
    return StaffUserFactory(username="admin", is_superuser=True)


@pytest.fixture
def page_cache_schedule(db):
    """Compute the page cache's next timed change up front (four queries once per content version),
    so that a test pinning a page's queries counts the page alone."""
    from pagecache.versions import current_versions, entry_expiry

    def warm():
        entry_expiry(current_versions())

    return warm


@pytest.fixture
def site_pages(db):
    """The sample site pages (pages/demo.py), published: home, FAQ, imprint, privacy, disclaimer, …"""
    import io

    from pages import demo

    demo.load(stdout=io.StringIO())

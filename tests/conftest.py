import pytest

from staff import roles
from tests.factories import StaffUserFactory
from tests.roles import restore_roles


@pytest.fixture(autouse=True)
def _test_configuration(settings, tmp_path):
    """The real settings, with three test-only changes that make the suite fast and hermetic."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Uploaded files go to a fresh folder per test, never to var/.
    settings.MEDIA_ROOT = tmp_path / "private-media"
    # Static files from the finders: the hashed manifest is built once, in its own test.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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

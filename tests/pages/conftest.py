import pytest

from staff import roles
from tests.factories import StaffUserFactory
from tests.roles import restore_roles


@pytest.fixture
def legal_reviewer(db):
    restore_roles()
    return StaffUserFactory(username="lawyer", roles=[roles.LEGAL_REVIEWERS])


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the block's on-commit callbacks, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)

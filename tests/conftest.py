import pytest

from staff import roles
from tests.factories import StaffUserFactory


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


def _restore_roles():
    """Re-grant the roles after a transactional test's flush emptied the tables.

    The roles and their permissions come from data migrations, which a flush does not re-run; the
    browser tests (transactional) would otherwise find the groups gone. Re-applies every app's
    migration `GRANTS`.
    """
    from importlib import import_module
    from pkgutil import iter_modules

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    if Group.objects.filter(name__in=roles.ALL_ROLES).exists():
        return
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    for app_config in apps.get_app_configs():
        try:
            package = import_module(f"{app_config.name}.migrations")
        except ImportError:
            continue
        for module_info in iter_modules(package.__path__):
            module = import_module(f"{package.__name__}.{module_info.name}")
            for group_name, permission_names in getattr(module, "GRANTS", {}).items():
                group = Group.objects.get(name=group_name)
                for name in permission_names:
                    app_label, codename = name.split(".", 1)
                    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


@pytest.fixture
def editor(db):
    _restore_roles()
    return StaffUserFactory(username="editor", roles=[roles.EDITORS])


@pytest.fixture
def medical_reviewer(db):
    _restore_roles()
    return StaffUserFactory(username="reviewer", roles=[roles.MEDICAL_REVIEWERS])


@pytest.fixture
def triage_user(db):
    _restore_roles()
    return StaffUserFactory(username="triage", roles=[roles.TRIAGE_STAFF])


@pytest.fixture
def directory_maintainer(db):
    _restore_roles()
    return StaffUserFactory(username="directory", roles=[roles.DIRECTORY_MAINTAINERS])


@pytest.fixture
def superuser(db):
    return StaffUserFactory(username="admin", is_superuser=True)

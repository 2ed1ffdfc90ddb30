"""The staff roles (Django groups) and the helper that grants them permissions in migrations.

Each app grants its own models' permissions to these groups in a data migration of its own, so
the matrix grows with the apps and stays exact: a role holds only what a migration gave it.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "Editors"
MEDICAL_REVIEWERS = "Medical reviewers"
TRIAGE_STAFF = "Triage staff"
DIRECTORY_MAINTAINERS = "Directory maintainers"
# Review and publish the legal site pages (imprint, privacy, disclaimer); created by pages' migration.
LEGAL_REVIEWERS = "Legal reviewers"

ALL_ROLES = (EDITORS, MEDICAL_REVIEWERS, TRIAGE_STAFF, DIRECTORY_MAINTAINERS, LEGAL_REVIEWERS)


def grant_permissions(apps, grants: dict[str, list[str]]) -> None:
    """Give each named group the listed permissions ("app_label.codename"), for migrations.

    Django creates permissions only after all migrations have run, so a migration that grants
    permissions for models it just created has to create them first.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    for group_name, permission_names in grants.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".", 1)
            permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
            group.permissions.add(permission)


def revoke_permissions(apps, grants: dict[str, list[str]]) -> None:
    """The reverse of grant_permissions, so that migrations can be unapplied."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, permission_names in grants.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for permission_name in permission_names:
            app_label, codename = permission_name.split(".", 1)
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))

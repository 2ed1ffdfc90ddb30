"""Editors and medical reviewers keep the team's profiles; only a superuser deletes a person."""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

TEAM = ["people.add_person", "people.change_person", "people.view_person"]
GRANTS = {"Editors": TEAM, "Medical reviewers": TEAM}


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("staff", "0001_staff_roles")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

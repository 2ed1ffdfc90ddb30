"""Editors and medical reviewers upload and describe images; only a superuser deletes one."""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

LIBRARY = ["images.add_image", "images.change_image", "images.view_image"]
GRANTS = {"Editors": LIBRARY, "Medical reviewers": LIBRARY}


class Migration(migrations.Migration):
    dependencies = [("images", "0001_initial"), ("staff", "0001_staff_roles")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

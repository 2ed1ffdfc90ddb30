"""Triage staff read inquiries and change their status; nobody adds or deletes them in the admin."""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

GRANTS = {
    "Triage staff": [
        "inquiries.view_inquiry",
        "inquiries.change_inquiry",
        "inquiries.view_attachment",
        "taxonomy.view_treatment",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0001_initial"),
        ("staff", "0001_staff_roles"),
        ("taxonomy", "0002_role_permissions"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

"""Triage staff read and write the workspace's notes and contact log and read its logs."""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

GRANTS = {
    "Triage staff": [
        "inquiries.view_note",
        "inquiries.add_note",
        "inquiries.view_contactlogentry",
        "inquiries.add_contactlogentry",
        "inquiries.view_priorityoverride",
        "inquiries.view_accesslogentry",
        "inquiries.view_notification",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0010_triage_workspace"),
        ("staff", "0001_staff_roles"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

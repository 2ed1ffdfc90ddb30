"""Medical reviewers maintain the shared vocabulary; editors and directory maintainers pick from it."""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

GRANTS = {
    "Medical reviewers": [
        "taxonomy.add_condition",
        "taxonomy.change_condition",
        "taxonomy.view_condition",
        "taxonomy.add_treatment",
        "taxonomy.change_treatment",
        "taxonomy.view_treatment",
    ],
    "Editors": ["taxonomy.view_condition", "taxonomy.view_treatment"],
    "Directory maintainers": ["taxonomy.view_condition", "taxonomy.view_treatment"],
}


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial"), ("staff", "0001_staff_roles")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

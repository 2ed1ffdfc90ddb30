"""Directory maintainers keep the directory; nobody edits or deletes a recorded admission status.

Editors and triage staff read the directory on the public site like anyone, so they get nothing here.
"""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

GRANTS = {
    "Directory maintainers": [
        "hospitals.add_hospital",
        "hospitals.change_hospital",
        "hospitals.view_hospital",
        "hospitals.add_admissionstatus",
        "hospitals.view_admissionstatus",
        "hospitals.add_certification",
        "hospitals.change_certification",
        "hospitals.view_certification",
        "hospitals.add_hospitalcertification",
        "hospitals.change_hospitalcertification",
        "hospitals.delete_hospitalcertification",
        "hospitals.view_hospitalcertification",
        "hospitals.add_sitenotice",
        "hospitals.change_sitenotice",
        "hospitals.view_sitenotice",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("hospitals", "0001_initial"),
        ("staff", "0001_staff_roles"),
        ("taxonomy", "0002_role_permissions"),
    ]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

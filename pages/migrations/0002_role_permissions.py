"""Editors write and submit site pages; reviewers publish them: legal reviewers the legal pages
(a new role, created here), medical reviewers the pages that need a medical review, either the rest.

Nobody but a superuser deletes a page: retiring one is the "archive" workflow step.
"""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

WRITING = ["pages.add_page", "pages.change_page", "pages.view_page", "pages.view_pageredirect"]
GRANTS = {
    "Editors": WRITING,
    "Medical reviewers": [*WRITING, "pages.publish_page", "pages.publish_medical_page"],
    "Legal reviewers": [*WRITING, "pages.publish_page", "pages.publish_legal_page"],
}


def remove_legal_reviewers(apps, schema_editor):
    revoke_permissions(apps, GRANTS)
    apps.get_model("auth", "Group").objects.filter(name="Legal reviewers", permissions__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial"), ("staff", "0001_staff_roles")]

    operations = [
        migrations.RunPython(lambda apps, schema_editor: grant_permissions(apps, GRANTS), remove_legal_reviewers)
    ]

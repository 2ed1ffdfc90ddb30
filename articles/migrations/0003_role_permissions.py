"""Editors write and submit articles; medical reviewers also publish, schedule, archive and review.

Nobody but a superuser deletes an article: retiring one is the "archive" workflow step.
"""

from django.db import migrations

from staff.roles import grant_permissions, revoke_permissions

WRITING = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_reference",
    "articles.change_reference",
    "articles.delete_reference",
    "articles.view_reference",
]
GRANTS = {
    "Editors": WRITING,
    "Medical reviewers": [*WRITING, "articles.publish_article"],
}


class Migration(migrations.Migration):
    dependencies = [("articles", "0002_search_indexes"), ("staff", "0001_staff_roles")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        )
    ]

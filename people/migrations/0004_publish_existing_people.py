"""People listed before the workflow stay public: they become published, as reviewed before.

Medical reviewers publish the team's profiles from now on.
"""

from django.db import migrations
from django.utils import timezone

from staff.roles import grant_permissions, revoke_permissions

GRANTS = {"Medical reviewers": ["people.publish_person"]}


def publish_existing(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Person.objects.filter(status="draft").update(status="published", publish_at=timezone.now())


def unpublish_all(apps, schema_editor):
    Person = apps.get_model("people", "Person")
    Person.objects.update(status="draft", publish_at=None)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_workflow_and_history"), ("staff", "0001_staff_roles")]

    operations = [
        migrations.RunPython(publish_existing, unpublish_all),
        migrations.RunPython(
            lambda apps, schema_editor: grant_permissions(apps, GRANTS),
            lambda apps, schema_editor: revoke_permissions(apps, GRANTS),
        ),
    ]

"""People listed before the workflow stay public after it; reversing the migration takes them back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("people", "0003_workflow_and_history")]
AFTER = [("people", "0004_publish_existing_people")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def leaves():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_existing_people_become_published_and_reviewers_may_publish_people():
    old = migrate(BEFORE)
    person = old.get_model("people", "Person").objects.create(name="Jonas Muster", slug="jonas")
    assert person.status == "draft"
    new = migrate(AFTER)
    person = new.get_model("people", "Person").objects.get(pk=person.pk)
    assert person.status == "published" and person.publish_at is not None
    group = new.get_model("auth", "Group").objects.get(name="Medical reviewers")
    assert group.permissions.filter(codename="publish_person").exists()
    reverted = migrate(BEFORE)
    person = reverted.get_model("people", "Person").objects.get(pk=person.pk)
    assert (person.status, person.publish_at) == ("draft", None)
    assert (
        not reverted.get_model("auth", "Group")
        .objects.get(name="Medical reviewers")
        .permissions.filter(codename="publish_person")
        .exists()
    )
    migrate(leaves())

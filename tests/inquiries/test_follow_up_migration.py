"""Migration 0013 on existing data: a key per inquiry, and the access log's actor filled in past the trigger."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("inquiries", "0012_access_log_append_only")]
AFTER = [("inquiries", "0013_follow_up")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_inquiries_get_their_own_keys_and_log_rows_their_actor():
    old = migrate(BEFORE)
    Inquiry = old.get_model("inquiries", "Inquiry")
    AccessLogEntry = old.get_model("inquiries", "AccessLogEntry")
    common = {
        "submitter_role": "patient",
        "patient_name": "Sample Person",
        "birth_year": 1970,
        "country": "PL",
        "email": "sample@example.invalid",
        "contact_language": "en",
        "diagnosis": "sample",
        "is_cancer": "no",
        "doctor_two_week_start": "no",
        "symptoms_worsening": "no",
        "treatment_interrupted": "no",
        "consent_health_data": True,
    }
    first = Inquiry.objects.create(reference="2222-2222-2222", submission_token="a", **common)
    Inquiry.objects.create(reference="3333-3333-3333", submission_token="b", **common)
    AccessLogEntry.objects.create(inquiry=first, reference=first.reference, username="system", action="change")
    AccessLogEntry.objects.create(inquiry=first, reference=first.reference, username="triage", action="view")
    try:
        new = migrate(AFTER)
        keys = list(new.get_model("inquiries", "Inquiry").objects.values_list("follow_up_key", flat=True))
        assert len(set(keys)) == 2 and all(len(key) == 32 for key in keys)
        actors = dict(new.get_model("inquiries", "AccessLogEntry").objects.values_list("username", "actor"))
        assert actors == {"system": "system", "triage": "staff"}
    finally:
        migrate(executor_leaf())


def executor_leaf():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()

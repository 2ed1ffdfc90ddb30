"""The migrations to django-modeltranslation keep every value written before them."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("taxonomy", "0002_role_permissions"), ("hospitals", "0002_role_permissions")]
AFTER = [("taxonomy", "0003_translated_fields"), ("hospitals", "0004_place_and_language_names")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_values_written_in_the_old_shape_survive_the_migration():
    old = migrate(BEFORE)
    condition = old.get_model("taxonomy", "Condition").objects.create(
        slug="net", name_en="Neuroendocrine tumour", name_de="Neuroendokriner Tumor", description_en="Rare."
    )
    hospital = old.get_model("hospitals", "Hospital").objects.create(
        name="Klinik",
        slug="klinik",
        kind="public",
        street_address="Weg 1",
        postcode="80331",
        city="Munich",
        state="BY",
        international_office_languages="English, Arabic, Russisch, Klingon",
        description="A sample profile.",
        departments="Oncology\nSurgery",
    )
    certification = old.get_model("hospitals", "Certification").objects.create(
        name="ENETS centre", slug="enets", description="Audited."
    )
    event = old.get_model("hospitals", "AdmissionStatus").objects.create(
        hospital=hospital,
        status="urgent_only",
        effective_from=datetime.date(2026, 12, 1),
        note="Cancer care only.",
        reason="capacity",
        source="phone",
        verified_at=timezone.now(),
    )
    notice = old.get_model("hospitals", "SiteNotice").objects.create(
        title="Lockdown", message_en="Check each hospital.", message_de="Bitte jede Klinik prüfen."
    )

    new = migrate(AFTER)
    condition = new.get_model("taxonomy", "Condition").objects.get(pk=condition.pk)
    assert (condition.name_en, condition.name_de, condition.name_ru) == (
        "Neuroendocrine tumour",
        "Neuroendokriner Tumor",
        None,
    )
    assert (condition.name, condition.description, condition.description_en) == (
        "Neuroendocrine tumour",
        "Rare.",
        "Rare.",
    )
    hospital = new.get_model("hospitals", "Hospital").objects.get(pk=hospital.pk)
    assert (hospital.description_en, hospital.departments_en) == ("A sample profile.", "Oncology\nSurgery")
    assert hospital.description_de is None
    assert (hospital.city, hospital.international_office_languages) == ("München", "en, ar, ru, Klingon")
    certification = new.get_model("hospitals", "Certification").objects.get(pk=certification.pk)
    assert (certification.name_en, certification.description_en) == ("ENETS centre", "Audited.")
    assert new.get_model("hospitals", "AdmissionStatus").objects.get(pk=event.pk).note_en == "Cancer care only."
    notice = new.get_model("hospitals", "SiteNotice").objects.get(pk=notice.pk)
    assert (notice.title_en, notice.message_en, notice.message_de) == (
        "Lockdown",
        "Check each hospital.",
        "Bitte jede Klinik prüfen.",
    )
    assert notice.message == "Check each hospital."

    # And back: the old columns hold the English text again, nothing is NULL where NOT NULL was.
    old = migrate(BEFORE)
    assert old.get_model("hospitals", "Hospital").objects.get(pk=hospital.pk).description == "A sample profile."
    assert old.get_model("taxonomy", "Condition").objects.get(pk=condition.pk).name_de == "Neuroendokriner Tumor"
    migrate(executor_leaves())


def executor_leaves():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()

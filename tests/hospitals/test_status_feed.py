"""status.json from one query: PostgreSQL writes the rows' JSON, and it is the same document that
`status_rows()` gives (the SQLite path, and status.csv's rows). Run on both databases in CI."""

import datetime
import json

import pytest
from django.utils import timezone

from hospitals.models import AdmissionStatus
from hospitals.views import status_feed_json, status_rows
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status
DAY = datetime.timedelta(days=1)


@pytest.fixture
def feed_hospitals(db):
    today, now = timezone.localdate(), timezone.now()
    record_status(HospitalFactory(slug="a-accepting", name='Klinik "Am See" / Süd'), Status.ACCEPTING)
    record_status(
        HospitalFactory(slug="b-urgent", name="Клиника Мюнхен", city="München"),
        Status.URGENT_ONLY,
        reason="lockdown",
        valid_until=today + 3 * DAY,
        # A whole second: Python leaves the fraction out of isoformat() unless asked.
        verified_at=now.replace(microsecond=0) - DAY,
    )
    record_status(HospitalFactory(slug="c-stale"), Status.NOT_ACCEPTING, reason="capacity", verified_at=now - 40 * DAY)
    record_status(
        HospitalFactory(slug="d-expired"),
        Status.URGENT_ONLY,
        reason="lockdown",
        effective_from=today - 5 * DAY,
        valid_until=today - DAY,
    )
    scheduled = HospitalFactory(slug="e-scheduled")
    record_status(scheduled, Status.ACCEPTING)
    record_status(scheduled, Status.NOT_ACCEPTING, reason="capacity", effective_from=today + DAY)
    HospitalFactory(slug="f-never-recorded")


def test_the_database_writes_the_same_rows_as_python(feed_hospitals):
    count, text = status_feed_json()
    expected = list(status_rows())
    assert count == len(expected) == 6
    assert json.loads(text) == expected
    rows = {row["slug"]: row for row in expected}
    assert rows["b-urgent"]["verified_at"].endswith(".000000+00:00")
    assert rows["c-stale"]["status"] == Status.UNKNOWN and rows["c-stale"]["stale"] is True
    assert rows["d-expired"]["status"] == Status.UNKNOWN
    assert rows["e-scheduled"]["status"] == Status.ACCEPTING
    assert rows["f-never-recorded"]["verified_at"] is None and rows["f-never-recorded"]["status"] == Status.UNKNOWN


def test_status_json_is_one_document_with_the_rows_last(client, feed_hospitals):
    response = client.get("/hospitals/status.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert list(document) == ["generated_at", "stale_after_days", "statuses", "count", "hospitals"]
    assert document["count"] == 6
    assert document["hospitals"] == list(status_rows())
    assert 'Klinik \\"Am See\\" / Süd' in response.text  # not escaped to \\u00fc: ensure_ascii is off


def test_an_empty_directory_is_an_empty_list(client):
    document = client.get("/hospitals/status.json").json()
    assert document["count"] == 0 and document["hospitals"] == []

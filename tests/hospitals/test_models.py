import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from hospitals.models import AdmissionStatus, Hospital, HospitalCertification
from tests.hospitals.factories import HospitalCertificationFactory, HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status
DAY = datetime.timedelta(days=1)


def annotated(hospital):
    return Hospital.objects.with_current_status().get(pk=hospital.pk)


def both_ways(hospital):
    """The status read through the listing fast path and through the model, which must agree."""
    fast = annotated(hospital).current_status
    slow = Hospital.objects.get(pk=hospital.pk).current_status
    assert fast == slow
    return fast


def test_a_hospital_without_events_is_unknown():
    hospital = HospitalFactory()
    status = both_ways(hospital)
    assert status.effective_status == Status.UNKNOWN
    assert not status.is_recorded and not status.is_stale
    assert annotated(hospital).current_effective_status == Status.UNKNOWN


def test_the_current_status_is_the_newest_effective_event():
    hospital = HospitalFactory()
    today = timezone.localdate()
    record_status(hospital, Status.ACCEPTING, effective_from=today - 10 * DAY)
    newest = record_status(hospital, Status.URGENT_ONLY, effective_from=today - 2 * DAY)
    status = both_ways(hospital)
    assert status.event_id == newest.pk
    assert status.effective_status == Status.URGENT_ONLY


def test_a_status_dated_before_the_current_one_is_refused_not_silently_ignored():
    """It would be recorded and never shown: staff must date a correction today or later."""
    hospital = HospitalFactory()
    today = timezone.localdate()
    current = record_status(hospital, Status.ACCEPTING, effective_from=today - 2 * DAY)
    with pytest.raises(ValidationError) as refused:
        record_status(hospital, Status.NOT_ACCEPTING, effective_from=today - 7 * DAY)
    assert refused.value.error_dict["effective_from"][0].code == "behind_current_status"
    assert hospital.admission_statuses.count() == 1
    correction = record_status(hospital, Status.NOT_ACCEPTING, effective_from=today)
    assert both_ways(hospital).event_id == correction.pk != current.pk


def test_an_event_with_a_future_date_takes_over_on_its_day_only():
    hospital = HospitalFactory()
    today = timezone.localdate()
    record_status(hospital, Status.ACCEPTING, effective_from=today - DAY)
    future = record_status(hospital, Status.NOT_ACCEPTING, effective_from=today + 3 * DAY)
    assert both_ways(hospital).effective_status == Status.ACCEPTING

    # Noon three calendar days on: across a change of the clocks that is not 72 hours away.
    later = timezone.make_aware(datetime.datetime.combine(today + 3 * DAY, datetime.time(12)))
    fast = Hospital.objects.with_current_status(now=later).get(pk=hospital.pk)
    assert fast.current_status_event_id == future.pk
    assert hospital.admission_statuses.current(on=today + 3 * DAY).first() == future


def test_of_two_events_on_the_same_day_the_later_recorded_wins():
    hospital = HospitalFactory()
    today = timezone.localdate()
    record_status(hospital, Status.ACCEPTING, effective_from=today)
    second = record_status(hospital, Status.URGENT_ONLY, effective_from=today, note="Only cancer care")
    status = both_ways(hospital)
    assert status.event_id == second.pk
    assert status.note == "Only cancer care"


def test_recording_a_status_never_changes_an_older_event():
    hospital = HospitalFactory()
    first = record_status(hospital, Status.ACCEPTING, note="All welcome")
    before = AdmissionStatus.objects.values().get(pk=first.pk)
    record_status(hospital, Status.NOT_ACCEPTING)
    assert AdmissionStatus.objects.values().get(pk=first.pk) == before
    assert hospital.admission_statuses.count() == 2


@pytest.mark.parametrize(("age_days", "stale"), [(13, False), (14, False), (15, True)])
def test_staleness_at_the_boundary(settings, age_days, stale):
    settings.HOSPITALS_STATUS_STALE_AFTER_DAYS = 14
    hospital = HospitalFactory()
    now = timezone.now()
    # One minute inside or outside the boundary, so that the test does not depend on its speed.
    margin = datetime.timedelta(minutes=-1 if not stale else 1) if age_days == 14 else datetime.timedelta()
    record_status(
        hospital,
        Status.ACCEPTING,
        effective_from=timezone.localdate() - 20 * DAY,
        verified_at=now - datetime.timedelta(days=age_days) - margin,
    )
    status = both_ways(hospital)
    assert status.is_stale is stale
    assert status.effective_status == (Status.UNKNOWN if stale else Status.ACCEPTING)
    assert annotated(hospital).current_effective_status == status.effective_status
    assert annotated(hospital).current_status_is_stale is stale


def test_the_stale_age_comes_from_settings(settings):
    hospital = HospitalFactory()
    record_status(hospital, Status.ACCEPTING, verified_at=timezone.now() - 5 * DAY)
    settings.HOSPITALS_STATUS_STALE_AFTER_DAYS = 3
    assert both_ways(hospital).is_stale


def test_a_restriction_past_its_valid_until_counts_as_unknown():
    hospital = HospitalFactory()
    today = timezone.localdate()
    record_status(hospital, Status.URGENT_ONLY, effective_from=today - 5 * DAY, valid_until=today - DAY)
    status = both_ways(hospital)
    assert status.is_stale
    assert status.effective_status == Status.UNKNOWN
    assert status.recorded_status == Status.URGENT_ONLY


def test_a_restriction_on_its_last_valid_day_still_holds():
    hospital = HospitalFactory()
    today = timezone.localdate()
    record_status(hospital, Status.URGENT_ONLY, effective_from=today - 5 * DAY, valid_until=today)
    assert both_ways(hospital).effective_status == Status.URGENT_ONLY


def test_reason_and_valid_until_belong_to_restrictions_only():
    hospital = HospitalFactory()
    with pytest.raises(ValidationError) as error:
        record_status(hospital, Status.ACCEPTING, reason=AdmissionStatus.Reason.CAPACITY)
    assert error.value.error_dict["reason"][0].code == "reason_not_allowed"
    assert not hospital.admission_statuses.exists()


def test_the_database_refuses_a_reason_on_an_accepting_status():
    hospital = HospitalFactory()
    with pytest.raises(IntegrityError):
        AdmissionStatus.objects.create(
            hospital=hospital,
            status=Status.ACCEPTING,
            reason=AdmissionStatus.Reason.STAFF,
            effective_from=timezone.localdate(),
            source=AdmissionStatus.Source.PHONE,
            verified_at=timezone.now(),
        )


def test_status_summary_counts_stale_as_unknown():
    today = timezone.localdate()
    record_status(HospitalFactory(), Status.ACCEPTING)
    record_status(HospitalFactory(), Status.URGENT_ONLY)
    record_status(
        HospitalFactory(), Status.ACCEPTING, verified_at=timezone.now() - 30 * DAY, effective_from=today - 30 * DAY
    )
    HospitalFactory()
    summary = Hospital.objects.status_summary()
    assert summary == {
        "accepting": 1,
        "urgent_only": 1,
        "not_accepting": 0,
        "unknown": 2,
        "stale": 1,
        "total": 4,
    }


def test_a_hospital_with_status_events_cannot_be_deleted():
    from django.db.models import ProtectedError

    hospital = HospitalFactory()
    record_status(hospital)
    with pytest.raises(ProtectedError):
        hospital.delete()


def test_expired_certifications_are_not_held():
    today = timezone.localdate()
    held = HospitalCertificationFactory()
    HospitalCertificationFactory(hospital=held.hospital, valid_from=today - 800 * DAY, valid_until=today - DAY)
    soon = HospitalCertificationFactory(valid_until=today + 30 * DAY)
    assert set(HospitalCertification.objects.valid()) == {held, soon}
    assert list(HospitalCertification.objects.expiring(within_days=60)) == [soon]


def test_get_absolute_url():
    assert HospitalFactory(slug="klinik-am-testsee").get_absolute_url() == "/hospitals/klinik-am-testsee/"


def test_a_confirmation_cannot_come_from_the_future():
    hospital = HospitalFactory()
    with pytest.raises(ValidationError) as error:
        record_status(hospital, Status.ACCEPTING, verified_at=timezone.now() + DAY)
    assert error.value.error_dict["verified_at"][0].code == "verified_in_future"

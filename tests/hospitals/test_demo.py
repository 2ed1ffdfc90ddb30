from io import StringIO

import pytest
from django.core.management import call_command

from hospitals.models import AdmissionStatus, Hospital, HospitalCertification

pytestmark = pytest.mark.django_db


def test_demo_hospitals_are_varied_marked_as_samples_and_load_again_without_duplicates():
    call_command("load_demo_content", stdout=StringIO())
    hospitals = Hospital.objects.with_current_status()
    assert 25 <= hospitals.count() <= 35
    assert all(hospital.is_sample and hospital.name.startswith("Beispielklinik") for hospital in hospitals)
    assert hospitals.values("state").distinct().count() >= 8
    summary = Hospital.objects.status_summary()
    assert all(summary[status] > 0 for status in AdmissionStatus.Status.values)
    assert summary["stale"] > 0
    assert hospitals.filter(current_status_event_id__isnull=True).exists()
    lutetium = hospitals.filter(treatments__slug="lutetium-177-prrt")
    assert lutetium.count() >= 3
    assert lutetium.filter(state="BY", current_effective_status="urgent_only").exists()
    assert HospitalCertification.objects.valid().filter(certification__name__contains="ENETS").exists()
    assert (
        HospitalCertification.objects.filter(valid_until__isnull=False)
        .exclude(pk__in=HospitalCertification.objects.valid())
        .exists()
    )
    assert any(hospital.admission_statuses.count() >= 3 for hospital in hospitals)
    assert all("example" in hospital.international_office_email for hospital in hospitals)

    counts = (Hospital.objects.count(), AdmissionStatus.objects.count(), HospitalCertification.objects.count())
    call_command("load_demo_content", stdout=StringIO())
    assert (Hospital.objects.count(), AdmissionStatus.objects.count(), HospitalCertification.objects.count()) == counts

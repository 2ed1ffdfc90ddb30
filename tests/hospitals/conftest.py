import datetime

import pytest
from django.utils import timezone

from hospitals.models import AdmissionStatus, FederalState, Hospital, HospitalKind
from tests.factories import TreatmentFactory
from tests.hospitals.factories import CertificationFactory, HospitalCertificationFactory


@pytest.fixture
def make_many_hospitals(db):
    """Create n hospitals with two status events, two treatments and a certification each, in bulk."""

    def make(n):
        treatments = [TreatmentFactory(slug="surgery"), TreatmentFactory(slug="lutetium-177-prrt")]
        certification = CertificationFactory(slug="net-coe")
        hospitals = Hospital.objects.bulk_create(
            Hospital(
                name=f"Bulkklinik {i:04d}",
                slug=f"bulkklinik-{i:04d}",
                kind=HospitalKind.PUBLIC,
                street_address="Musterweg 1",
                postcode="80331",
                city="Munich" if i % 2 else "Berlin",
                state=FederalState.BAVARIA if i % 2 else FederalState.BERLIN,
            )
            for i in range(n)
        )
        today = timezone.localdate()
        now = timezone.now()
        AdmissionStatus.objects.bulk_create(
            AdmissionStatus(
                hospital=hospital,
                status=status,
                effective_from=today - datetime.timedelta(days=days),
                source=AdmissionStatus.Source.PHONE,
                verified_at=now - datetime.timedelta(days=days),
            )
            for hospital in hospitals
            for status, days in ((AdmissionStatus.Status.ACCEPTING, 20), (AdmissionStatus.Status.URGENT_ONLY, 1))
        )
        Through = Hospital.treatments.through
        Through.objects.bulk_create(
            Through(hospital=hospital, treatment=treatment) for hospital in hospitals for treatment in treatments
        )
        for hospital in hospitals[:5]:
            HospitalCertificationFactory(hospital=hospital, certification=certification)
        return hospitals

    return make

"""Hospital test data. Status events are recorded through the service, as the portal does."""

import datetime

import factory
from django.utils import timezone

from hospitals.models import (
    AdmissionStatus,
    Certification,
    FederalState,
    Hospital,
    HospitalCertification,
    HospitalKind,
)
from hospitals.services import admission_status_record


class HospitalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hospital
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Testklinik {n:04d}")
    slug = factory.Sequence(lambda n: f"testklinik-{n:04d}")
    kind = HospitalKind.PUBLIC
    street_address = factory.Sequence(lambda n: f"Beispielweg {n}")
    postcode = "10115"
    city = "Berlin"
    state = FederalState.BERLIN
    international_office_email = "international@example.invalid"

    @factory.post_generation
    def treatments(self, create, extracted, **kwargs):
        if create and extracted:
            self.treatments.set(extracted)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Certificate {n}")
    slug = factory.Sequence(lambda n: f"certificate-{n}")


class HospitalCertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HospitalCertification

    hospital = factory.SubFactory(HospitalFactory)
    certification = factory.SubFactory(CertificationFactory)
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))


def record_status(
    hospital,
    status=AdmissionStatus.Status.ACCEPTING,
    *,
    effective_from=None,
    verified_at=None,
    recorded_by=None,
    **extra,
):
    """Record one status event for one hospital through the service; returns the event."""
    (event,) = admission_status_record(
        hospitals=[hospital],
        status=status,
        effective_from=effective_from or timezone.localdate(),
        verified_at=verified_at or timezone.now(),
        source=extra.pop("source", AdmissionStatus.Source.PHONE),
        recorded_by=recorded_by,
        **extra,
    )
    return event

import io

import pytest
from django.core.management import call_command

from inquiries.models import Inquiry

pytestmark = pytest.mark.django_db


def test_demo_inquiries_load_twice_without_duplicates_and_are_triaged():
    for _ in range(2):
        call_command("load_demo_content", stdout=io.StringIO())
    samples = Inquiry.objects.filter(submission_token__startswith="demo-sample-")
    assert samples.count() == 3
    assert sorted(samples.values_list("priority", flat=True)) == ["high", "routine", "urgent"]
    assert all(inquiry.patient_name.endswith("(demo)") for inquiry in samples)

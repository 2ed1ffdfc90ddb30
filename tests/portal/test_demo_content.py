from io import StringIO

import pytest
from django.core.management import call_command

from taxonomy.models import Condition, Treatment


@pytest.mark.django_db
def test_demo_content_loads_and_can_be_loaded_again_without_duplicates():
    call_command("load_demo_content", stdout=StringIO())
    counts = (Condition.objects.count(), Treatment.objects.count())
    assert counts[0] >= 5 and counts[1] >= 5
    assert Treatment.objects.filter(slug="lutetium-177-prrt").exists()
    call_command("load_demo_content", stdout=StringIO())
    assert (Condition.objects.count(), Treatment.objects.count()) == counts

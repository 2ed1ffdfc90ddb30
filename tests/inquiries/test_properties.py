"""Arbitrary input never makes the form answer 500 and never saves an invalid inquiry."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inquiries import triage
from inquiries.forms import InquiryForm
from inquiries.models import Inquiry
from tests.inquiries.helpers import valid_data

pytestmark = pytest.mark.django_db

FIELDS = list(valid_data())
text = st.text(max_size=50) | st.text(min_size=4000, max_size=7000) | st.sampled_from(["", "\x00", "\ud7ff", "‮"])
# Arbitrary values for some fields, the rest valid; a None drops the field from the post.
answers = st.dictionaries(st.sampled_from(FIELDS), st.none() | text | st.lists(text, max_size=3), max_size=8)

# Very long values are the point here, so the "data too large" health check does not apply.
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)


def post_data(overrides):
    data = valid_data()
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    # Surrogates cannot be encoded by any client; a browser replaces them.
    return {
        k: [i.encode("utf-8", "replace").decode() for i in v]
        if isinstance(v, list)
        else v.encode("utf-8", "replace").decode()
        for k, v in data.items()
    }


@HYPOTHESIS
@given(overrides=answers)
def test_arbitrary_posts_never_fail_and_never_save_invalid_inquiries(overrides):
    cache.clear()
    data = post_data(overrides)
    before = Inquiry.objects.count()
    response = Client().post("/inquiry/", data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert Inquiry.objects.count() == before + 1
        multi = MultiValueDict({k: v if isinstance(v, list) else [v] for k, v in data.items()})
        assert InquiryForm(data=multi).is_valid()
        inquiry = Inquiry.objects.order_by("-pk").first()
        inquiry.full_clean(exclude=["submission_token"])
        assert inquiry.consent_health_data
    else:
        assert Inquiry.objects.count() == before


@HYPOTHESIS
@given(overrides=st.dictionaries(st.sampled_from(FIELDS), st.none(), min_size=1, max_size=len(FIELDS)))
def test_missing_fields_never_fail(overrides):
    cache.clear()
    response = Client().post("/inquiry/", post_data(overrides))
    assert response.status_code in (200, 302)


@settings(max_examples=300, deadline=None)
@given(
    answers=st.dictionaries(st.text(max_size=30), st.none() | st.booleans() | st.integers() | st.text(), max_size=12)
)
def test_triage_always_gives_a_known_priority_and_a_reason(answers):
    result = triage.assess(answers)
    assert result.priority in (triage.URGENT, triage.HIGH, triage.ROUTINE)
    assert result.reasons


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300))
def test_triage_text_rules_never_crash(text):
    assert triage.assess({"diagnosis": text, "message": text}).priority in ("urgent", "high", "routine")
    assert triage.assess({"diagnosis": f"{text}. No cancer."[-400:]}).priority in ("urgent", "high", "routine")

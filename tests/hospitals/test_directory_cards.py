"""The directory's result cards are rendered once per language and kept until what they show
changes: a page of results costs the same whatever the directory's size and the filters."""

import pytest
from django.core.cache import cache

from hospitals.models import AdmissionStatus
from pagecache.versions import DOMAINS
from tests.factories import TreatmentFactory
from tests.hospitals.factories import (
    CertificationFactory,
    HospitalCertificationFactory,
    HospitalFactory,
    record_status,
)

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status


def cards(response) -> str:
    """The result list only (the filter form names every status and treatment too)."""
    html = response.text
    return html[html.index('<ul class="list-unstyled hospital-list">') :].split("</ul>", 1)[0]


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def isar(db):
    lutetium = TreatmentFactory(
        slug="lutetium-177-prrt", name_en="Lutetium-177 therapy", name_de="Lutetium-177-Therapie"
    )
    hospital = HospitalFactory(
        slug="klinik-isar", name="Klinik Isar", state="BY", city="München", treatments=[lutetium]
    )
    record_status(hospital, Status.ACCEPTING)
    return hospital


def test_a_page_with_cached_cards_reads_no_treatments_or_certifications(
    client, make_many_hospitals, page_cache_schedule, django_assert_num_queries
):
    make_many_hospitals(30)
    page_cache_schedule()
    client.get("/hospitals/?state=BY")  # renders and keeps the cards
    # Another filter with the same hospitals misses the page cache but not the cards: the count, the
    # cities of the state, the page of hospitals, the treatments and certifications to filter by.
    with django_assert_num_queries(5):
        response = client.get("/hospitals/?state=BY&sort=name")
    assert response["X-Page-Cache"] == "miss"
    assert response.text.count('class="card mb-3"') == 15
    assert "Certified:" in response.text and "Treatments:" in response.text


def test_the_cards_of_a_page_are_one_cache_round_trip(client, make_many_hospitals, monkeypatch):
    make_many_hospitals(20)
    client.get("/hospitals/")
    calls = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys, *args, **kwargs: calls.append(len(keys)) or original(keys))
    response = client.get("/hospitals/?sort=name")
    assert response["X-Page-Cache"] == "miss"
    # Each with the content versions: the page, all twenty cards at once, the site notices, the
    # header and footer menus (one read for both).
    versions = len(DOMAINS)
    assert calls == [1 + versions, 20 + versions, 1 + versions, 1 + versions]


def test_a_new_status_shows_on_the_card_at_once(client, commit, isar):
    assert "Admits international patients" in cards(client.get("/hospitals/?q=isar"))
    with commit():
        record_status(isar, Status.NOT_ACCEPTING, reason="capacity")
    html = cards(client.get("/hospitals/?q=klinik"))
    assert "Not admitting" in html and "Admits international patients" not in html


def test_a_new_certification_shows_on_the_card_at_once(client, commit, isar):
    client.get("/hospitals/?q=isar")
    with commit():
        HospitalCertificationFactory(hospital=isar, certification=CertificationFactory(name_en="ENETS Centre"))
        from pagecache.versions import HOSPITALS, content_changed

        content_changed(HOSPITALS)  # as the hospital admin's inline does
    assert "ENETS Centre" in cards(client.get("/hospitals/?q=klinik"))


def test_cards_are_per_language(client, isar):
    assert "Lutetium-177 therapy" in cards(client.get("/hospitals/"))
    client.cookies["django_language"] = "de"
    german = cards(client.get("/hospitals/?q=isar"))
    assert "Lutetium-177-Therapie" in german and "Lutetium-177 therapy" not in german

"""Pages that change with time alone: no cached entry outlives the next such moment."""

import datetime

import pytest
from django.utils import timezone

from articles import services as article_services
from hospitals.models import AdmissionStatus, Hospital, SiteNotice
from pagecache.versions import current_versions, entry_expiry, next_change, next_local_midnight
from tests.factories import ArticleFactory
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture
def clock(_pinned_clock):
    return _pinned_clock


def cached(client, *urls):
    for url in urls:
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == "hit", url


def move_to(clock, moment):
    clock.move_to(moment + SECOND)


def test_a_scheduled_article_appears_when_its_time_comes(
    client, clock, medical_reviewer, django_capture_on_commit_callbacks
):
    article = ArticleFactory(slug="scheduled", title="Scheduled article", status="in_review")
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        article_services.article_schedule(article=article, user=medical_reviewer, publish_at=publish_at)
    cached(client, "/articles/", "/articles/feed/", "/sitemap.xml")
    assert "Scheduled article" not in client.get("/articles/").text
    move_to(clock, publish_at)
    assert "Scheduled article" in client.get("/articles/").text
    assert "Scheduled article" in client.get("/articles/feed/").text
    assert "/articles/scheduled/" in client.get("/sitemap.xml").text


def test_an_article_disappears_when_it_expires(client, clock):
    expires_at = timezone.now() + datetime.timedelta(hours=1)
    ArticleFactory(published=True, slug="expiring", title="Expiring article", expires_at=expires_at)
    cached(client, "/articles/", "/articles/expiring/")
    move_to(clock, expires_at)
    assert "Expiring article" not in client.get("/articles/").text
    assert client.get("/articles/expiring/").status_code == 404


def test_a_status_turns_stale_when_its_verification_is_too_old(client, clock, settings):
    verified_at = timezone.now() - datetime.timedelta(days=settings.HOSPITALS_STATUS_STALE_AFTER_DAYS, hours=-1)
    record_status(HospitalFactory(slug="aging", name="Aging Klinik"), Status.ACCEPTING, verified_at=verified_at)
    cached(client, "/hospitals/", "/hospitals/aging/", "/hospitals/status.json", "/")
    assert client.get("/hospitals/status.json").json()["hospitals"][0]["status"] == Status.ACCEPTING
    move_to(clock, verified_at + datetime.timedelta(days=settings.HOSPITALS_STATUS_STALE_AFTER_DAYS))
    assert client.get("/hospitals/status.json").json()["hospitals"][0]["status"] == Status.UNKNOWN
    assert "not verified since" in client.get("/hospitals/aging/").text
    assert "not verified since" in client.get("/hospitals/").text


def test_a_status_leaves_the_recently_verified_filter_on_time(client, clock):
    verified_at = timezone.now() - datetime.timedelta(days=3, hours=-1)
    record_status(HospitalFactory(slug="checked", name="Checked Klinik"), Status.ACCEPTING, verified_at=verified_at)
    cached(client, "/hospitals/?verified_within=3")
    assert "Checked Klinik" in client.get("/hospitals/?verified_within=3").text
    move_to(clock, verified_at + datetime.timedelta(days=3))
    assert "Checked Klinik" not in client.get("/hospitals/?verified_within=3").text


def test_a_restriction_past_its_valid_until_turns_unknown_at_midnight(client, clock):
    hospital = HospitalFactory(slug="restricted")
    record_status(
        hospital, Status.NOT_ACCEPTING, reason=AdmissionStatus.Reason.CAPACITY, valid_until=timezone.localdate()
    )
    cached(client, "/hospitals/restricted/")
    assert "Not admitting" in client.get("/hospitals/restricted/").text
    move_to(clock, next_local_midnight(timezone.now()))
    assert "Status unknown" in client.get("/hospitals/restricted/").text


def test_a_scheduled_status_takes_over_at_midnight(client, clock):
    hospital = HospitalFactory(slug="tomorrow")
    record_status(hospital, Status.ACCEPTING)
    record_status(
        hospital,
        Status.URGENT_ONLY,
        reason=AdmissionStatus.Reason.LOCKDOWN,
        effective_from=timezone.localdate() + datetime.timedelta(days=1),
    )
    cached(client, "/hospitals/status.json")
    move_to(clock, next_local_midnight(timezone.now()))
    assert client.get("/hospitals/status.json").json()["hospitals"][0]["status"] == Status.URGENT_ONLY


def test_the_age_of_a_status_is_in_whole_days_and_moves_on_at_midnight(client, clock):
    record_status(HospitalFactory(slug="today"), Status.ACCEPTING)
    cached(client, "/hospitals/today/")
    assert "(today)" in client.get("/hospitals/today/").text
    move_to(clock, next_local_midnight(timezone.now()))
    assert "(yesterday)" in client.get("/hospitals/today/").text
    move_to(clock, next_local_midnight(timezone.now()))
    assert "(2 days ago)" in client.get("/hospitals/today/").text
    client.cookies["django_language"] = "de"
    assert "(vor 2 Tagen)" in client.get("/hospitals/today/").text


def test_a_site_notice_appears_and_disappears_on_time(client, clock, site_pages):
    starts_at = timezone.now() + datetime.timedelta(minutes=30)
    ends_at = starts_at + datetime.timedelta(hours=2)
    SiteNotice.objects.create(
        title="Strike", message_en="Transport strike today.", starts_at=starts_at, ends_at=ends_at
    )
    cached(client, "/privacy/")
    assert "Transport strike today." not in client.get("/privacy/").text
    move_to(clock, starts_at)
    assert "Transport strike today." in client.get("/privacy/").text
    move_to(clock, ends_at)
    assert "Transport strike today." not in client.get("/privacy/").text


def test_no_entry_outlives_the_page_lifetime(client, clock, settings, site_pages):
    settings.PAGE_CACHE_SECONDS = 60
    cached(client, "/imprint/")
    clock.shift(61)
    assert client.get("/imprint/").get("X-Page-Cache") == "miss"


def test_a_cdn_may_keep_a_page_no_longer_than_its_entry(client, clock, settings):
    settings.PAGE_CACHE_SHARED_MAX_AGE = 60
    expires_at = timezone.now() + datetime.timedelta(seconds=30)
    ArticleFactory(published=True, slug="soon-gone", expires_at=expires_at)
    response = client.get("/articles/")
    shared = int(response["Cache-Control"].split("s-maxage=")[1].split(",")[0])
    assert 0 < shared <= 30


def test_the_next_change_is_the_earliest_of_all_and_costs_four_queries(clock, django_assert_num_queries, settings):
    now = timezone.now()
    record_status(
        HospitalFactory(), Status.ACCEPTING, verified_at=now - datetime.timedelta(days=13, hours=23, minutes=50)
    )
    with django_assert_num_queries(5):  # articles, hospitals, site notices, site pages, people
        moment = next_change(now)
    assert moment == min(
        next_local_midnight(now),
        Hospital.objects.with_current_status().get().current_status_verified_at
        + datetime.timedelta(days=settings.HOSPITALS_STATUS_STALE_AFTER_DAYS),
    )
    assert next_change(now) > now


def test_the_next_change_is_computed_once_per_content_version(clock, django_assert_num_queries):
    versions = current_versions()
    entry_expiry(versions)
    with django_assert_num_queries(0):
        entry_expiry(versions)

"""The public-pages benchmark in small (CI): every page it measures answers, from the cache
without a query, and uncached within its pinned queries; on PostgreSQL the current-status
subqueries use their index. No timings are asserted."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from bench.public_pages import THREE_FILTERS
from hospitals.models import AdmissionStatus, FederalState, Hospital, HospitalKind
from tests.factories import ArticleFactory, TreatmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scale_data(db, site_pages):
    """40 hospitals with 10 status events each, in bulk, like the benchmark's data in small."""
    lutetium = TreatmentFactory(slug="lutetium-177-prrt")
    hospitals = Hospital.objects.bulk_create(
        Hospital(
            name=f"Benchklinik {index:02d}",
            slug=f"benchklinik-{index:02d}",
            kind=HospitalKind.PUBLIC,
            street_address="Musterweg 1",
            postcode="80331",
            city=f"Stadt {index % 7}",
            state=FederalState.BAVARIA if index % 2 else FederalState.BERLIN,
        )
        for index in range(40)
    )
    Hospital.treatments.through.objects.bulk_create(
        Hospital.treatments.through(hospital=hospital, treatment=lutetium) for hospital in hospitals
    )
    today, now = timezone.localdate(), timezone.now()
    AdmissionStatus.objects.bulk_create(
        AdmissionStatus(
            hospital=hospital,
            status=AdmissionStatus.Status.ACCEPTING if step % 2 else AdmissionStatus.Status.NOT_ACCEPTING,
            effective_from=today - datetime.timedelta(days=3 * (10 - step)),
            source=AdmissionStatus.Source.PHONE,
            verified_at=now - datetime.timedelta(days=3 * (10 - step)),
        )
        for hospital in hospitals
        for step in range(10)
    )
    ArticleFactory(published=True, slug="bench-article", treatments=[lutetium])


# Queries of one uncached request (the page cache's schedule is computed beforehand). Every HTML
# page includes the site pages' menus (one query); the home page also its own content.
PAGES = {
    "/": 5,
    "/articles/": 8,
    "/articles/bench-article/": 10,
    "/articles/feed/": 3,
    "/hospitals/": 9,
    THREE_FILTERS: 10,
    "/hospitals/benchklinik-07/": 7,
    "/hospitals/status.json": 1,
    "/hospitals/status.csv": 1,
    "/sitemap.xml": 6,  # per app section (articles, hospitals, site pages) its count and its rows
    "/imprint/": 4,  # the page, its language versions, the site notices, the menus
}


@pytest.mark.parametrize("url", PAGES)
def test_each_measured_page_misses_within_its_queries_and_hits_without_any(
    client, scale_data, url, page_cache_schedule, django_assert_max_num_queries, django_assert_num_queries
):
    page_cache_schedule()
    with django_assert_max_num_queries(PAGES[url]):
        miss = client.get(url, headers={"X-Forwarded-Proto": "https"})
    assert miss.status_code == 200 and miss["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = client.get(url, headers={"X-Forwarded-Proto": "https"})
    assert hit["X-Page-Cache"] == "hit"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="query plans are PostgreSQL's")
def test_the_current_status_is_read_through_its_index(scale_data):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # 40 hospitals are few enough for a scan otherwise
        sql, params = Hospital.objects.with_current_status().order_by("slug").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "admission_status_newest" in plan
    assert "Seq Scan on hospitals_admissionstatus" not in plan

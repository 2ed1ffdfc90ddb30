"""The queue at scale, in small: the stored rank, the indexed deadline, bounded counts, filters that
do not read the table, and (on PostgreSQL) plans that use the indexes. Timings are in bench/queue_scale.py."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from inquiries import services
from inquiries.admin import ACCESS_LOG_SHOWN, HospitalSearchFilter, InquiryAdmin
from inquiries.models import Inquiry, overdue_condition, queue_ordering
from inquiries.paginator import QueuePaginator
from tests.inquiries.helpers import urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db

QUEUE = "/admin/inquiries/inquiry/"
ON_POSTGRESQL = connection.vendor == "postgresql"


def copies(inquiry, count, **changes):
    """`count` more inquiries like `inquiry` in one query (the queue's volume, not its variety)."""
    skip = {"id", "reference", "submission_token", "follow_up_key", "queue_rank"}
    values = {f.attname: getattr(inquiry, f.attname) for f in Inquiry._meta.concrete_fields if f.name not in skip}
    values.update(changes)
    return Inquiry.objects.bulk_create(
        Inquiry(**values, reference=f"T{number:013d}", submission_token=f"copy-{number}") for number in range(count)
    )


def rank(inquiry):
    return Inquiry.objects.values_list("queue_rank", flat=True).get(pk=inquiry.pk)


class TestQueueRank:
    @pytest.mark.parametrize(
        ("status", "priority", "expected"),
        [
            ("new", "urgent", 0),
            ("in_triage", "high", 1),
            ("referred", "routine", 2),
            ("closed", "urgent", 3),
            ("closed", "high", 4),
            ("closed", "routine", 5),
        ],
    )
    def test_the_database_keeps_it_whatever_writes_status_and_priority(self, status, priority, expected):
        inquiry = make_inquiry()
        # A plain UPDATE, as a data fix in the shell would do: the rank follows all the same.
        Inquiry.objects.filter(pk=inquiry.pk).update(status=status, priority=priority, closing_reason="other")
        assert rank(inquiry) == expected

    def test_the_services_move_it(self, triage_user):
        inquiry = make_inquiry()
        assert rank(inquiry) == 2  # open routine
        services.inquiry_override_priority(inquiry=inquiry, priority="urgent", reason="Pain", by=triage_user)
        assert rank(inquiry) == 0
        services.inquiry_close(inquiry=inquiry, reason="duplicate", by=triage_user)
        assert rank(inquiry) == 3

    def test_the_queue_orders_by_it_and_the_order_is_total(self):
        sql = str(Inquiry.objects.order_by(*queue_ordering()).query)
        order_by = sql.split("ORDER BY")[1]
        assert order_by.index("queue_rank") < order_by.index("patient_replied_at") < order_by.index("created_at")
        assert '"id" ASC' in order_by


class TestOverdue:
    @pytest.mark.parametrize("priority", ["urgent", "high", "routine"])
    @pytest.mark.parametrize("minutes_from_deadline", [-1, 0, 1])
    def test_the_index_ranges_agree_with_the_deadline(self, priority, minutes_from_deadline):
        now = timezone.now()
        hours = settings.TRIAGE_FIRST_RESPONSE_HOURS[priority]
        inquiry = make_inquiry()
        received = now - timedelta(hours=hours, minutes=minutes_from_deadline)
        Inquiry.objects.filter(pk=inquiry.pk).update(priority=priority, created_at=received)
        inquiry.refresh_from_db()
        expected = minutes_from_deadline >= 0  # at the deadline itself it is overdue
        assert inquiry.is_overdue(now) is expected
        assert Inquiry.objects.overdue(now).filter(pk=inquiry.pk).exists() is expected
        assert Inquiry.objects.filter(overdue_condition(now), pk=inquiry.pk).exists() is expected
        annotated = Inquiry.objects.with_deadline().get(pk=inquiry.pk)
        assert (annotated.first_response_due <= now) is expected

    def test_a_changed_service_level_applies_at_once(self, settings):
        inquiry = make_inquiry()  # routine
        Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(hours=30))
        assert not Inquiry.objects.overdue(timezone.now()).exists()
        settings.TRIAGE_FIRST_RESPONSE_HOURS = {**settings.TRIAGE_FIRST_RESPONSE_HOURS, "routine": 24}
        assert Inquiry.objects.overdue(timezone.now()).get() == inquiry

    def test_answered_and_closed_inquiries_are_never_overdue(self, triage_user):
        answered, closed = make_inquiry(), make_inquiry()
        Inquiry.objects.update(created_at=timezone.now() - timedelta(days=30))
        services.inquiry_change_status(inquiry=answered, status="contacted", by=triage_user)
        services.inquiry_close(inquiry=closed, reason="no_reply", by=triage_user)
        assert not Inquiry.objects.overdue(timezone.now()).exists()


class TestCounting:
    def test_no_query_counts_the_whole_table(self, client, triage_user):
        copies(make_inquiry(), 60)
        client.force_login(triage_user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert response.status_code == 200
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
        assert counts, "the paginator counts (up to its cap)"
        assert all("LIMIT" in sql.upper() for sql in counts), counts
        assert response.context["cl"].paginator.count_kind == "exact"
        assert "61 inquiries" in response.content.decode()

    def test_past_the_cap_the_page_says_more_and_every_counted_page_opens(self, client, triage_user, monkeypatch):
        monkeypatch.setattr(QueuePaginator, "count_cap", 5)
        monkeypatch.setattr(InquiryAdmin, "list_per_page", 2)
        copies(make_inquiry(), 9)
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}?status__exact=new")
        html = response.content.decode()
        assert "more than 5 inquiries" in html
        assert response.context["cl"].paginator.num_pages == 3  # 6 counted rows, 2 a page
        third = client.get(f"{QUEUE}?status__exact=new&p=3")
        assert third.status_code == 200
        assert len(third.context["cl"].result_list) == 2

    def test_a_search_shows_the_bounded_count_too(self, client, triage_user, monkeypatch):
        monkeypatch.setattr(QueuePaginator, "count_cap", 3)
        copies(make_inquiry(), 5)
        client.force_login(triage_user)
        html = client.get(f"{QUEUE}?q=alex@example.invalid").content.decode()
        assert "more than 3 inquiries" in html

    @pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_class.reltuples is PostgreSQL's; SQLite counts up to the cap")
    def test_an_unfiltered_queue_takes_postgresqls_estimate(self, client, triage_user, monkeypatch):
        monkeypatch.setattr(QueuePaginator, "count_cap", 5)
        copies(make_inquiry(), 11)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inquiries_inquiry")
        client.force_login(triage_user)
        response = client.get(QUEUE)
        assert response.context["cl"].paginator.count_kind == "about"
        assert "about 12 inquiries" in response.content.decode()
        # A filter is counted, never estimated.
        assert client.get(f"{QUEUE}?priority__exact=routine").context["cl"].paginator.count_kind == "more"


class TestFilters:
    @pytest.mark.parametrize(
        "query",
        ["", "overdue=yes", "overdue=no", "country=KZ", "priority__exact=urgent", "hospital_search=Nord"],
    )
    def test_each_filter_has_a_pinned_query_count(self, client, triage_user, query, django_assert_max_num_queries):
        from tests.hospitals.factories import HospitalFactory

        for number in range(5):
            HospitalFactory(name=f"Klinik Nord {number}", slug=f"klinik-nord-{number}")
        copies(make_inquiry(urgent_net_data()), 30)
        client.force_login(triage_user)
        # Session, user, the page's rows, the capped count, the treatments, the hospitals found,
        # and the admin's own (permissions, the user's roles).
        with django_assert_max_num_queries(10):
            assert client.get(f"{QUEUE}?{query}").status_code == 200

    def test_countries_come_from_the_choice_list(self, client, triage_user):
        make_inquiry(valid_data(country="KZ"))
        client.force_login(triage_user)
        html = client.get(QUEUE).content.decode()
        assert "?country=ZM" in html  # Zambia: nobody wrote from there, it is offered all the same
        assert "?country=KZ" in html

    def test_the_hospital_filter_is_a_search_not_a_list_of_every_hospital(self, client, triage_user):
        from tests.hospitals.factories import HospitalFactory

        north = [HospitalFactory(name=f"Klinik Nord {n}", slug=f"klinik-nord-{n}") for n in range(12)]
        south = HospitalFactory(name="Zentrum Süd", slug="zentrum-sued")
        wanted = make_inquiry(urgent_net_data(preferred_hospital=str(south.pk)))
        other = make_inquiry(urgent_net_data(preferred_hospital=str(north[0].pk)))
        client.force_login(triage_user)

        html = client.get(QUEUE).content.decode()
        assert 'name="hospital_search"' in html
        assert "Klinik Nord" not in html and "Zentrum Süd" not in html.split('id="changelist-filter"')[1]

        response = client.get(f"{QUEUE}?status__exact=new&hospital_search=s%C3%BCd")
        html = response.content.decode()
        sidebar = html.split('id="changelist-filter"')[1]
        assert f"preferred_hospital__id__exact={south.pk}" in sidebar
        assert "Klinik Nord" not in sidebar
        assert '<input type="hidden" name="status__exact" value="new">' in sidebar  # the other filters stay
        # The search finds hospitals; it does not filter the queue by itself.
        assert {i.pk for i in response.context["cl"].result_list} == {wanted.pk, other.pk}

        ten = client.get(f"{QUEUE}?hospital_search=nord").content.decode().split('id="changelist-filter"')[1]
        assert ten.count("preferred_hospital__id__exact=") == 10  # at most ten matches

        chosen = client.get(f"{QUEUE}?preferred_hospital__id__exact={south.pk}")
        assert [i.pk for i in chosen.context["cl"].result_list] == [wanted.pk]
        assert "Zentrum Süd" in chosen.content.decode().split('id="changelist-filter"')[1]

    def test_a_search_with_no_match_says_so(self, client, triage_user):
        client.force_login(triage_user)
        html = client.get(f"{QUEUE}?hospital_search=nowhere").content.decode()
        assert "No hospital has this in its name." in html

    @pytest.mark.parametrize("term", ["%00", "Nord%00S%C3%BCd", "x" * 500, "%25_%5C"])
    def test_odd_search_terms_are_answered_not_a_server_error(self, client, triage_user, term):
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}?hospital_search={term}")
        assert response.status_code == 200
        search = next(spec for spec in response.context["cl"].filter_specs if isinstance(spec, HospitalSearchFilter))
        assert len(search.search_term) <= 100 and "\x00" not in search.search_term


class TestAccessLogPanel:
    def test_the_page_shows_the_latest_entries_and_how_many_more(self, client, triage_user):
        inquiry = make_inquiry()
        for _ in range(ACCESS_LOG_SHOWN + 5):
            services.access_log_record(inquiry=inquiry, user=triage_user, action="view")
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}{inquiry.pk}/change/")
        html = response.content.decode()
        assert len(response.context["access_log"]) == ACCESS_LOG_SHOWN
        assert "6 earlier entries." in html  # 30 + this look, 25 shown
        assert f"/admin/inquiries/accesslogentry/?reference={inquiry.reference}" in html
        entries = client.get(f"/admin/inquiries/accesslogentry/?reference={inquiry.reference}")
        assert entries.status_code == 200
        assert entries.context["cl"].result_count == ACCESS_LOG_SHOWN + 6  # every entry

    def test_a_short_log_is_shown_whole(self, client, triage_user):
        inquiry = make_inquiry()
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}{inquiry.pk}/change/")
        assert len(response.context["access_log"]) == 1
        assert "earlier entr" not in response.content.decode()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="the plans are PostgreSQL's; SQLite is for laptops, not a million rows")
class TestPlans:
    """EXPLAIN on a few thousand rows: the planner already prefers the indexes, as at a million."""

    @pytest.fixture
    def history(self, triage_user):
        closed = make_inquiry()
        services.inquiry_close(inquiry=closed, reason="treated", by=triage_user)
        closed.refresh_from_db()
        copies(closed, 3000, created_at=timezone.now() - timedelta(days=400))
        open_ones = [make_inquiry(urgent_net_data()), make_inquiry()]
        Inquiry.objects.filter(pk__in=[i.pk for i in open_ones]).update(created_at=timezone.now() - timedelta(days=5))
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE inquiries_inquiry")
        return open_ones

    def explain(self, queryset) -> str:
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())

    def test_the_queue_page_is_a_walk_along_its_index(self, client, triage_user, history):
        client.force_login(triage_user)
        page = client.get(QUEUE).context["cl"].result_list
        plan = self.explain(page)
        assert "Index Scan using inquiry_queue_idx" in plan, plan
        assert "Sort" not in plan, plan  # the index is the ORDER BY: nothing left to sort

    def test_the_overdue_filter_reads_the_partial_indexes(self, client, triage_user, history):
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}?overdue=yes")
        assert {i.pk for i in response.context["cl"].result_list} == {i.pk for i in history}
        plan = self.explain(response.context["cl"].result_list)
        assert "Seq Scan on inquiries_inquiry" not in plan, plan
        assert "inquiry_awaiting_response_idx" in plan or "inquiry_open_idx" in plan, plan

    def test_the_dashboard_counts_from_the_open_inquiries_index(self, history):
        plan = self.explain(Inquiry.objects.open().order_by().values("priority"))
        assert "inquiry_open_idx" in plan, plan
        assert "Seq Scan on inquiries_inquiry" not in plan, plan

import csv
import datetime
import io
import json
import re

import pytest
from django.test import override_settings
from django.urls import include, path
from django.utils import timezone

from hospitals.models import AdmissionStatus, FederalState, Hospital
from tests.factories import TreatmentFactory
from tests.hospitals.factories import (
    CertificationFactory,
    HospitalCertificationFactory,
    HospitalFactory,
    record_status,
)

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status
DAY = datetime.timedelta(days=1)


def listed_slugs(client, query=""):
    response = client.get(f"/hospitals/?{query}")
    assert response.status_code == 200
    return {hospital.slug for hospital in response.context["hospital_list"]}


@pytest.fixture
def directory():
    """A small directory where each filter separates the hospitals differently."""
    lutetium = TreatmentFactory(slug="lutetium-177-prrt", name_en="Lutetium-177 therapy")
    surgery = TreatmentFactory(slug="surgery", name_en="Surgery")
    enets = CertificationFactory(slug="enets", name="ENETS-style centre")
    now = timezone.now()
    today = timezone.localdate()
    hospitals = {
        "munich-lu-urgent": HospitalFactory(
            slug="munich-lu-urgent",
            name="Isar Test",
            city="Munich",
            state=FederalState.BAVARIA,
            treatments=[lutetium, surgery],
        ),
        "munich-surgery-accepting": HospitalFactory(
            slug="munich-surgery-accepting",
            name="Au Test",
            city="Munich",
            state=FederalState.BAVARIA,
            treatments=[surgery],
        ),
        "nuremberg-lu-stale": HospitalFactory(
            slug="nuremberg-lu-stale",
            name="Pegnitz Test",
            city="Nuremberg",
            state=FederalState.BAVARIA,
            treatments=[lutetium],
        ),
        "berlin-lu-urgent": HospitalFactory(
            slug="berlin-lu-urgent", name="Spree Test", city="Berlin", state=FederalState.BERLIN, treatments=[lutetium]
        ),
        "berlin-none": HospitalFactory(
            slug="berlin-none", name="Havel Test", city="Berlin", state=FederalState.BERLIN
        ),
    }
    record_status(hospitals["munich-lu-urgent"], Status.URGENT_ONLY, verified_at=now - 2 * DAY)
    record_status(hospitals["munich-surgery-accepting"], Status.ACCEPTING, verified_at=now - 10 * DAY)
    record_status(
        hospitals["nuremberg-lu-stale"],
        Status.URGENT_ONLY,
        effective_from=today - 30 * DAY,
        verified_at=now - 20 * DAY,
    )
    record_status(hospitals["berlin-lu-urgent"], Status.URGENT_ONLY, verified_at=now - DAY)
    HospitalCertificationFactory(hospital=hospitals["munich-lu-urgent"], certification=enets)
    HospitalCertificationFactory(
        hospital=hospitals["berlin-lu-urgent"],
        certification=enets,
        valid_from=today - 400 * DAY,
        valid_until=today - DAY,
    )
    return hospitals


ALL = {"munich-lu-urgent", "munich-surgery-accepting", "nuremberg-lu-stale", "berlin-lu-urgent", "berlin-none"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ALL),
        ("state=BY", {"munich-lu-urgent", "munich-surgery-accepting", "nuremberg-lu-stale"}),
        ("city=Berlin", {"berlin-lu-urgent", "berlin-none"}),
        ("treatment=lutetium-177-prrt", {"munich-lu-urgent", "nuremberg-lu-stale", "berlin-lu-urgent"}),
        # The Berlin certificate has expired, so only Munich holds it.
        ("certification=enets", {"munich-lu-urgent"}),
        # Stale urgent-only counts as unknown, never as its last value.
        ("status=urgent_only", {"munich-lu-urgent", "berlin-lu-urgent"}),
        ("status=unknown", {"nuremberg-lu-stale", "berlin-none"}),
        ("status=accepting", {"munich-surgery-accepting"}),
        ("status=not_accepting", set()),
        ("verified_within=3", {"munich-lu-urgent", "berlin-lu-urgent"}),
        ("verified_within=14", {"munich-lu-urgent", "berlin-lu-urgent", "munich-surgery-accepting"}),
        ("verified_within=30", {"munich-lu-urgent", "berlin-lu-urgent", "munich-surgery-accepting"}),
        ("q=munich", {"munich-lu-urgent", "munich-surgery-accepting"}),
        ("q=spree", {"berlin-lu-urgent"}),
        ("state=BY&treatment=lutetium-177-prrt&status=urgent_only", {"munich-lu-urgent"}),
        ("state=BY&treatment=lutetium-177-prrt", {"munich-lu-urgent", "nuremberg-lu-stale"}),
        ("treatment=lutetium-177-prrt&status=urgent_only", {"munich-lu-urgent", "berlin-lu-urgent"}),
        ("city=Munich&treatment=surgery&status=accepting", {"munich-surgery-accepting"}),
        ("state=BE&certification=enets", set()),
        ("q=test&state=BE&status=unknown", {"berlin-none"}),
        ("treatment=lutetium-177-prrt&verified_within=3&certification=enets", {"munich-lu-urgent"}),
    ],
)
def test_filters_and_their_combinations(client, directory, query, expected):
    assert listed_slugs(client, query) == expected


def test_every_filter_combination_matches_a_python_reference(client, directory):
    """All 2-filter combinations against the same rule written in plain Python."""
    import itertools

    now = timezone.now()
    options = {
        "state": ["BY", "BE"],
        "treatment": ["lutetium-177-prrt", "surgery"],
        "status": [*Status.values],
        "verified_within": ["3", "14"],
    }
    facts = {}
    for hospital in Hospital.objects.with_current_status().prefetch_related("treatments"):
        current = hospital.current_status
        facts[hospital.slug] = {
            "state": hospital.state,
            "treatment": {t.slug for t in hospital.treatments.all()},
            "status": current.effective_status,
            "verified": None if not current.is_recorded or current.is_stale else current.verified_at,
        }

    def matches(fact, name, value):
        if name == "treatment":
            return value in fact["treatment"]
        if name == "verified_within":
            return fact["verified"] is not None and fact["verified"] >= now - datetime.timedelta(days=int(value))
        return fact[name] == value

    for (name_a, values_a), (name_b, values_b) in itertools.combinations(options.items(), 2):
        for value_a, value_b in itertools.product(values_a, values_b):
            expected = {
                slug
                for slug, fact in facts.items()
                if matches(fact, name_a, value_a) and matches(fact, name_b, value_b)
            }
            assert listed_slugs(client, f"{name_a}={value_a}&{name_b}={value_b}") == expected, (
                name_a,
                value_a,
                name_b,
                value_b,
            )


@pytest.mark.parametrize(("verified_days_ago", "listed"), [(13.99, True), (14.01, False)])
def test_the_status_filter_at_the_staleness_boundary(client, settings, verified_days_ago, listed):
    settings.HOSPITALS_STATUS_STALE_AFTER_DAYS = 14
    hospital = HospitalFactory()
    record_status(
        hospital,
        Status.ACCEPTING,
        effective_from=timezone.localdate() - 20 * DAY,
        verified_at=timezone.now() - datetime.timedelta(days=verified_days_ago),
    )
    assert (hospital.slug in listed_slugs(client, "status=accepting")) is listed
    assert (hospital.slug in listed_slugs(client, "status=unknown")) is not listed


def test_sorting_by_most_recently_verified(client, directory):
    response = client.get("/hospitals/?sort=verified")
    slugs = [hospital.slug for hospital in response.context["hospital_list"]]
    assert slugs[:3] == ["berlin-lu-urgent", "munich-lu-urgent", "munich-surgery-accepting"]
    assert slugs[-1] == "berlin-none"


def test_invalid_filter_values_are_explained_and_ignored(client, directory):
    response = client.get("/hospitals/?verified_within=abc&state=XX&treatment=nope&status=lutetium-177-prrt")
    assert response.status_code == 200
    assert {h.slug for h in response.context["hospital_list"]} == ALL
    assert response.text.count("This filter is ignored.") == 4


def test_a_page_number_out_of_range_is_a_404_not_a_500(client, directory):
    assert client.get("/hospitals/?page=99").status_code == 404


def test_the_list_shows_badges_with_text_a_legend_and_the_count(client, directory):
    response = client.get("/hospitals/?state=BY")
    html = response.text
    assert "3 hospitals found" in html
    assert 'badge-status badge-status-warn"><span aria-hidden="true">!</span> Urgent cases only' in html
    assert "not verified since" in html
    assert "What the statuses mean" in html
    for label in Status.labels:
        assert str(label) in html
    # The filter form keeps its state in the URL and works without JavaScript (a GET form).
    assert 'method="get"' in html
    assert '<option value="BY" selected>' in html


def test_pagination_keeps_the_filters(client, make_many_hospitals):
    make_many_hospitals(45)
    response = client.get("/hospitals/?state=BY&page=2")
    assert response.context["paginator"].count == 22
    assert "?state=BY&amp;page=1" in response.text


@pytest.mark.parametrize("count", [10, 1000])
def test_the_directory_runs_a_fixed_number_of_queries(
    client, make_many_hospitals, django_assert_num_queries, count, page_cache_schedule
):
    make_many_hospitals(count)
    page_cache_schedule()
    # validating the treatment, count, site notices, city choices, treatment choices, certification
    # choices, the page of hospitals, their treatments and certifications (prefetched for the page),
    # the site pages' menus.
    with django_assert_num_queries(10):
        response = client.get("/hospitals/?state=BY&treatment=lutetium-177-prrt&status=urgent_only&sort=verified")
    assert response.status_code == 200
    assert response.context["paginator"].count == count // 2


@pytest.mark.parametrize("count", [10, 1000])
def test_the_profile_runs_a_fixed_number_of_queries(
    client, make_many_hospitals, django_assert_num_queries, count, page_cache_schedule
):
    hospitals = make_many_hospitals(count)
    page_cache_schedule()
    # site notices, hospital, treatments, certifications, history, related articles, the site pages' menus.
    with django_assert_num_queries(7):
        response = client.get(hospitals[0].get_absolute_url())
    assert response.status_code == 200


def test_the_profile_shows_status_history_contacts_and_sample_note(client):
    hospital = HospitalFactory(name="Klinik Testsee", is_sample=True, international_office_email="io@example.invalid")
    today = timezone.localdate()
    record_status(hospital, Status.ACCEPTING, effective_from=today - 30 * DAY, note="Everyone welcome")
    record_status(
        hospital,
        Status.URGENT_ONLY,
        effective_from=today - 3 * DAY,
        note="Cancer care only",
        reason=AdmissionStatus.Reason.LOCKDOWN,
        source_reference="call with Ms Secret",
    )
    record_status(hospital, Status.NOT_ACCEPTING, effective_from=today + 4 * DAY)
    response = client.get(hospital.get_absolute_url())
    html = response.text
    assert response.status_code == 200
    assert "Sample data" in html
    assert html.count("status-timeline-entry") == 3
    assert "Everyone welcome" in html and "Cancer care only" in html
    assert "Lockdown rules" in html
    assert "scheduled" in html
    assert "io@example.invalid" in html
    # The source is internal.
    assert "Ms Secret" not in html
    assert response.context["hospital"].current_status.effective_status == Status.URGENT_ONLY


def test_a_stale_profile_says_not_verified_since_and_never_its_old_value(client):
    hospital = HospitalFactory()
    verified = timezone.now() - 30 * DAY
    record_status(hospital, Status.ACCEPTING, effective_from=timezone.localdate() - 30 * DAY, verified_at=verified)
    html = client.get(hospital.get_absolute_url()).text
    current = html.split('id="current-status-heading"')[1].split("</section>")[0]
    assert "not verified since" in current
    assert "Admits international patients" not in current
    assert "Status unknown" in current
    assert "last recorded, no longer verified" in html


def test_the_profile_of_an_unknown_slug_is_404(client):
    assert client.get("/hospitals/no-such-hospital/").status_code == 404


def test_the_inquiry_button_opens_the_real_form_with_this_hospital_chosen(client):
    # Was "no button while the form does not exist"; the inquiries app (issue 5) now provides it.
    hospital = HospitalFactory()
    assert f'href="/inquiry/?hospital={hospital.slug}"' in client.get(hospital.get_absolute_url()).text
    form = client.get(f"/inquiry/?hospital={hospital.slug}").context["form"]
    assert form.initial["preferred_hospital"] == hospital


def _inquiry_view(request):
    from django.http import HttpResponse

    return HttpResponse("form")


inquiry_patterns = ([path("", _inquiry_view, name="form")], "inquiries")
urlpatterns = [
    path("inquiry/", include(inquiry_patterns)),
    path("hospitals/", include("hospitals.urls")),
    path("", include("portal.urls")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_the_inquiry_button_links_to_the_form_with_this_hospital(client):
    hospital = HospitalFactory(slug="klinik-am-see", name="Klinik am See")
    html = client.get(hospital.get_absolute_url()).text
    assert 'href="/inquiry/?hospital=klinik-am-see"' in html
    assert "Send an inquiry about Klinik am See" in html


def test_status_json_is_valid_complete_and_matches_the_pages(client, directory):
    response = client.get("/hospitals/status.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["count"] == len(data["hospitals"]) == Hospital.objects.count()
    rows = {row["slug"]: row for row in data["hospitals"]}
    assert set(rows) == ALL
    assert set(data["hospitals"][0]) == {
        "slug",
        "name",
        "city",
        "state",
        "status",
        "stale",
        "effective_from",
        "verified_at",
        "url",
    }
    assert rows["nuremberg-lu-stale"]["status"] == "unknown"
    assert rows["nuremberg-lu-stale"]["stale"] is True
    # A stale status is never published with its last value.
    assert "urgent_only" not in json.dumps(rows["nuremberg-lu-stale"])
    assert rows["berlin-none"]["verified_at"] is None
    for status in Status.values:
        assert {slug for slug, row in rows.items() if row["status"] == status} == listed_slugs(
            client, f"status={status}"
        )
    for slug, row in rows.items():
        page = client.get(row["url"])
        assert page.context["hospital"].current_status.effective_status == row["status"], slug


def test_status_csv_has_the_same_rows_as_json(client, directory):
    response = client.get("/hospitals/status.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    data = client.get("/hospitals/status.json").json()["hospitals"]
    assert [(r["slug"], r["status"]) for r in rows] == [(r["slug"], r["status"]) for r in data]


def test_status_feeds_run_one_query_per_request(
    client, make_many_hospitals, django_assert_num_queries, page_cache_schedule
):
    make_many_hospitals(50)
    page_cache_schedule()
    with django_assert_num_queries(1):
        assert client.get("/hospitals/status.json").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/hospitals/status.csv").status_code == 200


def test_home_page_shows_the_admission_summary(client, directory):
    html = client.get("/").text
    assert "Hospitals admitting international patients today" in html
    assert "including 1 status not verified recently" in html
    assert 'href="/hospitals/?status=urgent_only"' in html


def test_the_home_page_has_no_summary_without_hospitals(client):
    assert "Hospitals admitting international patients today" not in client.get("/").text


def test_the_sitemap_lists_the_directory_and_every_hospital(client):
    hospital = HospitalFactory(slug="klinik-im-sitemap")
    text = client.get("/sitemap.xml").text
    assert "/hospitals/</loc>" in text
    assert f"{hospital.get_absolute_url()}</loc>" in text


def test_sample_hospitals_are_not_indexed(client):
    assert (
        '<meta name="robots" content="noindex">' in client.get(HospitalFactory(is_sample=True).get_absolute_url()).text
    )
    assert 'content="noindex"' not in client.get(HospitalFactory(is_sample=False).get_absolute_url()).text


def test_status_csv_cells_cannot_run_as_spreadsheet_formulas(client):
    HospitalFactory(name='=HYPERLINK("http://evil.example")', slug="formula")
    rows = list(csv.DictReader(io.StringIO(client.get("/hospitals/status.csv").content.decode())))
    assert rows[0]["name"].startswith("'=")


def test_the_city_is_typed_with_suggestions_from_the_chosen_state(client, directory):
    html = client.get("/hospitals/?state=BY").text
    datalist = re.search(r'<datalist id="city-options">(.*?)</datalist>', html, re.DOTALL).group(1)
    assert re.findall(r'value="([^"]+)"', datalist) == ["Munich", "Nuremberg"]
    assert 'name="city"' in html and 'list="city-options"' in html
    assert '<select name="city"' not in html
    # Without a state there is nothing to grow with the directory; typing still filters.
    assert '<datalist id="city-options"></datalist>' in client.get("/hospitals/").text
    assert listed_slugs(client, "city=berlin") == {"berlin-lu-urgent", "berlin-none"}


def test_the_fast_status_rows_agree_with_the_current_status_annotations(directory):
    """status.json reads with one index probe per hospital on PostgreSQL; the values are the same."""
    today = timezone.localdate()
    scheduled = HospitalFactory(slug="scheduled-change")
    record_status(scheduled, Status.ACCEPTING)
    record_status(scheduled, Status.NOT_ACCEPTING, reason="capacity", effective_from=today + DAY)
    expired = HospitalFactory(slug="past-valid-until")
    record_status(
        expired, Status.URGENT_ONLY, reason="lockdown", effective_from=today - 5 * DAY, valid_until=today - DAY
    )
    columns = [
        "current_effective_status",
        "current_status_is_stale",
        "current_status_effective_from",
        "current_status_verified_at",
    ]
    annotated = list(Hospital.objects.with_current_status().order_by("slug").values("slug", "name", *columns))
    fast = Hospital.objects.current_status_rows("slug", "name", order_by="slug")
    assert fast == annotated
    statuses = {row["slug"]: row["current_effective_status"] for row in fast}
    assert statuses["scheduled-change"] == Status.ACCEPTING
    assert statuses["past-valid-until"] == Status.UNKNOWN

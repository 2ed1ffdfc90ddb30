import csv
import io
import json

from django.db import connection
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from articles.models import Article
from hospitals.filters import HospitalFilter, cities_in
from hospitals.models import AdmissionStatus, Hospital, HospitalCertification, stale_after_days
from pagecache.versions import HOSPITALS, TAXONOMY, cached_fragments

STATUS_FEED_FIELDS = [
    "slug",
    "name",
    "city",
    "state",
    "status",
    "stale",
    "effective_from",
    "verified_at",
    "url",
]


def valid_certifications():
    return Prefetch(
        "hospital_certifications",
        queryset=HospitalCertification.objects.valid().select_related("certification"),
        to_attr="valid_certifications",
    )


class HospitalListView(FilterView):
    filterset_class = HospitalFilter
    template_name = "hospitals/hospital_list.html"
    paginate_by = 20
    # Invalid filter values are reported next to the field and ignored; the rest still apply.
    strict = False

    def get_queryset(self):
        # Treatments and certifications are read only for the cards not in the cache (hospital_cards).
        return Hospital.objects.with_current_status().order_by("name", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        # "Filter (2 active)" on a phone: the filters the visitor set, sorting aside.
        context["active_filters"] = sum(
            1 for name in self.filterset.form.fields if name != "sort" and self.request.GET.get(name, "").strip()
        )
        context["city_options"] = cities_in(self.request.GET.get("state", ""))
        context["hospital_cards"] = hospital_cards(context["hospital_list"])
        context["statuses"] = AdmissionStatus.Status
        context["stale_after_days"] = stale_after_days()
        return context


def hospital_cards(hospitals) -> list[str]:
    """The directory's result cards, each rendered once per language and kept (one cache round trip
    for the page) until a hospital, a status or the taxonomy changes, a status goes stale or the day
    ends: a page of results costs the same with 30 hospitals or 2,000, whatever the filters."""
    hospitals = list(hospitals)

    def render(missing):
        prefetch_related_objects(missing, "treatments", valid_certifications())
        return {
            hospital.pk: render_to_string("hospitals/_hospital_card.html", {"hospital": hospital})
            for hospital in missing
        }

    cards = cached_fragments(
        "hospital-card",
        [translation.get_language()],
        {hospital.pk: hospital for hospital in hospitals},
        (HOSPITALS, TAXONOMY),
        render,
    )
    return [mark_safe(cards[hospital.pk]) for hospital in hospitals]  # noqa: S308 - our template's output


class HospitalDetailView(DetailView):
    template_name = "hospitals/hospital_detail.html"

    def get_queryset(self):
        return Hospital.objects.with_current_status().prefetch_related("treatments", valid_certifications())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        history = list(self.object.admission_statuses.order_by(*AdmissionStatus.NEWEST_FIRST))
        for event in history:
            event.is_upcoming = event.effective_from > today
        context["history"] = history
        context["stale_after_days"] = stale_after_days()
        context["related_articles"] = related_articles(self.object)
        return context


def related_articles(hospital, limit=6):
    """Published articles about the hospital's treatments, newest first."""
    treatments = [treatment.pk for treatment in hospital.treatments.all()]
    if not treatments:
        return []
    return list(Article.objects.published().for_treatments(treatments).newest_first()[:limit])


def status_url_prefix() -> str:
    return reverse("hospitals:detail", kwargs={"slug": "slug"}).removesuffix("slug/")


def status_rows():
    """The current status of every hospital, as published in status.json and status.csv.

    One query (one index probe per hospital on PostgreSQL) and plain rows: the work grows with the
    number of hospitals and nothing else.
    """
    url_prefix = status_url_prefix()
    rows = Hospital.objects.current_status_rows("slug", "name", "city", "state", order_by="slug")
    for row in rows:
        effective_from, verified_at = row["current_status_effective_from"], row["current_status_verified_at"]
        yield {
            "slug": row["slug"],
            "name": row["name"],
            "city": row["city"],
            "state": row["state"],
            "status": row["current_effective_status"],
            "stale": row["current_status_is_stale"],
            "effective_from": effective_from.isoformat() if effective_from else None,
            # Always with microseconds, as PostgreSQL writes them in status_feed_json().
            "verified_at": verified_at.isoformat(timespec="microseconds") if verified_at else None,
            "url": f"{url_prefix}{row['slug']}/",
        }


# status.json's and status.csv's rows as PostgreSQL writes them from the rows of
# `current_status_sql`: the same keys (STATUS_FEED_FIELDS, in order) and values as `status_rows()`
# (tests/hospitals/test_status_feed.py), without Python work per value.
_FEED_ROWS_SQL = """
    SELECT slug, name, city, state, current_effective_status AS status, current_status_is_stale AS stale,
           to_char(current_status_effective_from, 'YYYY-MM-DD') AS effective_from,
           to_char(current_status_verified_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')
               AS verified_at,
           %s || slug || '/' AS url
    FROM ({rows}) status_row
"""
_FEED_JSON_SQL = (  # two constants; the values are parameters
    f"SELECT count(*), COALESCE(json_agg(feed ORDER BY feed.slug), '[]')::text FROM ({_FEED_ROWS_SQL}) feed"  # noqa: S608
)


def _feed_sql(template: str) -> tuple[str, tuple]:
    rows_sql, params = Hospital.objects.current_status_sql("slug", "name", "city", "state", order_by="slug")
    return template.format(rows=rows_sql), (status_url_prefix(), *params)


def status_feed_json() -> tuple[int, str]:
    """The number of hospitals and status.json's "hospitals" array as JSON text, from one query.

    On PostgreSQL the database writes the JSON, so 2,000 hospitals cost one index probe each and
    no Python work per row; elsewhere `status_rows()` serialised here.
    """
    if connection.vendor != "postgresql":
        rows = list(status_rows())
        return len(rows), json.dumps(rows, ensure_ascii=False)
    with connection.cursor() as cursor:
        cursor.execute(*_feed_sql(_FEED_JSON_SQL))
        return cursor.fetchone()


def status_feed_rows() -> list[dict]:
    """`status_rows()`, from one query whose values PostgreSQL has already written as text."""
    if connection.vendor != "postgresql":
        return list(status_rows())
    with connection.cursor() as cursor:
        cursor.execute(*_feed_sql(_FEED_ROWS_SQL + " ORDER BY slug"))
        return [dict(zip(STATUS_FEED_FIELDS, row, strict=True)) for row in cursor.fetchall()]


@require_GET
def status_json(request):
    count, hospitals = status_feed_json()
    head = json.dumps(
        {
            "generated_at": timezone.now().isoformat(),
            "stale_after_days": stale_after_days(),
            "statuses": {value: str(label) for value, label in AdmissionStatus.Status.choices},
            "count": count,
        },
        ensure_ascii=False,
    )
    # The rows go in as the JSON text they already are: "hospitals" last, as before.
    response = HttpResponse(f'{head[:-1]}, "hospitals": {hospitals}}}', content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # open data, for partners' sites
    return response


def spreadsheet_safe(value):
    """Text a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_GET
def status_csv(request):
    # Written into a buffer, then given to the response whole: HttpResponse.write() per row costs
    # more than the row itself with 2,000 hospitals.
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(STATUS_FEED_FIELDS)
    for row in status_feed_rows():
        row["stale"] = "yes" if row["stale"] else "no"
        writer.writerow([spreadsheet_safe(value) for value in row.values()])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hospital-status.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # open data, for partners' sites
    return response

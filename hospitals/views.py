import csv

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django.views.generic import DetailView
from django_filters.views import FilterView

from articles.models import Article
from hospitals.filters import HospitalFilter
from hospitals.models import AdmissionStatus, Hospital, HospitalCertification, stale_after_days

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
        return (
            Hospital.objects.with_current_status()
            .prefetch_related("treatments", valid_certifications())
            .order_by("name", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["statuses"] = AdmissionStatus.Status
        context["stale_after_days"] = stale_after_days()
        return context


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


def status_rows():
    """The current status of every hospital, as published in status.json and status.csv."""
    for hospital in Hospital.objects.with_current_status().order_by("slug"):
        current = hospital.current_status
        yield {
            "slug": hospital.slug,
            "name": hospital.name,
            "city": hospital.city,
            "state": hospital.state,
            "status": current.effective_status,
            "stale": current.is_stale,
            "effective_from": current.effective_from.isoformat() if current.effective_from else None,
            "verified_at": current.verified_at.isoformat() if current.verified_at else None,
            "url": hospital.get_absolute_url(),
        }


@require_GET
def status_json(request):
    rows = list(status_rows())
    response = JsonResponse(
        {
            "generated_at": timezone.now().isoformat(),
            "stale_after_days": stale_after_days(),
            "statuses": {value: str(label) for value, label in AdmissionStatus.Status.choices},
            "count": len(rows),
            "hospitals": rows,
        },
        json_dumps_params={"ensure_ascii": False},
    )
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="hospital-status.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"  # open data, for partners' sites
    writer = csv.DictWriter(response, fieldnames=STATUS_FEED_FIELDS)
    writer.writeheader()
    for row in status_rows():
        writer.writerow(
            {**{key: spreadsheet_safe(value) for key, value in row.items()}, "stale": "yes" if row["stale"] else "no"}
        )
    return response

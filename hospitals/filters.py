"""The public directory's filters; every value lives in the URL, so a filtered list can be shared."""

from datetime import timedelta

import django_filters
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hospitals.models import AdmissionStatus, Certification, FederalState, Hospital, HospitalCertification
from languages.places import name_of_record, place_name
from taxonomy.models import Treatment

VERIFIED_WITHIN_CHOICES = [
    ("1", _("the last 24 hours")),
    ("3", _("the last 3 days")),
    ("7", _("the last 7 days")),
    ("14", _("the last 14 days")),
    ("30", _("the last 30 days")),
]

SORT_CHOICES = [("name", _("Name")), ("verified", _("Most recently verified"))]


def cities_in(state: str) -> list[str]:
    """The cities offered for typing ahead: those of one federal state, so the list stays short.

    Named as the reader knows them ("Munich", "Мюнхен"); the filter takes any of the names.
    """
    if state not in FederalState.values:
        return []
    cities = Hospital.objects.filter(state=state).order_by("city").values_list("city", flat=True).distinct()
    return sorted({place_name(city) for city in cities})


class HospitalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or city"), method="filter_text", max_length=100)
    state = django_filters.ChoiceFilter(label=_("Federal state"), choices=FederalState.choices, empty_label=_("All"))
    # A text field with suggestions (a datalist of the chosen state's cities), not a <select> of
    # every city in Germany: works without JavaScript, and the page does not grow with the directory.
    city = django_filters.CharFilter(
        label=_("City"),
        method="filter_city",
        max_length=100,
        help_text=_("Type the city, or choose a federal state first to pick one of its cities."),
    )
    treatment = django_filters.ModelChoiceFilter(
        label=_("Treatment"),
        field_name="treatments",
        to_field_name="slug",
        queryset=lambda request: Treatment.objects.ordered_by_name(),
        empty_label=_("All"),
    )
    certification = django_filters.ModelChoiceFilter(
        label=_("Certification"),
        to_field_name="slug",
        queryset=Certification.objects.all(),
        method="filter_certification",
        empty_label=_("All"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Admission status"),
        choices=AdmissionStatus.Status.choices,
        field_name="current_effective_status",
        empty_label=_("All"),
    )
    verified_within = django_filters.ChoiceFilter(
        label=_("Status verified in"),
        choices=VERIFIED_WITHIN_CHOICES,
        method="filter_verified_within",
        empty_label=_("any time"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=SORT_CHOICES, method="filter_sort", empty_label=None
    )

    class Meta:
        model = Hospital
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name in ("q", "city") else "form-select"
        self.form.fields["q"].widget.input_type = "search"
        self.form.fields["city"].widget.attrs.update(
            {"list": "city-options", "autocomplete": "off", "aria-describedby": "id_city-help"}
        )

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        # A city typed as the reader knows it ("Munich", "Мюнхен") finds the name of record (München).
        return queryset.filter(
            Q(name__icontains=value) | Q(city__icontains=value) | Q(city__iexact=name_of_record(value))
        )

    def filter_city(self, queryset, name, value):
        # The name as typed too: a record not yet saved under its German name is still found.
        value = value.strip()
        return queryset.filter(Q(city__iexact=value) | Q(city__iexact=name_of_record(value))) if value else queryset

    def filter_certification(self, queryset, name, value):
        held = HospitalCertification.objects.valid().filter(certification=value).values("hospital_id")
        return queryset.filter(pk__in=held)

    def filter_verified_within(self, queryset, name, value):
        since = timezone.now() - timedelta(days=int(value))
        # A stale status is never "recently verified", whatever its age setting.
        return queryset.filter(current_status_verified_at__gte=since, current_status_is_stale=False)

    def filter_sort(self, queryset, name, value):
        if value == "verified":
            return queryset.order_by(F("current_status_verified_at").desc(nulls_last=True), "name", "pk")
        return queryset.order_by("name", "pk")

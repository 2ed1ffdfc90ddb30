"""Template tags of the hospital directory, usable from any app's templates.

* ``{% admission_badge hospital %}``: the current status badge (colour and text) with its age.
* ``{% hospitals_offering article.treatments.all %}``: hospitals offering any of these treatments,
  with their badges; two queries whatever the number of hospitals.
* ``{% site_notices %}``: the active site-wide notices, for the base layout.
"""

from django import template
from django.db.models import Case, Prefetch, Value, When

from hospitals.models import AdmissionStatus, CurrentStatus, Hospital, SiteNotice, stale_after_days
from taxonomy.models import Treatment

register = template.Library()

BADGE_STYLES = {
    AdmissionStatus.Status.ACCEPTING: ("ok", "✓"),
    AdmissionStatus.Status.URGENT_ONLY: ("warn", "!"),
    AdmissionStatus.Status.NOT_ACCEPTING: ("danger", "✕"),
    AdmissionStatus.Status.UNKNOWN: ("unknown", "?"),
}


def badge_context(current: CurrentStatus, *, show_age=True):
    style, symbol = BADGE_STYLES[current.effective_status]
    return {"current": current, "style": style, "symbol": symbol, "show_age": show_age}


@register.inclusion_tag("hospitals/tags/admission_badge.html")
def admission_badge(hospital, show_age=True):
    """The badge for a hospital; annotate it with with_current_status() to avoid a query."""
    return badge_context(hospital.current_status, show_age=show_age)


@register.inclusion_tag("hospitals/tags/status_legend.html")
def admission_status_legend():
    return {
        "entries": [
            {"value": value, "label": label, "style": BADGE_STYLES[value][0], "symbol": BADGE_STYLES[value][1]}
            for value, label in AdmissionStatus.Status.choices
        ],
        "stale_after_days": stale_after_days(),
    }


@register.inclusion_tag("hospitals/tags/hospitals_offering.html")
def hospitals_offering(treatments, limit=12):
    """Hospitals offering any of the given treatments, those admitting patients first."""
    treatment_ids = [treatment.pk for treatment in treatments]
    if not treatment_ids:
        return {"hospitals": [], "more": False}
    offering = Hospital.treatments.through.objects.filter(treatment_id__in=treatment_ids).values("hospital_id")
    admitting_first = Case(
        When(current_effective_status=AdmissionStatus.Status.ACCEPTING, then=Value(0)),
        When(current_effective_status=AdmissionStatus.Status.URGENT_ONLY, then=Value(1)),
        default=Value(2),
    )
    matching = Prefetch(
        "treatments", queryset=Treatment.objects.filter(pk__in=treatment_ids), to_attr="matching_treatments"
    )
    hospitals = list(
        Hospital.objects.with_current_status()
        .filter(pk__in=offering)
        .prefetch_related(matching)
        .order_by(admitting_first, "name", "pk")[: limit + 1]
    )
    return {"hospitals": hospitals[:limit], "more": len(hospitals) > limit}


@register.inclusion_tag("hospitals/tags/site_notices.html")
def site_notices():
    return {"notices": list(SiteNotice.objects.active())}

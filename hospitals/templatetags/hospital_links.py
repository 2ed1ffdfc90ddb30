"""Template tags of the hospital directory, usable from any app's templates.

* ``{% admission_badge hospital %}``: the current status badge (colour and text) with its age.
* ``{% hospitals_offering article.treatments.all %}``: hospitals offering any of these treatments,
  with their badges; one query whatever the number of hospitals, rendered once per language (cached).
* ``{% site_notices %}``: the active site-wide notices, for the base layout (cached per language).
"""

from django import template
from django.db.models import Case, Value, When
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from hospitals.models import AdmissionStatus, CurrentStatus, Hospital, SiteNotice, stale_after_days
from pagecache.versions import HOSPITALS, NOTICES, TAXONOMY, cached_fragment

register = template.Library()

ADMITTING_FIRST = Case(
    When(current_effective_status=AdmissionStatus.Status.ACCEPTING, then=Value(0)),
    When(current_effective_status=AdmissionStatus.Status.URGENT_ONLY, then=Value(1)),
    default=Value(2),
)

BADGE_STYLES = {
    AdmissionStatus.Status.ACCEPTING: ("ok", "✓"),
    AdmissionStatus.Status.URGENT_ONLY: ("warn", "!"),
    AdmissionStatus.Status.NOT_ACCEPTING: ("danger", "✕"),
    AdmissionStatus.Status.UNKNOWN: ("unknown", "?"),
}


def badge_context(current: CurrentStatus, *, show_age=True):
    style, symbol = BADGE_STYLES[current.effective_status]
    return {"current": current, "style": style, "symbol": symbol, "show_age": show_age}


@register.filter
def days_ago(moment) -> str:
    """ "today", "yesterday" or "N days ago" in local calendar days.

    Whole days, unlike ``timesince``: the text changes only at midnight, so a cached page that
    shows it stays right until then (pagecache.versions.next_local_midnight).
    """
    days = (timezone.localdate() - timezone.localdate(moment)).days
    if days <= 0:
        return gettext("today")
    if days == 1:
        return gettext("yesterday")
    return ngettext("%(count)d day ago", "%(count)d days ago", days) % {"count": days}


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


@register.simple_tag
def hospitals_offering(treatments, limit=12):
    """Hospitals offering any of the given treatments, those admitting patients first.

    One query, and the block rendered once per language: kept in the cache until a hospital, a
    status or a treatment changes (or a status goes stale, or "3 days ago" changes at midnight), so
    a page that misses the cache for another reason neither queries nor renders it again.
    """
    treatments = sorted(treatments, key=lambda treatment: treatment.pk)
    if not treatments:
        return ""
    treatment_ids = [treatment.pk for treatment in treatments]

    def render():
        hospitals = list(
            Hospital.objects.with_current_status()
            .filter(
                pk__in=Hospital.treatments.through.objects.filter(treatment_id__in=treatment_ids).values("hospital_id")
            )
            .order_by(ADMITTING_FIRST, "name", "pk")[: limit + 1]
        )
        directory_query = f"?treatment={treatments[0].slug}" if len(treatments) == 1 else ""
        context = {"hospitals": hospitals[:limit], "more": len(hospitals) > limit, "directory_query": directory_query}
        return render_to_string("hospitals/tags/hospitals_offering.html", context)

    html = cached_fragment(
        "hospitals-offering", [translation.get_language(), limit, *treatment_ids], (HOSPITALS, TAXONOMY), render
    )
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when it was rendered


def active_notices() -> list[dict]:
    """The active notices, each with its title and message in one language (the reader's or a fallback)."""
    notices = []
    for notice in SiteNotice.objects.active():
        text = notice.in_reader_language()
        if text["message"]:
            notices.append({"notice": notice, **text})
    return notices


@register.inclusion_tag("hospitals/tags/site_notices.html", takes_context=True)
def site_notices(context):
    """The active notices on every page; kept per language until a notice changes, starts or ends."""
    notices = cached_fragment("site-notices", [translation.get_language()], (NOTICES,), active_notices)
    return {"notices": notices, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}

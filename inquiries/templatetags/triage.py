"""The triage dashboard block on the admin index, and how a reference number is shown."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.inclusion_tag("admin/inquiries/_dashboard.html", takes_context=True)
def triage_dashboard(context):
    """The counts that matter now, for staff who may see inquiries; nothing for anyone else."""
    request = context["request"]
    if not request.user.has_perm("inquiries.view_inquiry"):
        return {"show": False}
    from inquiries.admin import dashboard_counts

    return {"show": True, "counts": dashboard_counts()}


@register.filter
def reference_code(reference):
    """A reference number as one unbreakable piece ("K7QM-3XWD-P9RT" never splits at a hyphen)."""
    return format_html('<span class="reference-code-inline">{}</span>', reference)

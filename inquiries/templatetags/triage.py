"""The triage dashboard block on the admin index."""

from django import template

register = template.Library()


@register.inclusion_tag("admin/inquiries/_dashboard.html", takes_context=True)
def triage_dashboard(context):
    """The counts that matter now, for staff who may see inquiries; nothing for anyone else."""
    request = context["request"]
    if not request.user.has_perm("inquiries.view_inquiry"):
        return {"show": False}
    from inquiries.admin import dashboard_counts

    return {"show": True, "counts": dashboard_counts()}

import datetime

from django.utils import timezone

from pages.models import Page


def make_page(*, published=False, **fields):
    """A page written straight to the database (tests of the workflow move it through the services)."""
    values = {
        "title": "Frequently asked questions",
        "slug": "faq",
        "language": "en",
        "kind": "faq",
        "review_role": "editorial",
        "body": "Answers to common questions.",
        "blocks": [],
    }
    if published:
        values.update(status="published", publish_at=timezone.now() - datetime.timedelta(hours=1))
    values.update(fields)
    page = Page.objects.create(**values)
    if page.status == "published":
        page.take_live_copy()
        page.save(update_fields=["live"])
    return page

"""What changed between two saved versions of an article (the shared editorial/revisions.py)."""

from articles.models import Article
from editorial import revisions

# Long texts are compared line by line (body) or word by word (title, standfirst); the rest as values.
TEXT_FIELDS = {"title": "words", "standfirst": "words", "body": "lines", "lead_image_alt": "words"}
VALUE_FIELDS = (
    "slug",
    "language",
    "status",
    "publish_at",
    "expires_at",
    "medical_reviewer",
    "last_reviewed_on",
    "review_interval_months",
    "lead_image",
    "is_sample",
)


def revision_changes(previous, current) -> list[dict]:
    """The article fields that differ between two historical records (the first version lists none)."""
    return revisions.revision_changes(
        previous, current, model=Article, text_fields=TEXT_FIELDS, value_fields=VALUE_FIELDS
    )

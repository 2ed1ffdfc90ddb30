"""What changed between two saved versions of an article, in a form staff can read."""

import difflib

from django.utils.translation import gettext_lazy as _

from articles.models import Article

# Long texts are compared line by line (body) or word by word (title, standfirst); the rest as values.
TEXT_FIELDS = {"title": "words", "standfirst": "words", "body": "lines"}
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


def _label(field_name):
    return Article._meta.get_field(field_name).verbose_name


def _text_diff(old: str, new: str, mode: str) -> list[tuple[str, str]]:
    """(kind, text) pairs with kind in {"same", "removed", "added"}; unchanged stretches shortened."""
    if mode == "lines":
        old_parts, new_parts, joiner = old.splitlines(), new.splitlines(), "\n"
    else:
        old_parts, new_parts, joiner = old.split(), new.split(), " "
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_parts, b=new_parts, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            same = old_parts[i1:i2]
            if mode == "lines" and len(same) > 4:
                same = [*same[:2], "…", *same[-2:]]
            pieces.append(("same", joiner.join(same)))
            continue
        if i2 > i1:
            pieces.append(("removed", joiner.join(old_parts[i1:i2])))
        if j2 > j1:
            pieces.append(("added", joiner.join(new_parts[j1:j2])))
    return pieces


def revision_changes(previous, current) -> list[dict]:
    """The fields that differ between two historical records (the first version lists none)."""
    if previous is None:
        return []
    changes = []
    for field_name, mode in TEXT_FIELDS.items():
        old, new = getattr(previous, field_name) or "", getattr(current, field_name) or ""
        if old != new:
            changes.append({"field": _label(field_name), "diff": _text_diff(old, new, mode), "mode": mode})
    for field_name in VALUE_FIELDS:
        attribute = f"{field_name}_id" if field_name == "medical_reviewer" else field_name
        old, new = getattr(previous, attribute), getattr(current, attribute)
        if old != new:
            if field_name == "status":
                old, new = Article(status=old).get_status_display(), Article(status=new).get_status_display()
            elif field_name == "medical_reviewer":
                old, new = previous.medical_reviewer, current.medical_reviewer
            changes.append(
                {
                    "field": _label(field_name),
                    "old": old if old not in (None, "") else _("(empty)"),
                    "new": new if new not in (None, "") else _("(empty)"),
                }
            )
    return changes

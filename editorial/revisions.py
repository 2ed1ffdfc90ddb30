"""What changed between two saved versions of a record (django-simple-history), in a form staff can read."""

import difflib
import json

from django.utils.translation import gettext_lazy as _


def text_diff(old: str, new: str, mode: str) -> list[tuple[str, str]]:
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


def _as_text(value) -> str:
    """Text as it is; structured data (JSON blocks) one item per line, so the diff shows what moved."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1)


def _display(value):
    return value if value not in (None, "") else _("(empty)")


def revision_changes(previous, current, *, model, text_fields: dict, value_fields) -> list[dict]:
    """The fields that differ between two historical records of `model` (the first version lists none).

    `text_fields` maps a field to "words" or "lines" (how it is compared); `value_fields` are
    compared as values, foreign keys by id and shown by the related record, choices by label.
    """
    if previous is None:
        return []
    changes = []
    for field_name, mode in text_fields.items():
        old, new = _as_text(getattr(previous, field_name)), _as_text(getattr(current, field_name))
        if old != new:
            label = model._meta.get_field(field_name).verbose_name
            changes.append({"field": label, "diff": text_diff(old, new, mode), "mode": mode})
    for field_name in value_fields:
        field = model._meta.get_field(field_name)
        attribute = field.attname
        old, new = getattr(previous, attribute), getattr(current, attribute)
        if old == new:
            continue
        if field.is_relation:
            old, new = getattr(previous, field_name), getattr(current, field_name)
        elif field.choices:
            choices = dict(field.flatchoices)
            old, new = choices.get(old, old), choices.get(new, new)
        changes.append({"field": field.verbose_name, "old": _display(old), "new": _display(new)})
    return changes

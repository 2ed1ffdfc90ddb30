"""The structured blocks of a site page: a JSON list, checked against a small schema.

Each block is an object with a "type" and the fields that type names below. Texts are plain or
Markdown (rendered and sanitised like article bodies); no HTML from editors reaches the page as
such. `validate_blocks` is the field validator: it reports every problem with the block's number
and field, so the admin shows a clear message and never a server error.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# type -> (required text fields, optional text fields, list field with its item fields or None)
SCHEMA = {
    "hero": (("heading",), ("text",), None),
    "faq": ((), ("heading",), ("items", ("question", "answer"))),
    "steps": ((), ("heading",), ("items", ("title", "text"))),
    "cta": (("text", "label"), (), None),
    "contact": (("name",), ("address", "phone", "email", "register", "managing_director"), None),
    "featured_articles": ((), ("heading",), ("slugs", None)),
}
MAX_TEXT = 5000


def validate_blocks(value) -> None:
    if not isinstance(value, list):
        raise ValidationError(_("Blocks must be a JSON list, e.g. [] or [{“type”: “faq”, …}]."), code="not_a_list")
    errors = []
    for number, block in enumerate(value, start=1):
        errors += [
            ValidationError(
                _("Block %(number)s: %(problem)s"), code="invalid_block", params={"number": number, "problem": problem}
            )
            for problem in _block_problems(block)
        ]
    if errors:
        raise ValidationError(errors)


def _block_problems(block) -> list:
    if not isinstance(block, dict):
        return [_("each block is a JSON object with a “type”.")]
    kind = block.get("type")
    if kind not in SCHEMA:
        return [_("unknown type “%(type)s”; use one of: %(types)s.") % {"type": kind, "types": ", ".join(SCHEMA)}]
    required, optional, listed = SCHEMA[kind]
    allowed = {"type", *required, *optional, *([listed[0]] if listed else [])}
    problems = [
        _("“%(field)s” is not a field of a %(type)s block.") % {"field": key, "type": kind}
        for key in block
        if key not in allowed
    ]
    for field in required:
        if not isinstance(block.get(field), str) or not block[field].strip():
            problems.append(_("“%(field)s” is required and must be text.") % {"field": field})
    for field in optional:
        if field in block and not isinstance(block[field], str):
            problems.append(_("“%(field)s” must be text.") % {"field": field})
    for field in (*required, *optional):
        if isinstance(block.get(field), str) and len(block[field]) > MAX_TEXT:
            problems.append(_("“%(field)s” is longer than %(max)s characters.") % {"field": field, "max": MAX_TEXT})
        if isinstance(block.get(field), str) and "<" in block[field] and ">" in block[field]:
            problems.append(_("“%(field)s” contains HTML; write plain text or Markdown.") % {"field": field})
    if listed:
        name, item_fields = listed
        items = block.get(name)
        if not isinstance(items, list) or not items:
            problems.append(_("“%(field)s” must be a non-empty list.") % {"field": name})
            return problems
        for position, item in enumerate(items, start=1):
            if item_fields is None:
                if not isinstance(item, str) or not item.strip():
                    problems.append(
                        _("entry %(position)s of “%(field)s” must be text.") % {"position": position, "field": name}
                    )
                continue
            if not isinstance(item, dict):
                problems.append(
                    _("entry %(position)s of “%(field)s” must be an object.") % {"position": position, "field": name}
                )
                continue
            for item_field in item_fields:
                text = item.get(item_field)
                if not isinstance(text, str) or not text.strip():
                    problems.append(
                        _("entry %(position)s needs “%(field)s” as text.")
                        % {"position": position, "field": item_field}
                    )
                elif "<" in text and ">" in text:
                    problems.append(
                        _("entry %(position)s: “%(field)s” contains HTML; write plain text or Markdown.")
                        % {"position": position, "field": item_field}
                    )
            extra = set(item) - set(item_fields)
            if extra:
                problems.append(
                    _("entry %(position)s has unknown fields: %(fields)s.")
                    % {"position": position, "fields": ", ".join(sorted(extra))}
                )
    return problems


def rendered_blocks(blocks) -> list[dict]:
    """The blocks as the page shows them: Markdown texts rendered and sanitised (articles/rendering.py)."""
    from articles.rendering import render_markdown

    def html(text):
        return render_markdown(text).html if text else ""

    shown = []
    for block in blocks or []:
        kind = block.get("type")
        if kind == "hero":
            shown.append({**block, "text_html": html(block.get("text", ""))})
        elif kind == "faq":
            items = [{"question": item["question"], "answer_html": html(item["answer"])} for item in block["items"]]
            shown.append({**block, "items": items})
        elif kind == "steps":
            items = [{"title": item["title"], "text_html": html(item["text"])} for item in block["items"]]
            shown.append({**block, "items": items})
        else:
            shown.append(dict(block))
    return shown

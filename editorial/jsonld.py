"""Structured data (schema.org JSON-LD) for the public pages of every content type, safe inside `<script>`."""

import json

from django.utils.safestring import SafeString, mark_safe

# Characters that could end the <script> element or start markup inside JSON-LD.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld(data) -> SafeString:
    """`data` as JSON for a `<script type="application/ld+json">` element: no text in it can close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308

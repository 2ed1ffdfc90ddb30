"""Markdown to safe HTML: the article body as the public sees it.

Markdown passes raw HTML through, so everything it produces is cleaned by nh3 against an
allow-list: no scripts, no event handlers, no style attributes, and links only to http(s),
mailto and our own paths. Images only from our own site (relative URLs).
"""

import hashlib
import re
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from images.references import to_placeholders

ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "p",
    "br",
    "hr",
    "ul",
    "ol",
    "li",
    "strong",
    "em",
    "b",
    "i",
    "a",
    "blockquote",
    "code",
    "pre",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "img",
    "sup",
    "sub",
    "abbr",
    "dl",
    "dt",
    "dd",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "ol": {"start"},
}
# Relative URLs (our own pages and media) pass; of the absolute ones only these schemes.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


# Change this whenever the rendering below changes: stored bodies are then rendered afresh.
RENDERER_VERSION = "2"  # 2: library images by reference (images/references.py)


def source_digest(text: str) -> str:
    """Identifies a body and the renderer that turned it into stored HTML."""
    return hashlib.sha256(f"{RENDERER_VERSION}\n{text}".encode()).hexdigest()


@dataclass
class RenderedBody:
    html: SafeString
    toc: list[dict] = field(default_factory=list)


def _attribute_filter(tag, attribute, value):
    # Images from our own site only: a relative path, never another origin or a data: URL.
    if tag == "img" and attribute == "src" and not (value.startswith("/") and not value.startswith("//")):
        return None
    return value


def sanitise_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def render_markdown(text: str) -> RenderedBody:
    """Sanitised HTML for a Markdown body, with its h2/h3 headings as a table of contents."""
    converter = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={"toc": {"permalink": False, "toc_depth": "2-3"}},
        output_format="html",
    )
    # The page's only h1 is the article title: a "# heading" in the body becomes a section (h2).
    shifted = to_placeholders(re.sub(r"^#(?=\s)", "##", text, flags=re.MULTILINE))
    html = sanitise_html(converter.convert(shifted))
    toc = [
        {"level": int(level), "id": anchor, "title": _TAG.sub("", title).strip()}
        for level, anchor, title in _HEADING.findall(html)
    ]
    return RenderedBody(html=mark_safe(html), toc=toc)  # noqa: S308 - cleaned by nh3 above


def plain_text(text: str) -> str:
    """The body without markup, for search snippets and meta descriptions."""
    return re.sub(r"\s+", " ", nh3.clean(markdown.markdown(text), tags=set())).strip()

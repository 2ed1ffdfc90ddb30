from django import template
from django.db.models import Q
from django.utils import translation

from editorial.jsonld import json_ld
from pagecache.versions import PAGES, cached_fragment
from pages.models import Page

register = template.Library()


def _menu_items() -> list[dict]:
    """The published pages in a menu, in the active language: one query."""
    return [
        {
            "url": page.get_absolute_url(),
            "title": page.title,
            "source_id": page.source_id,
            "parent_id": page.menu_parent_id,
            "in_header": page.in_header,
            "in_footer": page.in_footer,
        }
        for page in Page.objects.published().filter(Q(in_header=True) | Q(in_footer=True)).in_language()
    ]


@register.inclusion_tag("pages/tags/menu.html", takes_context=True)
def page_menu(context, place):
    """The published pages an editor put in the header or footer, in the reader's language.

    Kept per language under the pages' content version (a menu change or a page published,
    archived or going live refreshes it), so a page that misses the page cache reads no menu from
    the database; header and footer share one read per request. A view that must not share its
    rendering (``fragment_cache`` False) reads the menu afresh.
    A page with a menu parent shows under it; a parent that is not in the menu does not hide it.
    """
    flag = {"header": "in_header", "footer": "in_footer"}[place]
    request = context.get("request")
    menu_items = getattr(request, "_menu_items", None)
    if menu_items is None:
        if context.get("fragment_cache", True) is False:
            menu_items = _menu_items()
        else:
            menu_items = cached_fragment("page-menu", [translation.get_language()], [PAGES], _menu_items)
        if request is not None:
            request._menu_items = menu_items
    items = [item for item in menu_items if item[flag]]
    shown = {item["source_id"] for item in items}
    children = {}
    for item in items:
        if item["parent_id"] in shown:
            children.setdefault(item["parent_id"], []).append(item)
    entries = [
        {**item, "children": children.get(item["source_id"], [])} for item in items if item["parent_id"] not in shown
    ]
    return {"entries": entries, "place": place, "current_path": request.path if request else ""}


@register.simple_tag
def faq_json_ld(blocks):
    """schema.org FAQPage for the page's question-and-answer blocks, safe inside a <script> element; "" without any."""
    questions = [
        {
            "@type": "Question",
            "name": item["question"],
            "acceptedAnswer": {"@type": "Answer", "text": str(item["answer_html"])},
        }
        for block in blocks
        if block.get("type") == "faq"
        for item in block["items"]
    ]
    if not questions:
        return ""
    data = {"@context": "https://schema.org", "@type": "FAQPage", "mainEntity": questions}
    return json_ld(data)

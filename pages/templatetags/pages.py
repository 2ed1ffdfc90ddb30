import json

from django import template
from django.db.models import Q
from django.utils.safestring import mark_safe

from pages.blocks import rendered_blocks
from pages.models import Page

register = template.Library()

# Characters that could end the <script> element or start markup inside JSON-LD.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.inclusion_tag("pages/tags/menu.html", takes_context=True)
def page_menu(context, place):
    """The published pages an editor put in the header or footer, in the reader's language, one query.

    A page with a menu parent shows under it; a parent that is not in the menu does not hide it.
    """
    flag = {"header": "in_header", "footer": "in_footer"}[place]
    request = context.get("request")
    # Header and footer share one query per request.
    menu_pages = getattr(request, "_menu_pages", None)
    if menu_pages is None:
        menu_pages = Page.objects.published().filter(Q(in_header=True) | Q(in_footer=True)).in_language()
        if request is not None:
            request._menu_pages = menu_pages
    pages = [page for page in menu_pages if getattr(page, flag)]
    shown = {page.source_id for page in pages}
    children = {}
    for page in pages:
        if page.menu_parent_id in shown:
            children.setdefault(page.menu_parent_id, []).append(page)
    entries = [
        {"page": page, "children": children.get(page.source_id, [])}
        for page in pages
        if page.menu_parent_id not in shown
    ]
    return {"entries": entries, "place": place, "current_path": request.path if request else ""}


@register.simple_tag
def page_blocks(page):
    return rendered_blocks(page.blocks)


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
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308

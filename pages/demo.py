"""Sample site pages in English, German and Russian, written for this demonstration (sample content).

Every page is marked `is_sample` and says so. The texts live in pages/demo_content/
(`<address>.<language>.md`: the title as "# …" on the first line, then the Markdown body; an
optional `.json` beside it holds the summary and the blocks). The workflow status is set directly
(seed data, not a staff action): every page is published. Loading again updates them in place.
"""

import datetime
import json
from pathlib import Path

from django.utils import timezone

from editorial.models import EditorialStatus
from pages.models import Page, PageKind, ReviewRole

CONTENT = Path(__file__).resolve().parent / "demo_content"
LANGUAGES = ("en", "de", "ru")  # English first: the source of the other versions

# address, kind, reviewer role, menu position, in the header, in the footer
PAGES = [
    ("home", PageKind.HOME, ReviewRole.EDITORIAL, 0, False, False),
    ("how-it-works", PageKind.HOW_IT_WORKS, ReviewRole.EDITORIAL, 10, True, False),
    ("faq", PageKind.FAQ, ReviewRole.EDITORIAL, 20, True, True),
    ("costs", PageKind.COSTS, ReviewRole.EDITORIAL, 30, True, False),
    ("about-us", PageKind.ABOUT, ReviewRole.EDITORIAL, 40, False, True),
    ("editorial-policy", PageKind.EDITORIAL_POLICY, ReviewRole.MEDICAL, 50, False, True),
    ("imprint", PageKind.IMPRINT, ReviewRole.LEGAL, 60, False, True),
    ("privacy", PageKind.PRIVACY, ReviewRole.LEGAL, 70, False, True),
    ("medical-disclaimer", PageKind.DISCLAIMER, ReviewRole.LEGAL, 80, False, True),
]


def page_text(slug: str, language: str) -> dict:
    """Title, body, summary and blocks of one sample page from its files."""
    title, _, body = (CONTENT / f"{slug}.{language}.md").read_text(encoding="utf-8").partition("\n")
    extra_path = CONTENT / f"{slug}.{language}.json"
    extra = json.loads(extra_path.read_text(encoding="utf-8")) if extra_path.exists() else {}
    return {
        "title": title.removeprefix("# ").strip(),
        "body": body.strip(),
        "summary": extra.get("summary", ""),
        "blocks": extra.get("blocks", []),
    }


def load(*, stdout):
    published_at = timezone.now() - datetime.timedelta(days=1)
    for slug, kind, review_role, order, in_header, in_footer in PAGES:
        source = None
        for language in LANGUAGES:
            page, _ = Page.objects.update_or_create(
                slug=slug,
                language=language,
                defaults={
                    **page_text(slug, language),
                    "kind": kind,
                    "review_role": review_role,
                    "translation_of": source,
                    "menu_order": order,
                    "in_header": in_header,
                    "in_footer": in_footer,
                    "status": EditorialStatus.PUBLISHED,
                    "publish_at": published_at,
                    "last_reviewed_on": timezone.localdate(),
                    "is_sample": True,
                },
            )
            page.full_clean()  # the sample blocks pass the same checks as an editor's
            page.take_live_copy()
            page.save(update_fields=["live"])
            source = source or page
    stdout.write(f"Site pages: {len(PAGES)} sample pages in {len(LANGUAGES)} languages (published).")

"""Markdown and raw HTML in an article body never put active content on the page."""

import pytest

from articles.rendering import plain_text, render_markdown
from tests.factories import ArticleFactory

ATTACKS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src="/media/x.png" onerror="alert(1)">',
    '<a href="#" onclick="alert(1)">click</a>',
    '<p onmouseover="alert(1)">hover</p>',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    '<img src="https://evil.example/track.gif" alt="x">',
    '<p style="position:fixed;top:0">styled</p>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example/"></iframe>',
    '<svg onload="alert(1)"></svg>',
    '<form action="https://evil.example/"><input name="x"></form>',
    '<object data="x.swf"></object>',
    "<a href='vbscript:msgbox(1)'>x</a>",
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onmouseover",
    "onload",
    "javascript:",
    "data:",
    "style=",
    "<style",
    "<iframe",
    "<svg",
    "<form",
    "<input",
    "<object",
    "evil.example",
    "vbscript",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_markup_never_survives_rendering(attack):
    html = render_markdown(f"Intro paragraph.\n\n{attack}\n\nMore text.").html.lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in html, (attack, forbidden)
    assert "intro paragraph" in html


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ATTACKS)
def test_dangerous_markup_never_reaches_the_public_page(client, attack):
    article = ArticleFactory(published=True, slug="attack", body=f"## Section\n\n{attack}\n\n## Next\n\nText.")
    html = client.get(article.get_absolute_url()).text
    body = html.split('class="prose article-body">', 1)[1].split("</div>", 1)[0].lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in body, (attack, forbidden)


def test_the_allowed_formatting_survives():
    markdown = (
        "# Title\n\n## Treatment options\n\nSome **bold**, *emphasis* and a [link](https://example.org/x).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n### Detail\n\n| Drug | Dose |\n| --- | --- |\n| A | 1 |\n\n"
        "![Scan](/articles/x/lead-image/)\n\n> quoted"
    )
    rendered = render_markdown(markdown)
    html = rendered.html
    for expected in ("<strong>bold</strong>", "<em>emphasis</em>", "<ul>", "<ol>", "<table>", "<blockquote>", "<th>"):
        assert expected in html
    assert '<a href="https://example.org/x" rel="noopener noreferrer nofollow">link</a>' in html
    assert '<img alt="Scan" src="/articles/x/lead-image/">' in html
    # A Markdown "# Title" becomes h2: the page's only h1 is the article title.
    assert "<h1" not in html
    assert [(h["level"], h["title"]) for h in rendered.toc] == [(2, "Title"), (2, "Treatment options"), (3, "Detail")]
    assert all(f'id="{h["id"]}"' in html for h in rendered.toc)


def test_plain_text_drops_markup():
    assert plain_text("## Head\n\nSome **bold** <script>x</script> text") == "Head Some bold text"


# --- the body stored rendered (issue 11) -------------------------------------------------------------

BODY = "# Dose\n\nThe **dose** is 7.4 GBq.\n\n## Side effects\n\n<script>alert(1)</script>Nausea."


def test_the_services_store_the_body_exactly_as_a_fresh_render(db, editor):
    from articles.models import Article
    from articles.services import article_submit_for_review
    from tests.factories import ArticleFactory

    article = ArticleFactory(body=BODY)
    assert article.body_html == ""  # written directly: nothing stored yet
    article_submit_for_review(article=article, user=editor)
    stored = Article.objects.get(pk=article.pk)
    fresh = render_markdown(BODY)
    assert stored.body_html == str(fresh.html) and stored.body_toc == fresh.toc
    assert stored.rendered.html == fresh.html and stored.rendered.toc == fresh.toc
    assert "<script" not in stored.body_html


def test_the_admin_stores_the_rendered_body(client, editor):
    from articles.models import Article

    client.force_login(editor)
    client.post(
        "/admin/articles/article/add/",
        {
            "title": "Stored",
            "slug": "stored",
            "language": "en",
            "standfirst": "Summary.",
            "body": BODY,
            "lead_image": "",
            "expires_at_0": "",
            "expires_at_1": "",
            "review_interval_months": "12",
            "references-TOTAL_FORMS": "0",
            "references-INITIAL_FORMS": "0",
            "references-MIN_NUM_FORMS": "0",
            "references-MAX_NUM_FORMS": "1000",
            "_save": "Save",
        },
    )
    assert Article.objects.get(slug="stored").body_html == str(render_markdown(BODY).html)


def test_a_stored_body_that_no_longer_matches_is_rendered_afresh(db, editor):
    from articles.models import Article
    from articles.services import article_submit_for_review
    from tests.factories import ArticleFactory

    article = ArticleFactory(body=BODY)
    article_submit_for_review(article=article, user=editor)
    Article.objects.filter(pk=article.pk).update(body="Changed *elsewhere*.")
    assert Article.objects.get(pk=article.pk).rendered.html == render_markdown("Changed *elsewhere*.").html


def test_the_data_migration_stores_existing_bodies(db):
    import importlib

    from django.apps import apps

    from articles.models import Article
    from tests.factories import ArticleFactory

    ArticleFactory(slug="old-row", body=BODY)
    migration = importlib.import_module("articles.migrations.0004_stored_body_html")
    migration.store_rendered_bodies(apps, None)
    stored = Article.objects.get(slug="old-row")
    assert stored.body_html == str(render_markdown(BODY).html)
    assert stored.rendered.toc == render_markdown(BODY).toc

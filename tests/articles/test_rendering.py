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

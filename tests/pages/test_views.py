"""The public side of site pages: languages, blocks, JSON-LD, menus, redirects, sitemap, cache."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pages import services
from pages.models import Page, PageRedirect
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db

FAQ_BLOCK = {
    "type": "faq",
    "items": [{"question": "Does your advice cost anything?", "answer": "No, it is **free**."}],
}


def json_ld(html):
    return [json.loads(match) for match in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)]


def test_the_faq_is_rendered_with_faqpage_json_ld(client):
    make_page(published=True, blocks=[FAQ_BLOCK])
    html = client.get("/faq/").text
    assert "<summary" in html and "Does your advice cost anything?" in html
    assert "<strong>free</strong>" in html
    data = json_ld(html)[0]
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == "Does your advice cost anything?"
    assert "free" in data["mainEntity"][0]["acceptedAnswer"]["text"]


def test_editor_markup_is_sanitised(client):
    make_page(published=True, body='Hello <script>alert(1)</script> <a href="javascript:alert(1)">x</a>')
    html = client.get("/faq/").text
    assert "alert(1)</script>" not in html and "javascript:" not in html


def test_drafts_and_unknown_addresses_are_404(client):
    make_page()
    assert client.get("/faq/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_the_readers_language_is_chosen_with_fallback(client):
    english = make_page(published=True, title="FAQ")
    make_page(published=True, title="Häufige Fragen", language="de", translation_of=english)
    client.cookies["django_language"] = "de"
    html = client.get("/faq/").text
    assert ">Häufige Fragen</h1>" in html
    assert 'hreflang="en"' in html and 'hreflang="de"' in html
    client.cookies["django_language"] = "ru"  # no Russian version: English is the fallback
    assert ">FAQ</h1>" in client.get("/faq/").text


def test_a_renamed_address_redirects_permanently(client, commit):
    page = make_page(published=True, slug="questions")
    translation = make_page(published=True, slug="questions", language="de", translation_of=page)
    old = page.slug
    page.slug = "faq"
    page.save()
    with commit():
        services.page_address_changed(page=page, old_slug=old)
    translation.refresh_from_db()
    assert translation.slug == "faq"
    response = client.get("/questions/")
    assert response.status_code == 301 and response["Location"] == "/faq/"
    assert client.get("/faq/").status_code == 200
    # A second rename keeps one hop, and taking a name back removes its redirect.
    page.slug = "help"
    page.save()
    services.page_address_changed(page=page, old_slug="faq")
    assert dict(PageRedirect.objects.values_list("old_slug", "new_slug")) == {"questions": "help", "faq": "help"}


def test_the_menus_show_what_editors_chose_in_their_order(client):
    make_page(published=True, slug="costs", title="Costs", in_header=True, menu_order=20)
    how = make_page(published=True, slug="how-it-works", title="How it works", in_header=True, menu_order=10)
    make_page(published=True, slug="step-one", title="Step one", in_header=True, menu_parent=how, menu_order=5)
    make_page(published=True, slug="imprint", title="Imprint", kind="imprint", review_role="legal", in_footer=True)
    make_page(slug="draft-page", title="Draft page", in_header=True, in_footer=True)
    html = client.get("/").text
    header, footer = html.split("</header>")
    assert header.index("How it works") < header.index("Step one") < header.index("Costs")
    assert "Imprint" not in header and 'href="/imprint/"' in footer
    assert "Draft page" not in html


def menu_queries(queries):
    """The menu's read: the only query that filters on the menu places."""
    return [query for query in queries if '"in_header"' in query["sql"].partition("WHERE")[2]]


def test_a_page_missing_the_cache_reads_no_menu_and_marks_its_own_link(client, page_cache_schedule):
    costs = make_page(published=True, slug="costs", title="Costs", kind="costs", in_header=True, menu_order=20)
    make_page(published=True, in_header=True, menu_order=10)
    make_page(
        published=True, slug="costs", title="Kosten", kind="costs", language="de", translation_of=costs, in_header=True
    )
    page_cache_schedule()
    assert client.get("/faq/?from=a")["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/costs/?from=b")
    assert response["X-Page-Cache"] == "miss"
    assert not menu_queries(queries)
    header = response.text.split("</header>")[0]
    assert re.search(r'active" aria-current="page" href="/costs/"', header)
    assert 'aria-current="page" href="/faq/"' not in header
    # Kept per language: the German menu is read once, in German.
    client.cookies["django_language"] = "de"
    with CaptureQueriesContext(connection) as queries:
        german = client.get("/costs/").text.split("</header>")[0]
    assert len(menu_queries(queries)) == 1
    assert ">Kosten</a>" in german and ">Costs</a>" not in german


def test_the_staff_preview_reads_the_menu_afresh(client, editor):
    page = make_page(published=True, in_header=True)
    client.get("/faq/")  # the menu is kept
    client.force_login(editor)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(f"/site-pages/preview/{page.pk}/").text
    assert len(menu_queries(queries)) == 1
    assert 'href="/faq/"' in html.split("</header>")[0]


def test_the_legal_addresses_keep_working(client, site_pages):
    for url, heading in (("/imprint/", "Imprint"), ("/privacy/", "Privacy notice"), ("/medical-disclaimer/", "")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f">{heading}" in response.text
    imprint = client.get("/imprint/").text
    assert "Amtsgericht" in imprint  # the operator's details come from the content


def test_every_sample_page_renders_in_every_language(client, site_pages):
    for language in ("en", "de", "ru"):
        client.cookies["django_language"] = language
        for page in Page.objects.filter(language=language).exclude(kind="home"):
            response = client.get(page.get_absolute_url())
            assert response.status_code == 200
            assert f">{page.title}</h1>" in response.text, (language, page.slug)
            assert f'<html lang="{language}">' in response.text


def test_the_home_page_shows_its_editable_hero_and_the_live_status(client, site_pages):
    from tests.hospitals.factories import HospitalFactory, record_status

    record_status(HospitalFactory(slug="klinik", name="Klinik"))
    html = client.get("/").text
    assert "Medical treatment in Germany, explained and arranged" in html
    assert "Care Bridge Germany is a coordination service" in html
    assert "admission-summary" in html  # the live hospital status summary stays
    client.cookies["django_language"] = "ru"
    assert "Лечение в Германии: объясняем и организуем" in client.get("/").text


def test_a_home_page_edit_changes_the_hero(client, site_pages, legal_reviewer, commit):
    home = Page.objects.get(kind="home", language="en")
    home.blocks = [{"type": "hero", "heading": "A new welcome", "text": "Hello."}]
    home.status = "in_review"
    home.save()
    client.get("/")
    with commit():
        services.page_publish(page=home, user=legal_reviewer)
    assert "A new welcome" in client.get("/").text


def cached(client, *urls):
    """Fetch each page twice: the second answer must come from the cache."""
    for url in urls:
        client.get(url)
        assert client.get(url).get("X-Page-Cache") == "hit", url


def test_publishing_and_archiving_show_on_the_very_next_request(client, commit, editor, legal_reviewer):
    page = make_page(published=True, blocks=[FAQ_BLOCK], in_footer=True)
    cached(client, "/faq/", "/")
    with commit():
        services.page_return_to_draft(page=page, user=legal_reviewer)
    page.title = "Questions and answers"
    page.save()
    with commit():
        services.page_submit_for_review(page=page, user=editor)
        services.page_publish(page=page, user=legal_reviewer)
    assert ">Questions and answers</h1>" in client.get("/faq/").text
    assert "Questions and answers" in client.get("/").text  # the footer menu of every page
    cached(client, "/faq/")
    with commit():
        services.page_archive(page=page, user=legal_reviewer)
    assert client.get("/faq/").status_code == 404


def test_saving_a_draft_keeps_the_cache(client, commit, editor):
    make_page(published=True)
    draft = make_page(slug="draft-page")
    cached(client, "/faq/")
    with commit():
        services.page_submit_for_review(page=draft, user=editor)
    assert client.get("/faq/").get("X-Page-Cache") == "hit"


def test_sitemap_lists_published_pages_with_their_language_alternates(client):
    english = make_page(published=True)
    make_page(published=True, language="de", translation_of=english, title="Fragen")
    make_page(slug="draft-page")
    xml = client.get("/sitemap.xml").text
    assert "/faq/</loc>" in xml
    assert 'hreflang="de"' in xml
    assert "draft-page" not in xml


def test_preview_is_for_staff_only(client, editor):
    page = make_page(body="Draft words.")
    assert client.get(f"/site-pages/preview/{page.pk}/").status_code == 302
    client.force_login(editor)
    html = client.get(f"/site-pages/preview/{page.pk}/").text
    assert "Draft words." in html and 'name="robots" content="noindex' in html


def test_a_page_queries_the_database_a_bounded_number_of_times(
    client, site_pages, django_assert_max_num_queries, page_cache_schedule
):
    page_cache_schedule()
    # The page with its versions, the language alternates, the site notices and the menus.
    with django_assert_max_num_queries(4):
        assert client.get("/faq/").status_code == 200


def test_a_page_with_blocks_renders_them_once(client, monkeypatch, django_assert_max_num_queries, page_cache_schedule):
    import articles.rendering
    from tests.factories import ImageFactory

    image = ImageFactory()
    steps = {"type": "steps", "items": [{"title": "Write to us", "text": f"![](image:{image.pk}) Then we answer."}]}
    make_page(published=True, blocks=[FAQ_BLOCK, steps], body=f"Intro ![](image:{image.pk})")
    rendered = []
    render_markdown = articles.rendering.render_markdown
    monkeypatch.setattr(
        articles.rendering, "render_markdown", lambda text: rendered.append(text) or render_markdown(text)
    )
    page_cache_schedule()
    # The page with its versions, the language alternates, the site notices, the menus, and the
    # library image of the body and the one of the blocks.
    with django_assert_max_num_queries(6):
        html = client.get("/faq/").text
    assert "Then we answer." in html and json_ld(html)
    assert len(rendered) == len(set(rendered)) == 3  # the body, the answer and the step, once each

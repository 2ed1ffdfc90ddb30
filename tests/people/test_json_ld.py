"""JSON-LD is escaped by one helper for every content type (articles, site pages, team profiles)."""

import json

from editorial.jsonld import json_ld


def test_nothing_in_the_data_can_close_the_script_element():
    data = {"name": "</script><script>alert(1)</script>", "about": "A & B", "city": "Köln"}
    text = json_ld(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "Köln" in text  # not ASCII-escaped: readable for people and search engines alike
    assert json.loads(text) == data


def test_articles_pages_and_people_use_the_same_helper():
    import articles.templatetags.articles as article_tags
    import pages.templatetags.pages as page_tags
    import people.views as people_views

    assert article_tags.json_ld is page_tags.json_ld is people_views.json_ld is json_ld
    for module in (article_tags, page_tags, people_views):
        assert not hasattr(module, "_JSON_SCRIPT_ESCAPES")

"""Search finds by title, standfirst and body on both databases; PostgreSQL also by word stems."""

import pytest
from django.db import connection

from articles.models import Article
from articles.search import search_articles
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search needs PostgreSQL")
on_sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="the fallback runs where PostgreSQL does not")


@pytest.fixture
def articles():
    return {
        "title": ArticleFactory(
            published=True, slug="t", title="Somatostatin analogues explained", standfirst="Injections.", body="Text."
        ),
        "standfirst": ArticleFactory(
            published=True, slug="s", title="Living with NET", standfirst="How somatostatin eases symptoms.", body="x"
        ),
        "body": ArticleFactory(
            published=True, slug="b", title="Surgery", standfirst="Operations.", body="Afterwards somatostatin helps."
        ),
        "other": ArticleFactory(published=True, slug="o", title="Chemotherapy", standfirst="Cycles.", body="None."),
        "german": ArticleFactory(
            published=True,
            slug="de",
            language="de",
            title="Behandlung neuroendokriner Tumoren",
            standfirst="Welche Therapien es in Deutschland gibt.",
            body="Die Operation ist oft die erste Wahl. Viele Patienten werden operiert.",
        ),
    }


def found(text):
    return {article.slug for article in search_articles(Article.objects.published(), text)}


def test_search_finds_title_standfirst_and_body(articles):
    assert found("somatostatin") == {"t", "s", "b"}
    assert found("SOMATOSTATIN") == {"t", "s", "b"}
    assert found("chemotherapy") == {"o"}
    assert found("Deutschland") == {"de"}
    assert found("nothing-like-this") == set()
    assert found("   ") == {"t", "s", "b", "o", "de"}


def test_every_word_must_match(articles):
    assert found("somatostatin surgery") == {"b"}


@on_postgresql
def test_title_matches_rank_above_standfirst_above_body(articles):
    ranked = [article.slug for article in search_articles(Article.objects.published(), "somatostatin")]
    assert ranked == ["t", "s", "b"]


@on_postgresql
def test_german_text_is_found_by_its_stem(articles):
    # "Operationen" and "operiert" share stems with "Operation" only under the German configuration.
    assert found("Operationen") == {"de"}
    assert found("Tumor") == {"de"}
    assert "de" not in found("the")


@on_postgresql
def test_english_text_is_found_by_its_stem(articles):
    assert found("injection") == {"t"}
    assert found("operations") == {"b", "de"}
    assert found("eased") == {"s"}


@on_postgresql
def test_search_uses_the_gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'articles_article'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"article_search_en_idx", "article_search_de_idx"} <= names


@on_sqlite
def test_the_fallback_matches_substrings(articles):
    assert found("somato") == {"t", "s", "b"}


def test_results_page_highlights_matches_and_escapes_text(client, articles):
    ArticleFactory(published=True, slug="evil", title="Evil", standfirst="<b>somatostatin</b> & co", body="x")
    html = client.get("/articles/?q=somatostatin").text
    assert "<mark>somatostatin</mark>" in html
    # Whatever an editor typed is text: escaped by us (SQLite) or dropped by ts_headline (PostgreSQL).
    assert "<b>" not in html


def test_search_box_keeps_the_query_and_counts_results(client, articles):
    html = client.get("/articles/?q=somatostatin").text
    assert 'value="somatostatin"' in html
    assert "3 articles found." in html


@pytest.mark.parametrize("query", ["!!! && (", '"unclosed', "or -", "a:*", "%_%", "\\", "ä ö ü ß", "<script>"])
def test_odd_queries_never_fail(client, articles, query):
    response = client.get("/articles/", {"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.text.split("<main", 1)[1].split("</main>", 1)[0]


@on_sqlite
def test_the_fallback_extract_starts_at_a_word_and_marks_the_match():
    from articles.search import highlighted_extract

    article = ArticleFactory.build(standfirst="Nothing here.", body="word " * 60 + "somatostatin and more words " * 20)
    extract = highlighted_extract(article, "somatostatin")
    assert extract.startswith("… word ")
    assert "<mark>somatostatin</mark>" in extract
    assert extract.endswith(" …")


@on_postgresql
def test_the_planner_can_answer_a_search_from_the_gin_indexes(articles):
    # Without the status filter, whose btree index the planner would rather use on a tiny table.
    queryset = search_articles(Article.objects.all(), "somatostatin")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "article_search_en_idx" in plan, plan
    assert "article_search_de_idx" in plan, plan


@pytest.fixture
def russian():
    return ArticleFactory(
        published=True,
        slug="ru",
        language="ru",
        title="Лечение нейроэндокринных опухолей",
        standfirst="Какие методы лечения есть в Германии.",
        body="Операция часто стоит на первом месте. Многих пациентов оперируют.",
    )


def test_russian_articles_are_found_whatever_the_case(articles, russian):
    assert found("лечение") == {"ru"}
    assert found("ГЕРМАНИИ") == {"ru"}
    assert found("операция пациентов") == {"ru"}
    assert found("операция somatostatin") == set()


@on_sqlite
def test_the_fallback_matches_cyrillic_substrings_without_regard_to_case(articles, russian):
    # SQLite's LIKE folds ASCII letters only; the fallback folds Cyrillic itself.
    assert found("ОПУХОЛ") == {"ru"}
    html = search_articles(Article.objects.published(), "германии")
    assert [article.slug for article in html] == ["ru"]


@on_postgresql
def test_russian_text_is_found_by_its_stem_with_its_own_index(articles, russian):
    # "опухоль" and "операции" share stems with the text only under the Russian configuration.
    assert found("опухоль") == {"ru"}
    assert found("операции") == {"ru"}
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'article_search_ru_idx'")
        (definition,) = cursor.fetchone()
    assert "'russian'::regconfig" in definition and "'ru'" in definition

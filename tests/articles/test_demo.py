from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article, ArticleStatus

pytestmark = pytest.mark.django_db


def test_demo_articles_cover_the_workflow_and_every_language(client):
    call_command("load_demo_content", stdout=StringIO())
    call_command("load_demo_content", stdout=StringIO())  # idempotent
    articles = Article.objects.all()
    assert articles.count() >= 5
    assert all(article.is_sample for article in articles)
    assert {article.language for article in articles} == {"en", "de", "ru"}
    statuses = set(articles.values_list("status", flat=True))
    assert {ArticleStatus.PUBLISHED, ArticleStatus.IN_REVIEW, ArticleStatus.DRAFT} <= statuses

    guide = Article.objects.published().get(slug="treating-neuroendocrine-tumours-in-germany")
    assert "70%" in guide.body
    assert {t.slug for t in guide.treatments.all()} >= {"surgery", "somatostatin-analogues", "lutetium-177-prrt"}
    html = client.get(guide.get_absolute_url()).text
    assert "Sample content" in html
    assert "Medically reviewed by" in html
    assert client.get("/articles/lutetium-177-therapy/").status_code == 200
    assert client.get("/articles/lung-cancer-surgery-and-targeted-therapy/").status_code == 404


def test_the_russian_net_guide_is_sample_content_linked_to_its_english_and_german_versions(client):
    call_command("load_demo_content", stdout=StringIO())
    russian = Article.objects.published().get(language="ru")
    assert russian.is_sample
    assert russian.translation_of.slug == "treating-neuroendocrine-tumours-in-germany"
    page = client.get(russian.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").text
    assert 'lang="ru"' in page
    assert "Это пример текста" in page
    # "Also available in" names the other versions in their own language, and the head links them.
    assert ">English</a>" in page and ">Deutsch</a>" in page
    assert 'hreflang="de" href="http://testserver/articles/neuroendokrine-tumoren-behandlung/"' in page
    english = client.get("/articles/treating-neuroendocrine-tumours-in-germany/").text
    assert ">Русский</a>" in english
    assert f'hreflang="ru" href="http://testserver{russian.get_absolute_url()}"' in english

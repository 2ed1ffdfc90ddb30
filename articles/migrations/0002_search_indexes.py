"""Full-text search indexes, PostgreSQL only: one partial GIN index per article language.

Each index holds exactly the weighted vector that articles/search.py queries, so the planner can
use it. SQLite has no GIN indexes; there the search falls back to a word match (no index).
"""

from django.db import migrations
from django.db.models import Q

LANGUAGES = {"en": "english", "de": "german"}


def _indexes():
    from django.contrib.postgres.indexes import GinIndex

    from articles.search import search_vector

    return [
        GinIndex(search_vector(config), condition=Q(language=language), name=f"article_search_{language}_idx")
        for language, config in LANGUAGES.items()
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Article = apps.get_model("articles", "Article")
    for index in _indexes():
        schema_editor.add_index(Article, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    Article = apps.get_model("articles", "Article")
    for index in _indexes():
        schema_editor.remove_index(Article, index)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]

    operations = [migrations.RunPython(add_indexes, remove_indexes)]

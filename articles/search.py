"""The portal's article search: full text on PostgreSQL, a simple word match elsewhere.

PostgreSQL: title (weight A) above standfirst (B) above body (C), stemmed with the 'english',
'german' or 'russian' configuration by the article's language, ranked, with highlighted extracts.
One partial GIN index per language (migrations 0002 and 0005) holds exactly the vectors built
here, so the planner can use them. SQLite: every word of the query must appear (case-insensitively,
Cyrillic included) in the title, standfirst or body; extracts are highlighted in Python.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, TextField, Value, When
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from articles.rendering import plain_text

# One configuration (and one partial GIN index, migrations 0002 and 0005) per article language.
SEARCH_CONFIGS = {"en": "english", "de": "german", "ru": "russian"}
MAX_QUERY_LENGTH = 200
# Marks that cannot occur in text typed into the admin: the extract is escaped first, then these
# become <mark>, so nothing an editor wrote is ever treated as HTML.
_START, _STOP = "\x02", "\x03"


def search_vector(config: str):
    """The weighted document vector; the GIN indexes are built on exactly this expression."""
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("standfirst", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def uses_full_text_search() -> bool:
    return connection.vendor == "postgresql"


def clean_query(text: str) -> str:
    """Printable words only: a NUL or other control character in a query breaks PostgreSQL."""
    printable = "".join(character if character.isprintable() else " " for character in text)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def search_articles(queryset, text: str):
    """The articles in `queryset` that match `text`, best first on PostgreSQL, newest first elsewhere."""
    text = clean_query(text)
    if not text:
        return queryset
    if uses_full_text_search():
        return _full_text(queryset, text)
    return _word_match(queryset, text)


def _full_text(queryset, text):
    matches = Q()
    rank_cases, headline_cases = [], []
    for language, config in SEARCH_CONFIGS.items():
        query = SearchQuery(text, config=config, search_type="websearch")
        queryset = queryset.alias(**{f"search_vector_{language}": search_vector(config)})
        matches |= Q(language=language, **{f"search_vector_{language}": query})
        rank_cases.append(When(language=language, then=SearchRank(F(f"search_vector_{language}"), query)))
        headline_cases.append(
            When(
                language=language,
                then=SearchHeadline(
                    Concat("standfirst", Value(" \n"), "body", output_field=TextField()),
                    query,
                    config=config,
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
        )
    return (
        queryset.filter(matches)
        .annotate(
            search_rank=Case(*rank_cases, default=Value(0.0), output_field=FloatField()),
            search_headline=Case(*headline_cases, default=Value(""), output_field=TextField()),
        )
        .order_by("-search_rank", "-publish_at", "-pk")
    )


def _word_match(queryset, text):
    words = text.split()
    if all(word.isascii() for word in words):
        for word in words:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(standfirst__icontains=word) | Q(body__icontains=word)
            )
        return queryset
    # SQLite's LIKE ignores case for ASCII letters only, so "Лютеций" would miss "лютеций": words
    # beyond ASCII are matched in Python. Only the development fallback takes this path.
    folded = [word.casefold() for word in words]
    matching = [
        pk
        for pk, *texts in queryset.values_list("pk", "title", "standfirst", "body")
        if all(word in " ".join(texts).casefold() for word in folded)
    ]
    return queryset.filter(pk__in=matching)


_MARKDOWN_SYMBOLS = re.compile(r"[#*_`>|]+|\[|\]\([^)]*\)|\]")


def highlighted_extract(article, text: str) -> str:
    """A short, escaped extract of the article with the query's words in <mark>."""
    text = clean_query(text)
    headline = getattr(article, "search_headline", None)
    if headline:
        cleaned = escape(_MARKDOWN_SYMBOLS.sub("", headline))
        return mark_safe(cleaned.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308 - escaped above
    source = article.standfirst
    words = [re.escape(word) for word in text.split() if word]
    if not words:
        return escape(source)
    body = plain_text(article.body)
    pattern = re.compile("|".join(words), re.IGNORECASE)
    if not pattern.search(source) and (found := pattern.search(body)):
        # Start and end the extract at word boundaries, about 80 characters before the match.
        start = body.rfind(" ", 0, max(found.start() - 80, 0)) + 1
        end = body.find(" ", start + 240)
        source = ("… " if start else "") + body[start : end if end != -1 else None] + (" …" if end != -1 else "")
    pieces, last = [], 0
    for found in pattern.finditer(source):
        pieces += [escape(source[last : found.start()]), f"<mark>{escape(found.group(0))}</mark>"]
        last = found.end()
    pieces.append(escape(source[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped

"""The order in which content falls back from the reader's language, stated once in settings.

Model fields translated with django-modeltranslation follow `MODELTRANSLATION_FALLBACK_LANGUAGES`
themselves; these helpers apply the same order where content is not read through a model
attribute: in SQL (an annotated status note) and in data files (the document checklists).
A whole value falls back, never part of one, so a sentence is always in one language.
"""

from collections.abc import Mapping

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language


def language_codes() -> list[str]:
    """The site's languages, in the order of settings.LANGUAGES."""
    return [code for code, _name in settings.LANGUAGES]


def fallback_chain(language: str | None = None) -> list[str]:
    """The reader's language (the active one by default), then its fallbacks, each once."""
    codes = language_codes()
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    chain = [language, *fallbacks.get(language, fallbacks["default"])]
    return [code for code in dict.fromkeys(chain) if code in codes]


def pick(values: Mapping[str, str], language: str | None = None, default: str = "") -> str:
    """The first non-empty value along the fallback chain, e.g. from {"en": …, "de": …}."""
    for code in fallback_chain(language):
        if values.get(code):
            return values[code]
    return default


def translated(field: str, language: str | None = None):
    """An SQL expression for a translated field's value in the reader's language, with fallback.

    For annotations and orderings (`order_by(translated("name"))`); `field` is the field's name
    without a language suffix.
    """
    return Coalesce(
        *(NullIf(F(f"{field}_{code}"), Value("")) for code in fallback_chain(language)),
        Value(""),
        output_field=TextField(),
    )


def localized_names(field: str) -> list[str]:
    """The per-language field names of a translated field, in the order of settings.LANGUAGES."""
    return [f"{field}_{code}" for code in language_codes()]

"""Names of languages in the reader's language, from Babel's CLDR data (never typed by us).

Staff record a spoken language as its ISO 639-1 code ("ru"); an English or German name they type
("Russian", "Russisch") is turned into the code when the record is saved, so every reader sees the
name in their own language: "Englisch, Arabisch, Russisch", "английский, арабский, русский".
"""

from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.utils.translation import get_language


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (ValueError, UnknownLocaleError):
        return Locale.parse(settings.LANGUAGE_CODE)


@cache
def _codes_by_name() -> dict[str, str]:
    """Language names in the site's languages (and the codes themselves), lower-cased, to ISO codes."""
    names = {}
    for site_language, _label in settings.LANGUAGES:
        for code, name in _locale(site_language).languages.items():
            if len(code) == 2:
                names.setdefault(name.casefold(), code)
                names.setdefault(code, code)
    return names


def language_code(text: str) -> str | None:
    """The ISO 639-1 code for a language written as a code or as its name in a site language."""
    return _codes_by_name().get(text.strip().casefold())


def normalise_language_list(text: str) -> str:
    """A comma-separated list of languages as codes ("en, ar, ru"); unknown entries are kept as typed."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    codes = [language_code(part) or part for part in parts]
    return ", ".join(dict.fromkeys(codes))


def language_name(code: str, language: str | None = None) -> str:
    """The language's name in the reader's language (the active one by default); the code if unknown."""
    return _locale((language or get_language() or settings.LANGUAGE_CODE).split("-")[0]).languages.get(code, code)


def language_names(text: str, language: str | None = None) -> list[str]:
    """Each language of a stored list, named in the reader's language."""
    return [language_name(part.strip(), language) for part in text.split(",") if part.strip()]

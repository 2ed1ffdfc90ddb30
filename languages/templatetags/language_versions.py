"""Template tags for records with language versions (languages/models.py).

``{% load language_versions %}`` then, in the head, ``{% language_alternates versions %}`` (one
``<link rel="alternate" hreflang>`` per version, itself included), and in the page,
``{% also_available versions current %}`` ("Also available in: Deutsch, Русский").
``versions`` is ``obj.language_versions(<public queryset>)``; each version needs
``get_absolute_url()``.
"""

from functools import cache

from babel.core import Locale, get_global
from django import template

from languages.models import language_name_local

register = template.Library()


@register.inclusion_tag("languages/alternates.html", takes_context=True)
def language_alternates(context, versions):
    request = context["request"]
    links = [
        {"language": version.language, "url": request.build_absolute_uri(version.get_absolute_url())}
        for version in versions
    ]
    return {"links": links if len(links) > 1 else []}


@register.inclusion_tag("languages/also_available.html")
def also_available(versions, current):
    others = [
        {
            "language": version.language,
            "name": language_name_local(version.language),
            "url": version.get_absolute_url(),
        }
        for version in versions
        if version.pk != current.pk
    ]
    return {"others": others}


# Our English is British; every other language takes CLDR's likely country.
OG_LOCALE_OVERRIDES = {"en": "en_GB"}


@register.simple_tag
@cache
def og_locale(language: str) -> str:
    """The Open Graph locale for a language code: "de" → "de_DE", from CLDR's likely subtags."""
    if language in OG_LOCALE_OVERRIDES:
        return OG_LOCALE_OVERRIDES[language]
    likely = get_global("likely_subtags").get(language)
    if not likely:
        return language
    locale = Locale.parse(likely)
    return f"{locale.language}_{locale.territory}" if locale.territory else locale.language

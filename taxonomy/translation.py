"""Which taxonomy fields are written per language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from taxonomy.models import Condition, Treatment


@register([Condition, Treatment])
class TermTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}  # the source; other languages fall back to it

"""Which image fields are written per language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from images.models import Image


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt_text",)
    required_languages = {"en": ("alt_text",)}  # the source; other languages fall back to it

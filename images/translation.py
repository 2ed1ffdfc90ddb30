"""Which image fields are written per language (django-modeltranslation), and the image's history."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from images.models import Image


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt_text",)
    required_languages = {"en": ("alt_text",)}  # the source; other languages fall back to it


# After the per-language fields exist: who changed which alt text, credit, licence or focal point.
register_history(Image, app="images")

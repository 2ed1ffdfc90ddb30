"""Which fields of a person are written per language (django-modeltranslation), and its history."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from people.models import Person


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("job_title", "specialties", "biography")  # other languages fall back to English


# After the per-language fields exist, so that each saved version keeps every language's text.
register_history(Person, app="people", excluded_fields=["updated_at"])

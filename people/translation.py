"""Which fields of a person are written per language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from people.models import Person


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("job_title", "specialties", "biography")  # other languages fall back to English

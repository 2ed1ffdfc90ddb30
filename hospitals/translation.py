"""Which directory fields are written per language (django-modeltranslation).

English is the source; an empty field in the reader's language shows the English one whole
(settings.MODELTRANSLATION_FALLBACK_LANGUAGES). Names of hospitals stay as the hospital writes
them; city names have their own rule (languages/places.py).
"""

from modeltranslation.translator import TranslationOptions, register

from hospitals.models import AdmissionStatus, Certification, Hospital, SiteNotice


@register(Hospital)
class HospitalTranslationOptions(TranslationOptions):
    fields = ("description", "departments")


@register(Certification)
class CertificationTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
    # Empty translations are NULL, so that the unique name allows many certifications without one.
    empty_values = {"name": None}


@register(AdmissionStatus)
class AdmissionStatusTranslationOptions(TranslationOptions):
    fields = ("note",)


@register(SiteNotice)
class SiteNoticeTranslationOptions(TranslationOptions):
    fields = ("title", "message")
    required_languages = {"en": ("title", "message")}

"""Every translated field of every public demo object exists in each language or falls back as documented."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from modeltranslation.translator import translator

from hospitals.models import AdmissionStatus, Certification, Hospital, SiteNotice
from images.models import Image
from languages.fallback import fallback_chain
from people.models import Person
from taxonomy.models import Condition, Treatment

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# What the demo must have written in every language, not left to the fallback.
COMPLETE = {
    Condition: ["name", "description"],
    Treatment: ["name", "description"],
    Hospital: ["description", "departments"],
    Certification: ["name", "description"],
    Image: ["alt_text"],
    Person: ["job_title", "biography"],
}


def public_objects():
    return {
        Condition: Condition.objects.all(),
        Treatment: Treatment.objects.all(),
        Hospital: Hospital.objects.all(),
        Certification: Certification.objects.all(),
        AdmissionStatus: AdmissionStatus.objects.all(),
        SiteNotice: SiteNotice.objects.active(),
        Image: Image.objects.all(),
        Person: Person.objects.listed(),
    }


@pytest.fixture
def demo():
    call_command("load_demo_content", stdout=StringIO())


def test_every_translated_model_is_checked_here():
    assert set(translator.get_registered_models(abstract=False)) == set(public_objects())


def test_each_field_reads_its_own_language_or_the_first_filled_one_of_its_chain(demo):
    for model, objects in public_objects().items():
        fields = translator.get_options_for_model(model).fields
        for obj in objects:
            for field in fields:
                for language in LANGUAGES:
                    own = [getattr(obj, f"{field}_{code}") for code in fallback_chain(language)]
                    expected = next((value for value in own if value), "")
                    with translation.override(language):
                        assert getattr(obj, field) == expected, (model.__name__, obj.pk, field, language)
                if obj._meta.get_field(field).blank is False:
                    assert getattr(obj, f"{field}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}"), (obj, field)


def test_the_demo_writes_names_descriptions_and_departments_in_every_language(demo):
    for model, fields in COMPLETE.items():
        for obj in model.objects.all():
            for field in fields:
                for language in LANGUAGES:
                    assert getattr(obj, f"{field}_{language}"), (model.__name__, obj.pk, field, language)


def test_the_demo_has_russian_status_notes_and_shows_the_documented_fallback(demo):
    notes = AdmissionStatus.objects.exclude(note_en="")
    assert notes.exclude(note_ru__isnull=True).exclude(note_ru="").count() >= 3
    fallback = notes.filter(note_en="All international patients admitted again.").first()
    assert not fallback.note_ru
    with translation.override("ru"):
        assert fallback.note == "All international patients admitted again."
    with translation.override("de"):
        assert fallback.note == "Alle internationalen Patientinnen und Patienten werden wieder aufgenommen."


def test_a_russian_name_changed_in_the_admin_shows_on_the_next_russian_request(
    client, superuser, demo, django_capture_on_commit_callbacks
):
    lutetium = Treatment.objects.get(slug="lutetium-177-prrt")
    assert "Радионуклидная терапия лютецием-177" in client.get("/hospitals/", HTTP_ACCEPT_LANGUAGE="ru").text
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/taxonomy/treatment/{lutetium.pk}/change/",
            {
                "slug": lutetium.slug,
                "name_en": lutetium.name_en,
                "name_de": lutetium.name_de,
                "name_ru": "Терапия лютецием-177",
                "description_en": lutetium.description_en,
                "description_de": lutetium.description_de,
                "description_ru": lutetium.description_ru,
            },
        )
    assert response.status_code == 302
    client.logout()
    assert "Терапия лютецием-177" in client.get("/hospitals/", HTTP_ACCEPT_LANGUAGE="ru").text

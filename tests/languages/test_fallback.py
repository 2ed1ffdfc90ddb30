"""Content in the reader's language, falling back whole along the one configured chain."""

import pytest
from django.test import override_settings
from django.utils import translation

from hospitals.models import AdmissionStatus, Hospital, SiteNotice
from inquiries import checklists
from languages.fallback import fallback_chain, pick
from tests.factories import TreatmentFactory
from tests.hospitals.factories import HospitalFactory, record_status


def test_the_chain_comes_from_the_one_setting():
    assert fallback_chain("ru") == ["ru", "en"]
    assert fallback_chain("de") == ["de", "en"]
    assert fallback_chain("en") == ["en"]
    assert fallback_chain("de-at") == ["de", "en"]
    with override_settings(MODELTRANSLATION_FALLBACK_LANGUAGES={"default": ("en",), "ru": ("de", "en")}):
        assert fallback_chain("ru") == ["ru", "de", "en"]


def test_pick_takes_the_first_non_empty_value_along_the_chain():
    assert pick({"en": "Histology", "ru": "Гистология"}, "ru") == "Гистология"
    assert pick({"en": "Histology", "ru": ""}, "ru") == "Histology"
    assert pick({"en": "Histology", "ru": "Гистология"}, "de") == "Histology"
    assert pick({}, "ru", default="histology") == "histology"


@pytest.mark.django_db
def test_a_treatment_name_falls_back_whole_and_sorts_in_the_readers_language():
    lutetium = TreatmentFactory(slug="lu", name_en="Lutetium therapy", name_de="Lutetium-Therapie", name_ru="")
    surgery = TreatmentFactory(slug="surgery", name_en="Surgery", name_de="Operation", name_ru="Операция")
    with translation.override("ru"):
        assert (lutetium.name, surgery.name) == ("Lutetium therapy", "Операция")
        # Latin letters sort before Cyrillic; the fallback name sorts as shown.
        assert [term.slug for term in type(surgery).objects.ordered_by_name()] == ["lu", "surgery"]
    with translation.override("de"):
        assert [term.slug for term in type(surgery).objects.ordered_by_name()] == ["lu", "surgery"]
        assert surgery.name == "Operation"


@pytest.mark.django_db
def test_the_status_note_is_picked_in_sql_by_the_same_chain_as_on_the_event():
    hospital = HospitalFactory()
    record_status(hospital, AdmissionStatus.Status.URGENT_ONLY, note="Urgent cases only.")
    event = hospital.admission_statuses.get()
    event.note_de = "Nur dringende Fälle."
    event.save()
    for language, expected in [
        ("en", "Urgent cases only."),
        ("de", "Nur dringende Fälle."),
        ("ru", "Urgent cases only."),
    ]:
        with translation.override(language):
            annotated = Hospital.objects.with_current_status().get(pk=hospital.pk)
            assert annotated.current_status.note == expected
            assert hospital.admission_statuses.get().note == expected


@pytest.mark.django_db
def test_a_site_notice_never_shows_a_title_in_one_language_and_its_message_in_another():
    notice = SiteNotice.objects.create(
        title_en="Strike", message_en="Trains may not run.", title_ru="Забастовка", message_ru=""
    )
    with translation.override("ru"):
        assert notice.in_reader_language() == {"language": "en", "title": "Strike", "message": "Trains may not run."}
    notice.message_ru = "Поезда могут не ходить."
    with translation.override("ru"):
        assert notice.in_reader_language()["title"] == "Забастовка"


@pytest.mark.django_db
def test_the_site_notice_banner_marks_a_fallback_with_its_language(client):
    SiteNotice.objects.create(title_en="Strike", message_en="Trains may not run.")
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").text
    assert 'lang="en"' in page and "<strong>Strike:</strong> Trains may not run." in page


def test_checklist_labels_follow_the_readers_language_and_fall_back_to_english():
    item = {"code": "histology", "en": "old English label", "sent": False}
    with translation.override("ru"):
        assert checklists.label(item) == checklists.load()["documents"]["histology"]["ru"]
    with translation.override("de"):
        assert checklists.label(item).startswith("Histologie")
    # A kind that left the data file keeps the label stored with the case.
    with translation.override("ru"):
        assert checklists.label({"code": "gone", "en": "Old kind"}) == "Old kind"
    with translation.override("ru"):
        assert dict(checklists.document_choices())["psma_imaging"] == "ПЭТ/КТ с ПСМА"


def test_every_document_kind_is_labelled_in_every_site_language():
    from django.conf import settings

    for code, labels in checklists.load()["documents"].items():
        for language, _name in settings.LANGUAGES:
            assert labels.get(language), (code, language)

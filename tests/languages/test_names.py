"""Place and language names: German names of record, exonyms and CLDR names in the reader's language."""

import pytest

from hospitals.models import Hospital
from languages.names import language_names, normalise_language_list
from languages.places import name_of_record, place_name
from tests.hospitals.factories import HospitalFactory


@pytest.mark.parametrize(
    ("record", "en", "de", "ru"),
    [
        ("München", "Munich", "München", "Мюнхен"),
        ("Nürnberg", "Nuremberg", "Nürnberg", "Нюрнберг"),
        ("Köln", "Cologne", "Köln", "Кёльн"),
        ("Hannover", "Hannover", "Hannover", "Ганновер"),
        ("Braunschweig", "Braunschweig", "Braunschweig", "Брауншвейг"),
        (
            "Kleinstadt an der Nirgendwo",
            "Kleinstadt an der Nirgendwo",
            "Kleinstadt an der Nirgendwo",
            "Kleinstadt an der Nirgendwo",
        ),
    ],
)
def test_a_place_is_shown_by_its_exonym_where_one_exists(record, en, de, ru):
    assert (place_name(record, "en"), place_name(record, "de"), place_name(record, "ru")) == (en, de, ru)
    assert name_of_record(en) == name_of_record(ru) == record


def test_a_city_typed_in_any_case_finds_its_name_of_record_and_an_unknown_one_is_kept():
    assert name_of_record(" MÜNCHEN ") == name_of_record("мюнхен") == "München"
    assert name_of_record("Kleinstadt") == "Kleinstadt"


def test_languages_are_stored_as_codes_and_named_in_the_readers_language():
    assert normalise_language_list("English, Arabic , russisch, ru, Klingon") == "en, ar, ru, Klingon"
    assert language_names("en, ar, ru", "de") == ["Englisch", "Arabisch", "Russisch"]
    assert language_names("en, ar, ru", "ru") == ["английский", "арабский", "русский"]
    assert language_names("en, Klingon", "en") == ["English", "Klingon"]


@pytest.mark.django_db
def test_the_hospital_form_saves_the_name_of_record_and_codes(directory_maintainer):
    hospital = HospitalFactory.build(
        city="Munich", international_office_languages="English, Russian", postcode="80331"
    )
    hospital.full_clean()
    assert (hospital.city, hospital.international_office_languages) == ("München", "en, ru")


@pytest.mark.django_db
def test_cards_addresses_and_filters_use_the_readers_name_for_the_city(client):
    hospital = HospitalFactory(
        slug="isar",
        name="Beispielklinik Isar",
        city="München",
        state="BY",
        postcode="80331",
        international_office_languages="en, ar, ru",
    )
    german = client.get(f"/hospitals/{hospital.slug}/", HTTP_ACCEPT_LANGUAGE="de").text
    assert "80331 München" in german and "Munich" not in german
    assert "Englisch, Arabisch, Russisch" in german
    english = client.get(f"/hospitals/{hospital.slug}/", HTTP_ACCEPT_LANGUAGE="en").text
    assert "80331 Munich" in english and "English, Arabic, Russian" in english
    russian = client.get(f"/hospitals/{hospital.slug}/", HTTP_ACCEPT_LANGUAGE="ru").text
    assert "80331 Мюнхен" in russian
    # The filter takes the name as each reader knows it, and offers it that way.
    for typed, language in [("Munich", "en"), ("München", "de"), ("мюнхен", "ru")]:
        listing = client.get("/hospitals/", {"city": typed}, HTTP_ACCEPT_LANGUAGE=language)
        assert [h.slug for h in listing.context["hospital_list"]] == ["isar"], typed
    listing = client.get("/hospitals/", {"state": "BY"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert listing.context["city_options"] == ["Мюнхен"]
    assert list(Hospital.objects.filter(city="München")) == [hospital]

"""Place names: the German name is the name of record, shown in another language only by its exonym.

Addresses, filters and cards store and link the German name (München, Köln), as the hospitals and
the Bundes-Klinik-Atlas write it. A reader whose language has a name of its own for the place
(English "Munich", Russian "Мюнхен") sees that name; without one, the German name is shown as it
is, so nothing invented appears. Add a place here when a hospital in a new city is listed.
"""

from django.utils.translation import get_language

# German name of record → {language: exonym}. Only names in real use; English keeps most German names.
EXONYMS: dict[str, dict[str, str]] = {
    "Berlin": {"ru": "Берлин"},
    "Bielefeld": {"ru": "Билефельд"},
    "Bonn": {"ru": "Бонн"},
    "Braunschweig": {"ru": "Брауншвейг"},
    "Bremen": {"ru": "Бремен"},
    "Dortmund": {"ru": "Дортмунд"},
    "Dresden": {"ru": "Дрезден"},
    "Düsseldorf": {"ru": "Дюссельдорф"},
    "Essen": {"ru": "Эссен"},
    "Frankfurt am Main": {"ru": "Франкфурт-на-Майне"},
    "Freiburg im Breisgau": {"ru": "Фрайбург"},
    "Hamburg": {"ru": "Гамбург"},
    "Hannover": {"ru": "Ганновер"},
    "Heidelberg": {"ru": "Гейдельберг"},
    "Jena": {"ru": "Йена"},
    "Kiel": {"ru": "Киль"},
    "Köln": {"en": "Cologne", "ru": "Кёльн"},
    "Leipzig": {"ru": "Лейпциг"},
    "Lübeck": {"ru": "Любек"},
    "Mainz": {"ru": "Майнц"},
    "Marburg": {"ru": "Марбург"},
    "München": {"en": "Munich", "ru": "Мюнхен"},
    "Münster": {"ru": "Мюнстер"},
    "Nürnberg": {"en": "Nuremberg", "ru": "Нюрнберг"},
    "Potsdam": {"ru": "Потсдам"},
    "Regensburg": {"ru": "Регенсбург"},
    "Rostock": {"ru": "Росток"},
    "Stuttgart": {"ru": "Штутгарт"},
    "Tübingen": {"ru": "Тюбинген"},
    "Ulm": {"ru": "Ульм"},
    "Würzburg": {"ru": "Вюрцбург"},
}


def place_name(name: str, language: str | None = None) -> str:
    """The place's name for a reader of `language` (the active one by default)."""
    language = (language or get_language() or "").split("-")[0]
    return EXONYMS.get(name, {}).get(language, name)


def _names_of_record() -> dict[str, str]:
    names = {}
    for record, exonyms in EXONYMS.items():
        names[record.casefold()] = record
        for exonym in exonyms.values():
            names.setdefault(exonym.casefold(), record)
    return names


NAMES_OF_RECORD = _names_of_record()


def name_of_record(text: str) -> str:
    """The German name of record for a place typed in any site language ("Munich" → "München")."""
    text = text.strip()
    return NAMES_OF_RECORD.get(text.casefold(), text)

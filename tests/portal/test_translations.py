"""Every language the site offers has a complete catalogue: nothing untranslated, nothing fuzzy,
the right number of plural forms, and the same placeholders as the English text.

`make makemessages` refreshes the catalogues from the code; `scripts/fill_translations.py` fills
them from locale/<lang>/*.json. A string added without its translations fails here.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
PLACEHOLDER = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def catalog(language):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").open("rb") as source:
        return read_po(source, locale=language)


def placeholders(text):
    return {match.group(1) or match.group(0) for match in PLACEHOLDER.finditer(text) if match.group(0) != "%%"}


def messages(language):
    return [message for message in catalog(language) if message.id]


def key(message):
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}|{msgid}" if message.context else msgid


def test_every_offered_language_but_english_has_a_catalogue_and_its_json_files():
    assert TRANSLATED, "the site offers only English?"
    for language in TRANSLATED:
        assert (LOCALE_DIR / language / "LC_MESSAGES" / "django.po").exists(), language
        assert list((LOCALE_DIR / language).glob("*.json")), language


@pytest.mark.parametrize("language", TRANSLATED)
def test_nothing_is_untranslated_or_fuzzy(language):
    untranslated = [
        key(message)
        for message in messages(language)
        if not (all(message.string) if isinstance(message.string, tuple) else message.string)
    ]
    fuzzy = [key(message) for message in messages(language) if message.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}: run the fill script"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}"
    assert not catalog(language).fuzzy, f"the {language} catalogue's header is marked fuzzy"


@pytest.mark.parametrize("language", TRANSLATED)
def test_plurals_have_the_forms_of_the_language(language):
    number = get_plural(language)[0]
    po = catalog(language)
    assert po.num_plurals == number, f"{language} header says {po.num_plurals} plural forms, the language has {number}"
    wrong = [key(m) for m in messages(language) if isinstance(m.id, tuple) and len(m.string) != number]
    assert wrong == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders(language):
    broken = []
    for message in messages(language):
        if isinstance(message.id, tuple):
            expected = placeholders(message.id[1])
            # The singular form may leave the count out ("one answer"); no form may invent a name.
            forms = message.string
            if any(not placeholders(form) <= expected | placeholders(message.id[0]) for form in forms):
                broken.append(key(message))
        elif placeholders(message.string) != placeholders(message.id):
            broken.append(key(message))
    assert broken == [], f"placeholders changed in {language}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_can_be_rebuilt_from_the_json_files(language):
    """Every translation lives in locale/<lang>/*.json; a catalogue edited by hand loses it."""
    known = {}
    for path in sorted((LOCALE_DIR / language).glob("*.json")):
        known.update(json.loads(path.read_text(encoding="utf-8")))
    only_in_catalogue = [key(message) for message in messages(language) if key(message) not in known]
    assert only_in_catalogue == []


def test_the_fill_script_reports_a_plural_with_the_wrong_number_of_forms(tmp_path):
    plural = next(m for m in messages("ru") if isinstance(m.id, tuple))
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({plural.id[0]: ["one", "two"]}), encoding="utf-8")
    script = Path(settings.BASE_DIR) / "scripts" / "fill_translations.py"
    before = (LOCALE_DIR / "ru" / "LC_MESSAGES" / "django.po").read_bytes()
    try:
        result = subprocess.run(
            [sys.executable, str(script), "ru", str(broken)], capture_output=True, text=True, check=False
        )
    finally:
        (LOCALE_DIR / "ru" / "LC_MESSAGES" / "django.po").write_bytes(before)
    assert result.returncode != 0
    assert "Wrong number of plural forms" in result.stderr

"""Fill a language's catalogue (locale/<lang>/LC_MESSAGES/django.po) from its JSON files.

Usage, after `make makemessages`:

    .venv/bin/python scripts/fill_translations.py ru locale/ru/*.json
    .venv/bin/python scripts/fill_translations.py locale/de/*.json      # language from the path
    .venv/bin/python scripts/fill_translations.py --all                  # every locale/<lang>/

Each JSON file maps English msgids to the translation ({"Hospitals": "Kliniken", ...}); a plural
message maps to a list with one form per plural form of the language (German 2, Russian 3); a
message with a context (pgettext) is keyed "context|msgid". Each
area keeps its own file (locale/<lang>/<area>.json), so the catalogue can always be rebuilt from
them. A catalogue that does not exist yet is created from the others' messages (run
`make makemessages` afterwards to give it source references). Prints the messages still
untranslated and exits non-zero when a plural has the wrong number of forms.
"""

import json
import sys
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po, write_po

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
SOURCE_LANGUAGE = "en"


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def languages_with_translations() -> list[str]:
    return sorted({path.parent.name for path in LOCALE_DIR.glob("*/*.json")} - {SOURCE_LANGUAGE})


def load_translations(files) -> dict:
    translations = {}
    for name in files:
        translations.update(json.loads(Path(name).read_text(encoding="utf-8")))
    return translations


def read_catalog(language: str) -> Catalog:
    path = catalog_path(language)
    if path.exists():
        with path.open("rb") as source:
            catalog = read_po(source, locale=language)
    else:
        # A new language: start from the messages every other catalogue already has.
        catalog = Catalog(locale=language, project="Care Bridge Germany portal")
        for other in languages_with_translations():
            if other != language and catalog_path(other).exists():
                with catalog_path(other).open("rb") as source:
                    for message in read_po(source, locale=other):
                        if message.id and message.id not in catalog:
                            catalog.add(message.id, context=message.context, locations=message.locations)
    # The plural rule comes from the language (Babel's data, as gettext has it: Russian 3 forms),
    # not from whatever header the catalogue was created with (makemessages copies Django's own
    # Russian header with a fourth form for fractions, which no count here ever uses).
    number, expression = get_plural(language)
    catalog.locale = Locale.parse(language)
    catalog._num_plurals, catalog._plural_expr = number, expression  # Babel reads them from the header only
    if "SOME DESCRIPTIVE TITLE" in catalog.header_comment:  # a catalogue makemessages just created
        catalog.header_comment = (
            f"# {catalog.locale.english_name} translations of the Care Bridge Germany portal.\n"
            "# Generated: edit locale/<lang>/*.json and run scripts/fill_translations.py, never this file.\n#"
        )
        catalog.project, catalog.version = "Care Bridge Germany portal", "VERSION"
        catalog.language_team = "Care Bridge Germany <translations@example.invalid>"
    return catalog


def fill(language: str, files) -> list[str]:
    """Write the translations into the language's catalogue; return the msgids still missing."""
    translations = load_translations(files)
    catalog = read_catalog(language)
    catalog.fuzzy = False
    missing, wrong_forms = [], []
    for message in catalog:
        if not message.id:
            continue
        plural = not isinstance(message.id, str)
        key = message.id[0] if plural else message.id
        if message.context:
            key = f"{message.context}|{key}"
        if key in translations:
            value = translations[key]
            if plural:
                forms = [value] if isinstance(value, str) else list(value)
                if len(forms) != catalog.num_plurals:
                    wrong_forms.append(f"{key!r}: {len(forms)} forms, {language} needs {catalog.num_plurals}")
                    continue
                message.string = tuple(forms)
            else:
                message.string = value
            message.flags.discard("fuzzy")
        elif "fuzzy" in message.flags or not (all(message.string) if plural else message.string):
            missing.append(key)
    if wrong_forms:  # nothing is written: the catalogue stays as it was
        raise SystemExit("Wrong number of plural forms:\n  " + "\n  ".join(wrong_forms))
    path = catalog_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as target:
        write_po(target, catalog, width=100)
    return missing


def main(*arguments: str) -> None:
    if arguments == ("--all",):
        languages = languages_with_translations()
        jobs = [(language, sorted((LOCALE_DIR / language).glob("*.json"))) for language in languages]
    elif arguments and not arguments[0].endswith(".json"):
        jobs = [(arguments[0], arguments[1:])]
    elif arguments:
        languages = {Path(name).resolve().parent.name for name in arguments}
        if len(languages) != 1:
            raise SystemExit("Give the language first when the files are not all under one locale/<lang>/.")
        jobs = [(languages.pop(), arguments)]
    else:
        raise SystemExit(__doc__)
    for language, files in jobs:
        missing = fill(language, files)
        print(f"[{language}]", "Still untranslated:" if missing else "Everything is translated.", *missing, sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])

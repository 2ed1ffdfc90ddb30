"""Fill German translations into locale/de/LC_MESSAGES/django.po from a JSON file.

Usage: `make makemessages`, then `.venv/bin/python scripts/fill_translations.py locale/de/*.json`.
Each JSON file maps English msgids to German ({"Hospitals": "Kliniken", ...}); each app keeps its
own file (locale/de/<app>.json), so the catalogue can always be rebuilt from them. Prints the
messages still untranslated.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG = Path(__file__).resolve().parents[1] / "locale" / "de" / "LC_MESSAGES" / "django.po"


def main(*translation_files: str) -> None:
    translations = {}
    for name in translation_files:
        translations.update(json.loads(Path(name).read_text(encoding="utf-8")))
    with CATALOG.open("rb") as source:
        catalog = read_po(source, locale="de")
    catalog.fuzzy = False
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key in translations:
            value = translations[key]
            message.string = value if isinstance(message.id, str) else tuple(value)
            message.flags.discard("fuzzy")
        elif not (message.string if isinstance(message.string, str) else all(message.string)):
            missing.append(key)
    with CATALOG.open("wb") as target:
        write_po(target, catalog, width=100)
    print("Still untranslated:" if missing else "Everything is translated.", *missing, sep="\n  ")


if __name__ == "__main__":
    main(*sys.argv[1:])

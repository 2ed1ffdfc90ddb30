"""The documents a tumour board asks for, read from data (inquiries/data/document_checklists.json)."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "document_checklists.json"


@cache
def load() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def document_choices() -> list[tuple[str, str]]:
    """Every document kind, labelled in the active language, for the form's checkboxes."""
    language = "de" if get_language() == "de" else "en"
    return [(code, labels[language]) for code, labels in load()["documents"].items()]


def checklist_for(*, is_oncology: bool, tumour_type: str, treatment_slug: str, sent: list[str]) -> list[dict]:
    """The documents this case needs, in the data file's order, each marked as sent or not."""
    case = {"oncology": is_oncology, "tumour_type": tumour_type, "treatment": treatment_slug}
    codes: list[str] = []
    for rule in load()["rules"]:
        if all(case.get(key) == value for key, value in rule["when"].items()):
            codes += [code for code in rule["documents"] if code not in codes]
    documents = load()["documents"]
    # Keep the order of the document list, so related items stay together.
    ordered = [code for code in documents if code in codes]
    return [{"code": code, **documents[code], "sent": code in sent} for code in ordered]


def label(item: dict) -> str:
    return item.get("de" if get_language() == "de" else "en") or item.get("en", item.get("code", ""))

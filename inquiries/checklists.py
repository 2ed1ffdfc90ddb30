"""The documents a tumour board asks for, read from data (inquiries/data/document_checklists.json).

A document kind may declare which other kinds it `satisfies`: a histology report with the grade and
the Ki-67 index is also a histology report. Whatever decides that a document is sent or missing asks
`covered()` here, so the links are honoured in one place.
"""

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from languages.fallback import language_codes, pick

DATA_FILE = Path(__file__).resolve().parent / "data" / "document_checklists.json"


@cache
def load() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def document_choices() -> list[tuple[str, str]]:
    """Every document kind, labelled in the active language (or its fallback), for the form's checkboxes."""
    return [(code, pick(labels, default=code)) for code, labels in load()["documents"].items()]


def satisfies_links() -> list[tuple[str, str]]:
    """Every declared (document kind, kind it satisfies) pair, in the data file's order."""
    return [(code, target) for code, kind in load()["documents"].items() for target in kind.get("satisfies", [])]


def covered(sent: Iterable[str]) -> dict[str, str]:
    """Each document kind covered by the kinds sent, mapped to the sent kind that covers it.

    A kind covers itself and, following the `satisfies` links (also over several steps), the kinds it
    stands in for. Unknown codes are ignored.
    """
    documents = load()["documents"]
    direct = [code for code in dict.fromkeys(sent) if code in documents]
    result = {code: code for code in direct}
    for code in direct:
        todo = list(documents[code].get("satisfies", []))
        while todo:
            target = todo.pop()
            if target in documents and target not in result:
                result[target] = code
                todo += documents[target].get("satisfies", [])
    return result


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
    # The code is what counts; the labels are kept with the case as they were when it was asked for.
    languages = language_codes()
    items = [
        {"code": code, **{key: text for key, text in documents[code].items() if key in languages}} for code in ordered
    ]
    return mark_sent(items, sent)


def mark_sent(checklist: list[dict], sent: Iterable[str]) -> list[dict]:
    """A copy of a stored checklist with the kinds sent (and the kinds they satisfy) marked as sent.

    Items already marked stay marked; an item covered through a link records which kind covered it
    (`sent_as`), so staff can see that "Histology" arrived as the report with the grade and Ki-67.
    """
    already = [item["code"] for item in checklist if item.get("sent")]
    by = covered([*already, *sent])
    result = []
    for item in checklist:
        item = {**item, "sent": bool(item.get("sent")) or item["code"] in by}
        if item["sent"] and by.get(item["code"], item["code"]) != item["code"]:
            item.setdefault("sent_as", by[item["code"]])
        result.append(item)
    return result


def missing(checklist: list[dict]) -> list[dict]:
    """The items of a stored checklist that no sent document covers, following the `satisfies` links."""
    by = covered(item["code"] for item in checklist if item.get("sent"))
    return [item for item in checklist if item["code"] not in by]


def label(item: dict) -> str:
    """A stored checklist item's label in the active language, from the data file's current labels.

    Items stored before a language was added (or with a kind since removed from the data file) fall
    back to the labels stored with them, then to the code.
    """
    code = item.get("code", "")
    labels = {
        **{key: value for key, value in item.items() if isinstance(value, str)},
        **load()["documents"].get(code, {}),
    }
    return pick(labels, default=code)

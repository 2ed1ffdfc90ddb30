"""The document checklists as data: kinds, rules and the "satisfies" links between kinds."""

import pytest

from inquiries import checklists
from inquiries.models import Inquiry

DOCUMENTS = checklists.load()["documents"]
LINKS = checklists.satisfies_links()


def item(code, sent):
    return {"code": code, "en": DOCUMENTS[code]["en"], "de": DOCUMENTS[code]["de"], "sent": sent}


def test_the_histology_report_with_grade_and_ki67_is_a_histology_report():
    assert ("histology_grade_ki67", "histology") in LINKS


@pytest.mark.parametrize(("kind", "satisfied"), LINKS)
def test_every_declared_link_marks_the_satisfied_kind_as_sent_and_not_missing(kind, satisfied):
    checklist = checklists.mark_sent([item(satisfied, False), item(kind, False)], [kind])
    assert {entry["code"]: entry["sent"] for entry in checklist} == {satisfied: True, kind: True}
    assert next(entry for entry in checklist if entry["code"] == satisfied)["sent_as"] == kind
    assert checklists.missing([item(satisfied, False), item(kind, True)]) == []
    # An inquiry stored before the link existed (only the more complete kind flagged) is not asked again.
    assert Inquiry(document_checklist=[item(satisfied, False), item(kind, True)]).missing_documents == []


@pytest.mark.parametrize(("kind", "satisfied"), LINKS)
def test_every_link_goes_one_way(kind, satisfied):
    # Sending the less complete document does not stand in for the more complete one.
    assert checklists.missing([item(satisfied, True), item(kind, False)]) == [item(kind, False)]


def test_links_point_at_existing_kinds_and_never_at_themselves():
    for kind, satisfied in LINKS:
        assert satisfied in DOCUMENTS, f"{kind} satisfies an unknown kind {satisfied}"
        assert satisfied != kind
    assert all(isinstance(DOCUMENTS[code].get("satisfies", []), list) for code in DOCUMENTS)


def test_links_never_form_a_circle():
    def reachable(code, seen=()):
        for target in DOCUMENTS[code].get("satisfies", []):
            assert target not in (code, *seen), f"circle through {code} and {target}"
            reachable(target, (*seen, code))

    for code in DOCUMENTS:
        reachable(code)


def test_links_are_followed_over_several_steps(monkeypatch):
    documents = {
        "a": {"en": "A", "de": "A", "satisfies": ["b"]},
        "b": {"en": "B", "de": "B", "satisfies": ["c"]},
        "c": {"en": "C", "de": "C"},
    }
    monkeypatch.setattr(checklists, "load", lambda: {"documents": documents, "rules": []})
    assert checklists.covered(["a"]) == {"a": "a", "b": "a", "c": "a"}
    assert checklists.covered(["b", "a"]) == {"b": "b", "a": "a", "c": "b"}
    assert checklists.covered(["unknown"]) == {}


def test_a_net_case_ticking_the_graded_report_is_not_asked_for_the_plain_one():
    checklist = checklists.checklist_for(
        is_oncology=True, tumour_type="neuroendocrine", treatment_slug="", sent=["histology_grade_ki67"]
    )
    sent = {entry["code"]: entry["sent"] for entry in checklist}
    assert sent["histology"] is True
    assert sent["histology_grade_ki67"] is True
    assert "histology" not in {entry["code"] for entry in checklists.missing(checklist)}
    # The stored items carry the labels and flags, not the links.
    assert all(set(entry) <= {"code", "en", "de", "ru", "sent", "sent_as"} for entry in checklist)


def test_the_plain_report_alone_still_leaves_the_graded_one_missing():
    checklist = checklists.checklist_for(
        is_oncology=True, tumour_type="neuroendocrine", treatment_slug="", sent=["histology"]
    )
    assert "histology_grade_ki67" in {entry["code"] for entry in checklists.missing(checklist)}


def test_marking_more_documents_keeps_what_was_already_sent():
    checklist = checklists.checklist_for(is_oncology=True, tumour_type="", treatment_slug="", sent=["ct_mri"])
    later = checklists.mark_sent(checklist, ["blood_tests"])
    assert {entry["code"] for entry in later if entry["sent"]} == {"ct_mri", "blood_tests"}
    assert checklist != later  # a copy: the stored list is not changed in place

"""Explainable triage of a patient inquiry: plain Python over plain data, no Django.

`assess(answers)` reads the submitted answers (a mapping keyed by the inquiry form's field names,
see docs/triage.md) and returns an `Assessment` with a `priority` and the `reasons` for it, as
plain-language sentences that staff can check against what the patient wrote. Run it on its own:

    python -m inquiries.triage "Metastasen in der Leber, starke Schmerzen"
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

URGENT = "urgent"
HIGH = "high"
ROUTINE = "routine"

# The free-text answers the rules read, in the order they are searched.
TEXT_KEYS = ("diagnosis", "previous_treatments", "message")

# What each tumour type key means, for the reasons.
TUMOUR_TYPES = {
    "neuroendocrine": "neuroendocrine tumour",
    "lung": "lung cancer",
    "gastrointestinal": "gastrointestinal cancer",
    "breast": "breast cancer",
    "prostate": "prostate cancer",
    "other": "another tumour type",
}

# Words that name cancer, matched case-insensitively at the start of a word. German compounds
# ("Lungenkrebs", "Lebermetastasen") are matched inside words. Supported misspellings: canser,
# cancr, tumer, tumur, carcinom, karzinoma, metastes, metastaces, leukemia/leukaemia,
# lymfoma, sarkoma, neuroendokrine (EN), Karcinom, Leukämie/Leukaemie (DE), метастазы/метостазы (RU).
ONCOLOGY_PATTERNS = [
    # English
    r"\bcan(?:cer|ser|cr)\w*",
    r"\b(?:car|kar)cinom\w*",
    r"\btum(?:ou?r|er|ur)s?\b",
    r"\bneoplas\w*",
    r"\bmalignan\w*",
    r"\bneuro-?endo[ck]rin\w*",
    r"\bmeta?stas\w*",
    r"\bmetast[ae][sc]\w*",
    r"\bl[iy]m[fp]homa\w*",
    r"\blymphoma\w*",
    r"\bleuk(?:a|ä)?emi\w*",
    r"\bleuk(?:ä|ae)mie\w*",
    r"\bs[ae]r[ck]om\w*",
    r"\bmelanom\w*",
    r"\bmyelom\w*",
    r"\bglioblastom\w*",
    r"\boncolog\w*",
    # German (compounds: the term may sit inside a longer word)
    r"\w*krebs\w*",
    r"\w*tumor\w*",
    r"\w*metastase\w*",
    r"\w*karzinom\w*",
    r"\blymphom\w*",
    r"\bb(?:ö|oe)sartig\w*",
    r"\bmalignom\w*",
    r"\bonkolog\w*",
    # Russian
    r"\bрак(?:а|ом|у|е|и|ов)?\b",
    r"\bопухол\w*",
    r"\bмет[ао]стаз\w*",
    r"\bкарцином\w*",
    r"\bлимфом\w*",
    r"\bлейк(?:оз|еми)\w*",
    r"\bсарком\w*",
    r"\bмеланом\w*",
    r"\bонколог\w*",
    r"\bнейроэндокрин\w*",
    r"\bзлокачествен\w*",
]
# Abbreviations count only in capitals: "net" is an ordinary English word.
ONCOLOGY_ABBREVIATIONS = r"\b(?:NETs?|NENs?|NEC|GEP-NETs?)\b"

# Red flags: named (for the reason) and matched like the oncology words.
RED_FLAGS = {
    "severe pain": [
        r"\b(?:severe|strong|unbearable|intense|terrible|extreme)\s+(?:\w+\s+)?pains?\b",
        r"\b(?:starke|starken|stärkste|unerträgliche|unerträglichen|heftige|heftigen)\s+(?:\w+)?schmerz\w*",
        r"\b(?:starke|starken|unerträgliche|heftige)\s+\w+\s+\w*schmerz\w*",
        r"\b(?:сильн|невыносим|острая|острые)\w*\s+(?:\w+\s+)?бол\w*",
    ],
    "bleeding": [
        r"\bbleed\w*",
        r"\bblood\s+in\s+(?:the\s+)?(?:stool|urine|vomit)\w*",
        r"\bvomiting\s+blood\b",
        r"\bhaemorrhag\w*|\bhemorrhag\w*",
        r"\w*blutung\w*",
        r"\bblutet\w*",
        r"\bblut\s+im\s+(?:stuhl|urin)\b",
        r"\bbluterbrechen\b",
        r"\bкровотечени\w*",
        r"\bкровь\s+в\s+(?:кале|моче|стуле)\b",
        r"\bкровоточ\w*",
    ],
    "jaundice": [
        r"\bjaundice\w*",
        r"\byellow(?:ing)?\s+(?:of\s+the\s+)?(?:skin|eyes)\b",
        r"\bgelbsucht\b",
        r"\bikterus\b",
        r"\bgelbe\s+(?:haut|augen)\b",
        r"\bжелтух\w*",
        r"\bпожелте\w*",
    ],
    "bowel obstruction": [
        r"\b(?:bowel|intestinal|gut)\s+obstruction\w*",
        r"\bileus\b",
        r"\bdarmverschluss\w*",
        r"\b(?:кишечн\w*\s+)?непроходимост\w*",
    ],
    "rapid weight loss": [
        r"\b(?:rapid|fast|quick|sudden|severe|massive)\s+weight\s+loss\b",
        r"\blos(?:ing|t)\s+(?:a\s+lot\s+of\s+)?weight\s+(?:quickly|fast|rapidly)\b",
        r"\b(?:schnell\w*|rasch\w*|stark\w*|massiv\w*|rapid\w*)\s+gewichtsverlust\w*",
        r"\b(?:schnell|rasch|stark)\s+abgenommen\b",
        r"\b(?:быстр|резк|сильн)\w*\s+(?:потер\w*\s+веса|похуд\w*|снижени\w*\s+веса)",
        r"\b(?:быстро|резко|сильно)\s+похудел\w*",
    ],
    "difficulty breathing": [
        r"\b(?:difficulty|trouble|problems?)\s+breathing\b",
        r"\bshort(?:ness)?\s+of\s+breath\b",
        r"\bbreathless\w*",
        r"\bcan(?:not|'t|’t)\s+breathe\b",
        r"\batemnot\b",
        r"\bluftnot\b",
        r"\bkurzatmig\w*",
        r"\bодышк\w*",
        r"\b(?:трудно|тяжело)\s+дышать\b",
        r"\bзатруднённ?\w*\s+дыхани\w*|\bзатрудненн?\w*\s+дыхани\w*",
    ],
}

# A cue before a term (within the same clause, up to NEGATION_WINDOW words) negates it.
NEGATION_BEFORE = {
    # English
    "no",
    "not",
    "without",
    "never",
    "denies",
    "denied",
    "negative",
    "nor",
    "none",
    "free",
    # German
    "kein",
    "keine",
    "keinen",
    "keinem",
    "keiner",
    "keines",
    "nicht",
    "ohne",
    "nie",
    "weder",
    # Russian
    "нет",
    "не",
    "без",
    "ни",
}
# A cue right after a term ("metastases ruled out", "метастазов нет", "krebsfrei") negates it.
NEGATION_AFTER = re.compile(
    r"^[\s:-]*(?:(?:has\s+been|have\s+been|was|were|is|are|wurde|wurden|ist|sind)\s+)?"
    r"(?:ruled\s+out|excluded|negative|not\s+(?:found|seen|detected|confirmed)|free\b"
    r"|ausgeschlossen|negativ|nicht\s+(?:nachweisbar|nachgewiesen|gefunden|bestätigt)"
    r"|исключен\w*|не\s+(?:обнаружен\w*|выявлен\w*|подтвержд\w*)|нет\b|отсутству\w*)",
    re.IGNORECASE,
)
NEGATION_WINDOW = 3
# Clauses end at punctuation and at words that start a new statement.
CLAUSE_BREAK = re.compile(r"[.;!?\n,()]|\b(?:but|and|however|although|aber|und|jedoch|sondern|но|и|однако|а)\b", re.I)
WORD = re.compile(r"[\w'’]+")

_ONCOLOGY = [re.compile(pattern, re.IGNORECASE) for pattern in ONCOLOGY_PATTERNS]
_ABBREVIATIONS = re.compile(ONCOLOGY_ABBREVIATIONS)
_RED_FLAGS = {name: [re.compile(p, re.IGNORECASE) for p in patterns] for name, patterns in RED_FLAGS.items()}


@dataclass(frozen=True)
class Assessment:
    priority: str
    reasons: list[str] = field(default_factory=list)
    is_oncology: bool = False
    urgent_signals: list[str] = field(default_factory=list)


def assess(answers: Mapping[str, object]) -> Assessment:
    """Decide the priority of one inquiry from its answers and say why."""
    oncology_reasons = list(_oncology_reasons(answers))
    urgent_reasons = list(_urgent_reasons(answers))
    is_oncology = bool(oncology_reasons)
    if is_oncology and urgent_reasons:
        priority = URGENT
        summary = "Oncology case with an urgent signal: priority urgent."
    elif is_oncology:
        priority = HIGH
        summary = "Oncology case without an urgent signal: priority high."
    elif urgent_reasons:
        priority = ROUTINE
        summary = "An urgent signal, but nothing in the answers points to cancer: priority routine; please check."
    else:
        priority = ROUTINE
        summary = "Nothing in the answers points to cancer or urgency: priority routine."
    reasons = [summary, *oncology_reasons, *urgent_reasons]
    if str(answers.get("preferred_hospital_admission") or "") == "urgent_only":
        reasons.append("The preferred hospital currently admits urgent cases only.")
    return Assessment(
        priority=priority,
        reasons=reasons,
        is_oncology=is_oncology,
        urgent_signals=urgent_reasons,
    )


def find_terms(text: str, patterns: Iterable[re.Pattern]) -> list[str]:
    """The terms in the text that match one of the patterns and are not negated."""
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not _is_negated(text, match.start(), match.end()) and match.group(0) not in found:
                found.append(match.group(0))
    return found


def _is_negated(text: str, start: int, end: int) -> bool:
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, 0, start)), default=0)
    words_before = [w.casefold() for w in WORD.findall(text[clause_start:start])][-NEGATION_WINDOW:]
    if any(w in NEGATION_BEFORE or w.endswith(("n't", "n’t")) for w in words_before):
        return True
    if text[start:end].casefold().endswith("frei"):  # krebsfrei, tumorfrei, metastasenfrei
        return True
    return bool(NEGATION_AFTER.match(text[end : end + 60]))


def _texts(answers: Mapping[str, object]) -> list[tuple[str, str]]:
    return [(key, str(answers.get(key) or "")) for key in TEXT_KEYS if answers.get(key)]


def _yes(value: object) -> bool:
    return value is True or str(value or "").strip().lower() in {"yes", "true", "1", "on"}


def _quote(terms: list[str]) -> str:
    return ", ".join(f"“{term}”" for term in terms)


def _oncology_reasons(answers: Mapping[str, object]):
    answer = str(answers.get("is_cancer") or "").lower()
    if answer == "yes":
        yield "The form says the inquiry is about a cancer or tumour."
    elif answer == "suspected":
        yield "The form says a cancer or tumour is suspected."
    tumour_type = str(answers.get("tumour_type") or "")
    if tumour_type:
        yield f"Tumour type given: {TUMOUR_TYPES.get(tumour_type, tumour_type)}."
    if str(answers.get("metastases") or "").lower() == "yes":
        yield "The form says metastases are known."
    for key, text in _texts(answers):
        terms = find_terms(text, _ONCOLOGY) + find_terms(text, [_ABBREVIATIONS])
        if terms:
            yield f"The {key.replace('_', ' ')} names cancer: {_quote(terms)}."


def _urgent_reasons(answers: Mapping[str, object]):
    if _yes(answers.get("doctor_two_week_start")):
        yield "A doctor has said treatment should start within two weeks."
    if _yes(answers.get("symptoms_worsening")):
        yield "Symptoms are getting rapidly worse."
    if _yes(answers.get("treatment_interrupted")):
        yield "Treatment has been interrupted or postponed."
    for key, text in _texts(answers):
        for name, patterns in _RED_FLAGS.items():
            terms = find_terms(text, patterns)
            if terms:
                yield f"Red flag in the {key.replace('_', ' ')}: {name} ({_quote(terms)})."


if __name__ == "__main__":  # pragma: no cover - a command-line aid for audits
    result = assess({"diagnosis": " ".join(sys.argv[1:])})
    print(result.priority)
    print("\n".join(f"- {reason}" for reason in result.reasons))

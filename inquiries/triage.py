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
    r"\b\w*krebs\w*",
    r"\b\w*tumor\w*",
    r"\b\w*metastase\w*",
    r"\b\w*karzinom\w*",
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
ONCOLOGY_ABBREVIATIONS = r"\b(?:NETs?|NENs?|NEC|GEP-NETs?|N?SCLC)\b"

# The kind of pain the rules call severe, and what "Schmerz" in a compound must not be followed by
# ("starke Schmerzmittel" are strong painkillers, not strong pain).
_SEVERE_EN = r"(?:severe|strong|unbearable|intense|terrible|extreme|excruciating)"
_SCHMERZ = r"\w*schmerz(?!mittel|tablette|medikament|pflaster|pumpe|therapie|ambulanz|zentrum)\w*"

# Red flags: named (for the reason) and matched like the oncology words.
RED_FLAGS = {
    "severe pain": [
        rf"\b{_SEVERE_EN}\s+(?:\w+\s+)?pains?\b",
        rf"\bpains?\s+(?:is|was|are|were|has\s+been|have\s+been|became|becomes|gets|got|is\s+getting)\s+"
        rf"(?:very\s+|so\s+|really\s+|extremely\s+|now\s+)?{_SEVERE_EN}\b",
        # German adjective endings: starke/starken/starker/starkem/starkes Schmerz…, Bauchschmerzen.
        rf"\b(?:stark|stärkst|unerträglich|heftig|extrem|massiv)(?:e|en|er|em|es)?\s+(?:\w+\s+)?{_SCHMERZ}",
        rf"\b{_SCHMERZ}\s+(?:sind|ist|waren|war|werden|wird)\s+(?:sehr\s+|so\s+|extrem\s+|jetzt\s+|inzwischen\s+)?"
        r"(?:stark|unerträglich|heftig)\w*",
        r"\b(?:сильн|невыносим|острая|острые)\w*\s+(?:\w+\s+)?бол\w*",
        r"\bбол(?:ь|и|ей)\s+(?:очень\s+|стала\s+|стали\s+)?(?:сильн|невыносим)\w*",
    ],
    "bleeding": [
        r"\bbleed\w*",
        r"\bblood\s+in\s+(?:the\s+)?(?:stool|urine|vomit)\w*",
        r"\bvomiting\s+blood\b",
        r"\bhaemorrhag\w*|\bhemorrhag\w*",
        r"\b\w*blutung\w*",
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
        r"\b(?:can(?:not|'t|’t)|can\s+not|could(?:n't|n’t|\s+not)|unable\s+to|hard\s+to|difficult\s+to"
        r"|struggl\w*\s+to)\s+breathe\b",
        r"\batemnot\b",
        r"\bluftnot\b",
        r"\bkurzatmig\w*",
        r"\bkann\s+(?:\w+\s+){0,2}?(?:nicht|kaum)\s+(?:mehr\s+|richtig\s+|gut\s+)?atmen\b",
        r"\b(?:bekomm|krieg)\w*\s+(?:\w+\s+)?(?:keine|kaum)\s+luft\b",
        r"\bодышк\w*",
        r"\b(?:трудно|тяжело)\s+дышать\b",
        r"\bзатруднённ?\w*\s+дыхани\w*|\bзатрудненн?\w*\s+дыхани\w*",
        r"\bне\s+(?:мог\w*|может|можем)\s+(?:нормально\s+)?(?:дышать|вздохнуть)\b",
        r"\bнечем\s+дышать\b",
        r"\bзадыха\w*",
    ],
}

# Negation before a term: a cue, then at most one "evidence of" phrase and two determiners or
# adjectives, then the term ("no metastases", "no evidence of cancer", "keine starken Schmerzen",
# "без признаков рака"). Anything else in between (a verb, a preposition) ends the reach of the cue,
# so a negated verb does not negate what follows it ("Schmerzmittel helfen nicht gegen die starken
# Schmerzen", "can't stop the bleeding", "не помогают от сильной боли").
# Cues that negate a noun; these also reach over "or" ("no pain or bleeding").
NOUN_CUES = (
    r"no|without|none|nor|negative|negative\s+for|denies|denied|deny|free\s+(?:of|from)"
    r"|kein|keine|keinen|keinem|keiner|keines|ohne|weder|negativ\s+für"
    r"|нет|без|ни|никак\w*"
)
# Cues that negate a verb or an adjective ("not malignant", "doesn't bleed", "never had any bleeding").
# They reach a term over the same phrase and fillers as the noun cues, but not over "or", so a verb
# in between always ends their reach.
VERB_CUES = r"not|never|nicht|nie|niemals|не|\w+n['’]t"
# "No evidence of", "kein Hinweis auf", "нет признаков": one of these may sit between a cue and a term.
NEGATION_PHRASES = (
    r"(?:signs?|evidence|indications?|history|traces?|suspicion|symptoms?)\s+(?:of|for)"
    r"|(?:hinweis\w*|anhalt\w*|anzeichen|zeichen|nachweis|verdacht)(?:\s+(?:auf|für|von))?"
    r"|признак\w*|данных\s+за|следов|подозрени\w*\s+на"
)
# Determiners, quantifiers, the adjectives that qualify a finding, and "have/had" ("never had any").
NEGATION_FILLERS = (
    r"a|an|the|any|some|more|further|other|new|known|active|visible|obvious|significant|major|recent"
    r"|current|distant|residual|recurrent|local|have|has|had"
    r"|der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|irgendein\w*|mehr|weiter\w*|neu\w*"
    r"|sichtbar\w*|bekannt\w*|aktiv\w*|erneut\w*|größer\w*|nennenswert\w*|relevant\w*|suspekt\w*"
    r"|verdächtig\w*|sonstig\w*|ander\w*"
    r"|никак\w*|нов\w*|видим\w*|явн\w*|отдал[её]нн\w*|активн\w*|выраженн\w*|значим\w*|значительн\w*"
    r"|друг\w*|был[аио]?"
)
_BETWEEN = rf"\s+(?:(?:{NEGATION_PHRASES})\s+)?(?:(?:{NEGATION_FILLERS})\s+){{0,2}}"
NEGATION_BEFORE = re.compile(
    # A cue glued to a word by a hyphen ("triple-negative", "HER2-negative") is not a cue.
    rf"(?:^|[^\w'’-])(?:(?:{NOUN_CUES}|{VERB_CUES}){_BETWEEN}"
    rf"|(?:{NOUN_CUES}){_BETWEEN}\w+(?:\s+\w+)?\s+(?:or|nor|oder|noch|или|ни)\s+(?:(?:{NEGATION_FILLERS})\s+){{0,2}})$",
    re.IGNORECASE,
)
# A cue right after a term ("metastases ruled out", "метастазов нет", "cancer-free") negates it. It
# must follow the term directly (a space, or a hyphen for -free): a ':' or ' - ' ends the reach.
NEGATION_AFTER = re.compile(
    r"^(?:-free\b|-frei\b|\s+(?:markers?\s+)?"
    r"(?:(?:has\s+been|have\s+been|was|were|is|are|wurde|wurden|ist|sind|был[аио]?)\s+)?"
    r"(?:ruled\s+out|excluded|negativ(?:e)?\b(?!\s+(?:for|für)\b)|not\s+(?:found|seen|detected|confirmed)"
    r"|free\b|ausgeschlossen|nicht\s+(?:nachweisbar|nachgewiesen|gefunden|bestätigt)"
    r"|исключ[её]н\w*|не\s+(?:обнаружен\w*|выявлен\w*|подтвержд\w*|найден\w*|было)\b"
    # "метастазов нет" ends the clause; "рак нет сил" starts a new one.
    r"|нет(?=\s*(?:$|[.;!?\n,():–—-]|(?:и|но|а|однако)\b))|отсутству\w*))",
    re.IGNORECASE,
)
# Receptor and marker status is not a negation: "triple-negative", "HER2-negative", "EGFR negative",
# "negative for HER2". These phrases are blanked before the negation cues are looked for.
_MARKERS = (
    r"(?:triple|her-?2(?:/?neu)?|er|pr|hr|egfr|alk|ros-?1|kras|nras|braf|brca[12]?|pd-?l1|msi"
    r"|(?:hormone[\s-])?receptors?|hormonrezeptor\w*|rezeptor\w*)"
)
MARKER_NEGATIVE = re.compile(
    rf"\b{_MARKERS}(?:\s*(?:/|and|und|,)?\s*{_MARKERS}){{0,3}}[\s/-]*negati(?:ve|v)\w*"
    rf"|\bnegati(?:ve|v)\w*\s+(?:(?:for|für)\s+)?{_MARKERS}\b",
    re.IGNORECASE,
)
# How far before a term the cues are looked for: more than a cue, a phrase and a few words need.
LOOK_BACK = 120
# Clauses end at punctuation, a colon, a dash between spaces and at words that start a new statement.
CLAUSE_BREAK = re.compile(
    r"[.;:!?\n,()–—]|\s-\s|\b(?:but|and|however|although|aber|und|jedoch|sondern|но|и|однако|а)\b", re.I
)

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
    # Marker status is blanked (same length, so the positions still fit) before looking for cues.
    masked = MARKER_NEGATIVE.sub(lambda m: "_" * len(m.group(0)), text)
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            if not _is_negated(masked, match.start(), match.end()) and match.group(0) not in found:
                found.append(match.group(0))
    return found


def _is_negated(text: str, start: int, end: int) -> bool:
    clause_start = max((m.end() for m in CLAUSE_BREAK.finditer(text, max(0, start - LOOK_BACK), start)), default=0)
    window_start = max(clause_start, start - LOOK_BACK)
    if window_start > clause_start:  # begin the window at a whole word, never inside one
        window_start = text.find(" ", window_start, start) + 1 or start
    if NEGATION_BEFORE.search(text[window_start:start]):
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

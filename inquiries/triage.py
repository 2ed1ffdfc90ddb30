"""Explainable triage of a patient inquiry: plain Python over plain data, no Django.

`assess(answers)` reads the submitted answers (a mapping keyed by the inquiry form's field names,
see docs/triage.md) and returns an `Assessment` with a `priority` and the `reasons` for it, as
plain-language sentences that staff can check against what the patient wrote. Run it on its own:

    python -m inquiries.triage "Metastasen in der Leber, starke Schmerzen"
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

URGENT = "urgent"
HIGH = "high"
ROUTINE = "routine"

# The free-text answers the rules read, in the order they are searched. "reply" is a patient's later
# message (the follow-up page), read together with the original answers.
TEXT_KEYS = ("diagnosis", "previous_treatments", "message", "reply")

# What each tumour type key means, for the reasons.
TUMOUR_TYPES = {
    "neuroendocrine": "neuroendocrine tumour",
    "lung": "lung cancer",
    "gastrointestinal": "gastrointestinal cancer",
    "breast": "breast cancer",
    "prostate": "prostate cancer",
    "other": "another tumour type",
}

# The vocabulary (words for cancer, cancer-specific treatments and markers, the words that must not count,
# and the urgent signals said in words) is data: inquiries/data/triage_vocabulary.json, explained in
# docs/triage.md. This module only knows its small grammar (see "_grammar" in the file).
VOCABULARY_FILE = Path(__file__).resolve().parent / "data" / "triage_vocabulary.json"

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

_RED_FLAGS = {name: [re.compile(p, re.IGNORECASE) for p in patterns] for name, patterns in RED_FLAGS.items()}

# Words that end the reach of the "any words" gap inside a pair: a negation ("the chemotherapy was not
# cancelled") or a new statement ("chemo went well and the scan was postponed").
_GAP_STOP = (
    r"not|never|no|none|nothing|nicht|nie|niemals|kein\w*|не|ни|нет|\w+n['’]t"
    r"|and|but|or|however|although|und|aber|oder|sondern|jedoch|и|но|а|или|однако"
)


def term_pattern(term: str) -> str:
    """The regular expression for one term of the vocabulary (grammar: "_grammar" in the data file)."""
    words = []
    for word in term.split():
        core = re.escape(word.strip("*"))
        words.append((r"\w*" if word.startswith("*") else "") + core + (r"\w*" if word.endswith("*") else ""))
    return r"[\s-]+".join(words)


@dataclass(frozen=True)
class Measurement:
    """A blood-sugar value below a threshold ("blood sugar 2.1 mmol/l", "Blutzucker 45")."""

    name: str
    pattern: re.Pattern
    mmol_below: float
    mg_below: float
    mmol_units: frozenset[str]
    exclude: re.Pattern | None = None

    # A number followed by these is a count or an amount, not a measurement ("sugar 2 times a day").
    NOT_A_VALUE = re.compile(r"\s*(?:x\b|×|times|mal\b|раз|%|/\s*\d|g\b|gram|gramm|löffel|ложк|spoon|teaspoon)", re.I)

    def find(self, text: str) -> list[str]:
        found = []
        for match in find_matches(text, [self.pattern], exclude=self.exclude):
            if self.NOT_A_VALUE.match(text, match.end("value")) and not match.group("unit"):
                continue
            value = float(match.group("value").replace(",", "."))
            unit = (match.group("unit") or "").casefold()
            in_mmol = unit in self.mmol_units if unit else value < 30
            if value < (self.mmol_below if in_mmol else self.mg_below) and match.group(0) not in found:
                found.append(match.group(0))
        return found


@dataclass(frozen=True)
class Signal:
    """One named thing the rules look for in a text: its patterns and what must not count as it."""

    name: str
    patterns: tuple[re.Pattern, ...]
    exclude: re.Pattern | None = None
    measurements: tuple[Measurement, ...] = ()

    def find(self, text: str) -> list[str]:
        found = find_terms(text, self.patterns, exclude=self.exclude)
        for measurement in self.measurements:
            found += [value for value in measurement.find(text) if value not in found]
        # "sugar dropped" is part of "sugar dropped to 2.1": quote the longer phrase once.
        return [term for term in found if not any(term != other and term in other for other in found)]


@dataclass(frozen=True)
class Combination:
    """A signal made of parts that must all be found in the same answer (any one of the `all_of` sets)."""

    name: str
    parts: dict[str, Signal]
    all_of: tuple[tuple[str, ...], ...]

    def find(self, text: str) -> list[str]:
        found = {name: part.find(text) for name, part in self.parts.items()}
        for names in self.all_of:
            if all(found[name] for name in names):
                return list(dict.fromkeys(term for name in names for term in found[name]))
        return []


class Vocabulary:
    """The compiled vocabulary: what names cancer, what names a cancer treatment, the urgent signals."""

    def __init__(self, data: Mapping):
        self.word_lists = data.get("word_lists", {})
        exclude = data["not_oncology"]["exclude"]["terms"]
        self.oncology = self._section(data["oncology"], "cancer", exclude)
        self.treatments = self._section(data["oncology_treatments"], "cancer-specific treatment or marker", exclude)
        self.urgent = [self._urgent(spec) for spec in data["urgent_signals"]]

    def _words(self, ref) -> list[str]:
        if isinstance(ref, str):
            return list(self.word_lists[ref.removeprefix("@")]) if ref.startswith("@") else [ref]
        return list(ref)

    def _alternation(self, terms: Iterable[str]) -> str:
        terms = set(terms)
        # Words that may sit anywhere inside a word share one "\w*(?:…)\w*", which keeps the search fast.
        inside = {t for t in terms if " " not in t and len(t) > 2 and t.startswith("*") and t.endswith("*")}
        patterns = sorted({term_pattern(t) for t in terms - inside}, key=len, reverse=True)
        if inside:
            cores = sorted((re.escape(t.strip("*")) for t in inside), key=len, reverse=True)
            patterns.insert(0, r"\w*(?:" + "|".join(cores) + r")\w*")
        # Longest first, so "radiation therapy" wins over "radiation".
        return "(?:" + "|".join(patterns) + ")"

    def _terms_regex(self, terms: Iterable[str]) -> re.Pattern:
        return re.compile(rf"(?<!\w){self._alternation(terms)}(?!\w)", re.IGNORECASE)

    def _exclude(self, terms) -> re.Pattern | None:
        return self._terms_regex(terms) if terms else None

    def _section(self, section: Mapping, name: str, exclude: list[str]) -> Signal:
        terms = [term for group in section["groups"] for term in group["terms"]]
        patterns = [self._terms_regex(terms)]
        if section.get("abbreviations"):
            abbreviations = sorted(section["abbreviations"], key=len, reverse=True)
            patterns.append(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, abbreviations)) + r")(?!\w)"))
        return Signal(name, tuple(patterns), self._exclude(exclude))

    def _pair(self, pair: Mapping) -> str:
        first, then, limit = self._words(pair["first"]), self._words(pair["then"]), int(pair["max"])
        if pair["between"] == "any":
            gap = rf"(?:[\s-]+(?!(?:{_GAP_STOP})(?!\w))[\w'’]+){{0,{limit}}}[\s-]+"
        else:
            gap = rf"(?:[\s-]+{self._alternation(self._words(pair['between']))}(?!\w)){{0,{limit}}}[\s-]+"
        return rf"(?<!\w){self._alternation(first)}{gap}{self._alternation(then)}(?!\w)"

    def _signal(self, name: str, spec: Mapping, exclude: list[str]) -> Signal:
        patterns = []
        if spec.get("terms"):
            patterns.append(self._terms_regex(self._words(spec["terms"])))
        patterns += [re.compile(self._pair(pair), re.IGNORECASE) for pair in spec.get("pairs", [])]
        return Signal(name, tuple(patterns), self._exclude(exclude))

    def _urgent(self, spec: Mapping) -> Signal | Combination:
        exclude = spec.get("exclude", [])
        if "parts" in spec:
            parts = {name: self._signal(name, part, exclude) for name, part in spec["parts"].items()}
            return Combination(spec["name"], parts, tuple(tuple(names) for names in spec["all_of"]))
        signal = self._signal(spec["name"], spec, exclude)
        if "measurement" in spec:
            measurement = self._measurement(spec["name"], spec["measurement"], exclude)
            signal = Signal(signal.name, signal.patterns, signal.exclude, (measurement,))
        return signal

    def _measurement(self, name: str, spec: Mapping, exclude: list[str]) -> Measurement:
        units = [*spec["mmol_units"], *spec["mg_units"]]
        unit = "(?:" + "|".join(map(re.escape, sorted(units, key=len, reverse=True))) + ")"
        pattern = (
            rf"(?<!\w){self._alternation(self._words(spec['words']))}"
            rf"(?:[\s:=-]+{self._alternation(self._words(spec['between']))}(?!\w)){{0,4}}[\s:=-]*"
            rf"(?P<value>(?<![\d.,])\d{{1,3}}(?:[.,]\d{{1,2}})?)(?![\d.,]*\d)(?:\s*(?P<unit>{unit})(?!\w))?"
        )
        return Measurement(
            name=name,
            pattern=re.compile(pattern, re.IGNORECASE),
            mmol_below=float(spec["mmol_per_l_below"]),
            mg_below=float(spec["mg_per_dl_below"]),
            mmol_units=frozenset(u.casefold() for u in spec["mmol_units"]),
            exclude=self._exclude(exclude),
        )


VOCABULARY = Vocabulary(json.loads(VOCABULARY_FILE.read_text(encoding="utf-8")))


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


def find_terms(text: str, patterns: Iterable[re.Pattern], exclude: re.Pattern | None = None) -> list[str]:
    """The terms in the text that match one of the patterns, are not negated and not excluded."""
    return list(dict.fromkeys(match.group(0) for match in find_matches(text, patterns, exclude=exclude)))


def find_matches(text: str, patterns: Iterable[re.Pattern], exclude: re.Pattern | None = None) -> list[re.Match]:
    """The matches of the patterns in the text that are not negated and do not overlap an excluded term."""
    # Marker status is blanked (same length, so the positions still fit) before looking for cues.
    masked = MARKER_NEGATIVE.sub(lambda m: "_" * len(m.group(0)), text)
    excluded = [m.span() for m in exclude.finditer(text)] if exclude is not None else []
    found = []
    for pattern in patterns:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in excluded):
                continue
            if not _is_negated(masked, match.start(), match.end()):
                found.append(match)
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
        terms = VOCABULARY.oncology.find(text)
        if terms:
            yield f"The {key.replace('_', ' ')} names cancer: {_quote(terms)}."
        treatments = VOCABULARY.treatments.find(text)
        if treatments:
            yield f"A cancer-specific treatment or marker in the {key.replace('_', ' ')}: {_quote(treatments)}."


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
        for signal in VOCABULARY.urgent:
            terms = signal.find(text)
            if terms:
                yield f"Red flag in the {key.replace('_', ' ')}: {signal.name} ({_quote(terms)})."


if __name__ == "__main__":  # pragma: no cover - a command-line aid for audits
    result = assess({"diagnosis": " ".join(sys.argv[1:])})
    print(result.priority)
    print("\n".join(f"- {reason}" for reason in result.reasons))

"""The triage rules as a table: answers in, priority out, in English, German and Russian."""

import ast
from pathlib import Path

import pytest

from inquiries import triage
from inquiries.triage import HIGH, ROUTINE, URGENT, assess

# (case name, answers, expected priority)
CASES = [
    # --- Structured answers --------------------------------------------------------------------
    ("nothing at all", {}, ROUTINE),
    ("cancer yes, no urgency", {"is_cancer": "yes"}, HIGH),
    ("cancer suspected", {"is_cancer": "suspected"}, HIGH),
    ("cancer no", {"is_cancer": "no", "diagnosis": "Knee arthrosis"}, ROUTINE),
    ("tumour type alone", {"tumour_type": "neuroendocrine"}, HIGH),
    ("metastases known alone", {"metastases": "yes"}, HIGH),
    ("cancer + doctor two weeks", {"is_cancer": "yes", "doctor_two_week_start": "yes"}, URGENT),
    ("cancer + worsening", {"is_cancer": "yes", "symptoms_worsening": "yes"}, URGENT),
    ("cancer + interrupted", {"is_cancer": "yes", "treatment_interrupted": "yes"}, URGENT),
    ("booleans work too", {"is_cancer": "suspected", "symptoms_worsening": True}, URGENT),
    ("urgent signal without cancer", {"is_cancer": "no", "symptoms_worsening": "yes"}, ROUTINE),
    (
        "urgency answered no",
        {"is_cancer": "yes", "doctor_two_week_start": "no", "symptoms_worsening": "unknown"},
        HIGH,
    ),
    # --- English text --------------------------------------------------------------------------
    ("EN cancer word", {"diagnosis": "Pancreatic cancer, stage 3"}, HIGH),
    ("EN carcinoma", {"diagnosis": "hepatocellular carcinoma"}, HIGH),
    ("EN tumour british", {"diagnosis": "brain tumour"}, HIGH),
    ("EN NET abbreviation", {"diagnosis": "Small bowel NET G2"}, HIGH),
    ("EN net lower case is a word", {"diagnosis": "net weight gain after surgery for a hernia"}, ROUTINE),
    ("EN lymphoma", {"diagnosis": "Hodgkin lymphoma"}, HIGH),
    ("EN leukaemia", {"diagnosis": "acute leukaemia"}, HIGH),
    ("EN sarcoma + severe pain", {"diagnosis": "sarcoma of the thigh", "message": "severe pain at night"}, URGENT),
    ("EN metastases + jaundice", {"diagnosis": "liver metastases", "message": "he has jaundice"}, URGENT),
    ("EN bleeding", {"diagnosis": "colon cancer", "message": "Bleeding since Monday"}, URGENT),
    ("EN bowel obstruction", {"diagnosis": "ovarian cancer with bowel obstruction"}, URGENT),
    ("EN rapid weight loss", {"diagnosis": "stomach cancer", "message": "rapid weight loss"}, URGENT),
    ("EN difficulty breathing", {"diagnosis": "lung cancer", "message": "difficulty breathing"}, URGENT),
    ("EN shortness of breath", {"diagnosis": "mesothelioma tumor", "message": "Shortness of breath"}, URGENT),
    ("EN misspelt canser", {"diagnosis": "breast canser"}, HIGH),
    ("EN misspelt tumer", {"diagnosis": "tumer in the liver"}, HIGH),
    ("EN misspelt metastaces", {"diagnosis": "metastaces in the bones"}, HIGH),
    ("EN neuroendocrine", {"diagnosis": "neuroendocrine neoplasm of the pancreas"}, HIGH),
    # --- English negations ---------------------------------------------------------------------
    ("EN no metastases", {"diagnosis": "Knee injury, no metastases"}, ROUTINE),
    ("EN no pain", {"is_cancer": "yes", "message": "no pain, no bleeding"}, HIGH),
    ("EN no severe pain", {"is_cancer": "yes", "message": "There is no severe pain."}, HIGH),
    ("EN cancer ruled out", {"diagnosis": "Cancer has been ruled out, benign cyst"}, ROUTINE),
    ("EN no evidence of cancer", {"diagnosis": "No evidence of cancer on biopsy"}, ROUTINE),
    ("EN cancer-free", {"diagnosis": "Hip replacement, cancer-free since 2010"}, ROUTINE),
    ("EN doesn't bleed", {"is_cancer": "yes", "message": "the wound doesn't bleed"}, HIGH),
    ("EN negation does not cross 'and'", {"diagnosis": "no metastases and severe pain", "is_cancer": "yes"}, URGENT),
    ("EN negation does not cross sentence", {"diagnosis": "No fever. Bleeding from the tumour."}, URGENT),
    ("EN plain routine", {"diagnosis": "Hip arthrosis, wish for a second opinion on a replacement"}, ROUTINE),
    ("EN severe pain alone is routine", {"diagnosis": "slipped disc", "message": "severe pain"}, ROUTINE),
    # --- German text ---------------------------------------------------------------------------
    ("DE Krebs", {"diagnosis": "Bauchspeicheldrüsenkrebs"}, HIGH),
    ("DE Karzinom", {"diagnosis": "Kolonkarzinom"}, HIGH),
    ("DE Tumor", {"diagnosis": "Tumor in der Lunge"}, HIGH),
    (
        "DE Lebermetastasen + Gelbsucht",
        {"diagnosis": "Lebermetastasen", "message": "Gelbsucht seit einer Woche"},
        URGENT,
    ),
    ("DE NET + starke Schmerzen", {"diagnosis": "NET des Dünndarms", "message": "starke Bauchschmerzen"}, URGENT),
    ("DE Darmverschluss", {"diagnosis": "Darmkrebs mit Darmverschluss"}, URGENT),
    ("DE Atemnot", {"diagnosis": "Lungenkrebs", "message": "Atemnot beim Gehen"}, URGENT),
    ("DE Gewichtsverlust", {"diagnosis": "Magenkarzinom", "message": "schneller Gewichtsverlust"}, URGENT),
    ("DE Blutung", {"diagnosis": "Blasentumor", "message": "Blutung im Urin"}, URGENT),
    ("DE neuroendokrin", {"diagnosis": "neuroendokriner Tumor G1"}, HIGH),
    ("DE misspelt Karcinom", {"diagnosis": "Karcinom der Brust"}, HIGH),
    # --- German negations ----------------------------------------------------------------------
    ("DE keine Metastasen", {"diagnosis": "Knieverletzung, keine Metastasen"}, ROUTINE),
    ("DE keine Schmerzen", {"is_cancer": "yes", "message": "keine starken Schmerzen, keine Blutung"}, HIGH),
    ("DE Krebs ausgeschlossen", {"diagnosis": "Krebs wurde ausgeschlossen"}, ROUTINE),
    ("DE tumorfrei", {"diagnosis": "seit 5 Jahren tumorfrei, jetzt Hüftarthrose"}, ROUTINE),
    ("DE ohne Hinweis", {"diagnosis": "ohne Hinweis auf Tumor"}, ROUTINE),
    ("DE plain routine", {"diagnosis": "Bandscheibenvorfall, Zweitmeinung gewünscht"}, ROUTINE),
    # --- Russian text --------------------------------------------------------------------------
    ("RU рак", {"diagnosis": "рак поджелудочной железы"}, HIGH),
    ("RU раком", {"diagnosis": "болен раком лёгкого"}, HIGH),
    ("RU ракета is not cancer", {"diagnosis": "травма после запуска ракеты"}, ROUTINE),
    ("RU опухоль + кровотечение", {"diagnosis": "опухоль кишечника", "message": "кровотечение"}, URGENT),
    ("RU метастазы + желтуха", {"diagnosis": "метастазы в печени", "message": "желтуха"}, URGENT),
    ("RU нейроэндокринная + одышка", {"diagnosis": "нейроэндокринная опухоль", "message": "одышка"}, URGENT),
    ("RU сильные боли", {"diagnosis": "карцинома", "message": "сильные боли в животе"}, URGENT),
    ("RU непроходимость", {"diagnosis": "рак желудка, кишечная непроходимость"}, URGENT),
    ("RU похудел", {"diagnosis": "лимфома", "message": "резко похудел"}, URGENT),
    ("RU misspelt метостазы", {"diagnosis": "метостазы в костях"}, HIGH),
    # --- Russian negations ---------------------------------------------------------------------
    ("RU нет метастазов", {"diagnosis": "артроз колена, нет метастазов"}, ROUTINE),
    ("RU метастазов нет", {"diagnosis": "травма, метастазов нет"}, ROUTINE),
    ("RU без боли", {"is_cancer": "yes", "message": "без сильной боли"}, HIGH),
    ("RU рак исключён", {"diagnosis": "рак исключен"}, ROUTINE),
    ("RU не обнаружено", {"diagnosis": "опухоль не обнаружена"}, ROUTINE),
    # --- A negated verb does not negate the red flag after it ----------------------------------
    (
        "EN painkillers do not help",
        {"diagnosis": "Painkillers do not help against the severe pain. Pancreatic cancer."},
        URGENT,
    ),
    ("EN can't stop the bleeding", {"diagnosis": "The doctors can't stop the bleeding. Colon cancer."}, URGENT),
    ("EN cannot stop the bleeding", {"diagnosis": "Doctors cannot stop the bleeding. Colon cancer."}, URGENT),
    ("EN no longer help", {"is_cancer": "yes", "message": "Painkillers no longer help with the severe pain"}, URGENT),
    ("EN bleeding won't stop", {"is_cancer": "yes", "message": "the bleeding won't stop"}, URGENT),
    (
        "DE helfen nicht gegen",
        {"diagnosis": "Schmerzmittel helfen nicht gegen die starken Schmerzen. Pankreaskarzinom."},
        URGENT,
    ),
    ("DE Blutung hört nicht auf", {"diagnosis": "Magenkrebs", "message": "Die Blutung hört nicht auf"}, URGENT),
    (
        "RU не помогают от",
        {"diagnosis": "Обезболивающие не помогают от сильной боли. Рак поджелудочной железы."},
        URGENT,
    ),
    (
        "RU больше не помогают",
        {"is_cancer": "yes", "message": "Обезболивающие больше не помогают, сильная боль"},
        URGENT,
    ),
    # --- Inflections and phrasings -------------------------------------------------------------
    ("EN pain is severe", {"diagnosis": "Pain is severe. Colon cancer."}, URGENT),
    ("EN can't breathe", {"diagnosis": "lung cancer", "message": "I can't breathe at night"}, URGENT),
    ("EN unable to breathe", {"diagnosis": "lung cancer", "message": "unable to breathe when lying down"}, URGENT),
    ("DE starker Schmerz", {"diagnosis": "Ein starker Schmerz im Bauch. Darmkrebs."}, URGENT),
    ("DE unerträglicher Schmerz", {"diagnosis": "Unerträglicher Schmerz, Darmkrebs"}, URGENT),
    ("DE heftigem Schmerz", {"diagnosis": "Darmkrebs", "message": "seit gestern mit heftigem Schmerz"}, URGENT),
    (
        "DE Schmerzen sind unerträglich",
        {"diagnosis": "Darmkrebs", "message": "Die Schmerzen sind unerträglich"},
        URGENT,
    ),
    ("DE kann nicht mehr atmen", {"diagnosis": "Ich kann nicht mehr atmen, Lungenkrebs"}, URGENT),
    ("DE bekomme keine Luft", {"diagnosis": "Lungenkrebs", "message": "Ich bekomme keine Luft"}, URGENT),
    (
        "DE starke Schmerzmittel are not pain",
        {"diagnosis": "Darmkrebs", "message": "nimmt starke Schmerzmittel"},
        HIGH,
    ),
    ("RU не могу дышать", {"diagnosis": "Не могу дышать, рак лёгкого"}, URGENT),  # noqa: RUF001 (Cyrillic capital letter)
    ("RU боль невыносимая", {"diagnosis": "рак желудка", "message": "боль невыносимая"}, URGENT),
    ("RU задыхается", {"diagnosis": "рак лёгкого", "message": "задыхается по ночам"}, URGENT),
    # --- Receptor and marker status is not a negation ------------------------------------------
    ("EN triple-negative", {"diagnosis": "Triple-negative breast cancer"}, HIGH),
    ("EN HER2-negative", {"diagnosis": "HER2-negative breast cancer, liver metastases"}, HIGH),
    ("EN ER-negative", {"diagnosis": "ER-negative cancer"}, HIGH),
    ("EN EGFR negative", {"diagnosis": "EGFR negative lung cancer"}, HIGH),
    ("EN negative for HER2", {"diagnosis": "Breast cancer negative for HER2"}, HIGH),
    ("DE HER2-negativ", {"diagnosis": "Mammakarzinom HER2-negativ"}, HIGH),
    ("EN tumour markers negative", {"diagnosis": "my tumor markers are negative"}, ROUTINE),
    ("EN negative for malignancy", {"diagnosis": "Thyroid nodule, biopsy negative for malignancy"}, ROUTINE),
    # --- A negation after a term stops at the first clause break -------------------------------
    ("RU Рак: нет сил", {"diagnosis": "Рак: нет сил, сильная боль"}, URGENT),
    ("RU Рак - нет аппетита", {"diagnosis": "Рак - нет аппетита"}, HIGH),
    ("RU рак нет сил", {"diagnosis": "рак нет сил"}, HIGH),
    ("EN cancer - negative EGFR", {"diagnosis": "Lung cancer - negative EGFR mutation"}, HIGH),
    ("EN cancer negative for surgery", {"diagnosis": "Pancreatic cancer is negative for surgery"}, HIGH),
    ("EN cancer free since", {"diagnosis": "Cancer free since 2019"}, ROUTINE),
    ("RU рака нет", {"diagnosis": "травма, рака нет"}, ROUTINE),
    ("DE Krebs-frei", {"diagnosis": "Krebs-frei seit 2015, Knieschmerzen"}, ROUTINE),
    # --- Negations that still do not trigger ---------------------------------------------------
    ("EN pain is not severe", {"is_cancer": "yes", "message": "the pain is not severe"}, HIGH),
    ("EN no pain or bleeding", {"is_cancer": "yes", "message": "no pain or bleeding"}, HIGH),
    ("EN never had any bleeding", {"is_cancer": "yes", "message": "never had any bleeding"}, HIGH),
    ("EN don't have cancer", {"diagnosis": "I don't have cancer, only a cyst"}, ROUTINE),
    ("EN no new metastases", {"diagnosis": "Knee pain, no evidence of any new metastases"}, ROUTINE),
    ("EN not hard to breathe", {"is_cancer": "yes", "message": "it is not hard to breathe"}, HIGH),
    ("DE kein starker Schmerz", {"is_cancer": "yes", "message": "kein starker Schmerz"}, HIGH),
    ("DE Schmerzen nicht stark", {"is_cancer": "yes", "message": "die Schmerzen sind nicht stark"}, HIGH),
    ("DE keine Schmerzen oder Blutungen", {"is_cancer": "yes", "message": "keine Schmerzen oder Blutungen"}, HIGH),
    ("DE keine neuen Metastasen", {"diagnosis": "Hüftarthrose, keine neuen Metastasen"}, ROUTINE),
    ("DE kein Anhalt für", {"diagnosis": "kein Anhalt für Malignom"}, ROUTINE),
    ("DE keine Luftnot", {"is_cancer": "yes", "message": "keine Luftnot"}, HIGH),
    ("RU боль не сильная", {"is_cancer": "yes", "message": "боль не сильная"}, HIGH),
    ("RU не было кровотечения", {"is_cancer": "yes", "message": "не было кровотечения"}, HIGH),
    ("RU кровотечений не было", {"is_cancer": "yes", "message": "кровотечений не было"}, HIGH),
    ("RU без признаков рака", {"diagnosis": "без признаков рака"}, ROUTINE),
    ("RU нет новых метастазов", {"diagnosis": "артроз, нет новых метастазов"}, ROUTINE),
    ("RU никакой боли", {"is_cancer": "yes", "message": "никакой боли"}, HIGH),
]


@pytest.mark.parametrize(("answers", "expected"), [(a, e) for _, a, e in CASES], ids=[n for n, _, _ in CASES])
def test_triage_table(answers, expected):
    assessment = assess(answers)
    assert assessment.priority == expected, assessment.reasons


def test_the_table_is_large_enough_and_covers_three_languages():
    assert len(CASES) >= 40
    assert {name[:2] for name, _, _ in CASES} >= {"EN", "DE", "RU"}


def test_reasons_quote_what_the_patient_wrote():
    assessment = assess({"diagnosis": "Lebermetastasen", "message": "Gelbsucht seit einer Woche"})
    assert assessment.priority == URGENT
    assert assessment.reasons[0].startswith("Oncology case with an urgent signal")
    assert any("“Lebermetastasen”" in reason for reason in assessment.reasons)
    assert any("jaundice" in reason and "“Gelbsucht”" in reason for reason in assessment.reasons)
    assert assessment.is_oncology
    assert assessment.urgent_signals


def test_every_priority_has_a_summary_reason():
    for answers in ({}, {"is_cancer": "yes"}, {"is_cancer": "yes", "symptoms_worsening": "yes"}):
        assert assess(answers).reasons


def test_urgent_only_hospital_is_named_in_the_reasons():
    assessment = assess({"is_cancer": "yes", "preferred_hospital_admission": "urgent_only"})
    assert "The preferred hospital currently admits urgent cases only." in assessment.reasons
    assert assessment.priority == HIGH
    assert not any("urgent cases only" in r for r in assess({"preferred_hospital_admission": "open"}).reasons)


def test_unexpected_types_do_not_break_the_rules():
    assert assess({"diagnosis": None, "is_cancer": None, "tumour_type": None}).priority == ROUTINE
    assert assess({"diagnosis": 12345, "message": ["list"]}).priority == ROUTINE


def test_the_module_imports_no_django():
    tree = ast.parse(Path(triage.__file__).read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert not any(name.startswith("django") for name in imported)

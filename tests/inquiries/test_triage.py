"""The triage rules as a table: answers in, priority out, in English, German and Russian."""

import ast
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    ("RU не могу дышать", {"diagnosis": "Не могу дышать, рак лёгкого"}, URGENT),
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
    # --- Oncology the way doctors write it: neoplasm endings inside compound words ----------
    ("EN adenocarcinoma", {"diagnosis": "adenocarcinoma of the pancreas"}, HIGH),
    ("EN cholangiocarcinoma", {"diagnosis": "cholangiocarcinoma"}, HIGH),
    ("EN neuroblastoma", {"diagnosis": "neuroblastoma in a 3-year-old"}, HIGH),
    ("EN osteosarcoma", {"diagnosis": "osteosarcoma of the femur"}, HIGH),
    ("EN glioma grade 4", {"diagnosis": "glioma grade 4"}, HIGH),
    ("EN seminoma", {"diagnosis": "seminoma, after orchiectomy"}, HIGH),
    ("EN mesothelioma", {"diagnosis": "pleural mesothelioma"}, HIGH),
    ("EN leiomyosarcoma", {"diagnosis": "uterine leiomyosarcoma"}, HIGH),
    ("EN oligodendroglioma", {"diagnosis": "oligodendroglioma"}, HIGH),
    ("EN multiple myeloma", {"diagnosis": "multiple myeloma"}, HIGH),
    ("EN uveal melanoma", {"diagnosis": "uveal melanoma"}, HIGH),
    ("EN dysgerminoma", {"diagnosis": "ovarian dysgerminoma"}, HIGH),
    ("DE Adenokarzinom", {"diagnosis": "Adenokarzinom des Pankreas"}, HIGH),
    ("DE Osteosarkom", {"diagnosis": "Osteosarkom am Knie"}, HIGH),
    ("DE Neuroblastom", {"diagnosis": "Neuroblastom"}, HIGH),
    ("DE Aderhautmelanom", {"diagnosis": "Aderhautmelanom"}, HIGH),
    ("DE Glioblastom", {"diagnosis": "Glioblastom WHO Grad 4"}, HIGH),
    ("DE Non-Hodgkin-Lymphom", {"diagnosis": "Non-Hodgkin-Lymphom"}, HIGH),
    ("RU аденокарцинома", {"diagnosis": "аденокарцинома желудка"}, HIGH),
    ("RU холангиокарциномой", {"diagnosis": "болеет холангиокарциномой"}, HIGH),
    ("RU остеосаркома", {"diagnosis": "остеосаркома бедра"}, HIGH),
    ("RU нейробластомы", {"diagnosis": "лечение нейробластомы"}, HIGH),
    ("RU глиома", {"diagnosis": "глиома 4 степени"}, HIGH),
    ("RU семинома", {"diagnosis": "семинома яичка"}, HIGH),
    ("RU миелома", {"diagnosis": "множественная миелома"}, HIGH),
    # --- Named neoplasms: neuroendocrine tumours and syndromes -------------------------------
    ("EN carcinoid", {"diagnosis": "carcinoid of the small bowel"}, HIGH),
    ("DE Karzinoid", {"diagnosis": "Karzinoid im Dünndarm"}, HIGH),
    ("RU карциноид", {"diagnosis": "карциноид тонкой кишки"}, HIGH),
    ("EN insulinoma", {"diagnosis": "insulinoma of the pancreas"}, HIGH),
    ("EN gastrinoma", {"diagnosis": "gastrinoma"}, HIGH),
    ("EN VIPoma", {"diagnosis": "VIPoma"}, HIGH),
    ("EN glucagonoma", {"diagnosis": "glucagonoma"}, HIGH),
    ("EN pheochromocytoma", {"diagnosis": "pheochromocytoma"}, HIGH),
    ("DE Phäochromozytom", {"diagnosis": "Phäochromozytom links"}, HIGH),
    ("EN paraganglioma", {"diagnosis": "paraganglioma of the neck"}, HIGH),
    ("EN thymoma", {"diagnosis": "thymoma type B2"}, HIGH),
    ("EN Merkel cell carcinoma", {"diagnosis": "Merkel cell carcinoma"}, HIGH),
    ("DE Merkelzellkarzinom", {"diagnosis": "Merkelzellkarzinom"}, HIGH),
    ("EN GIST", {"diagnosis": "GIST of the stomach"}, HIGH),
    ("EN gist lower case is a word", {"diagnosis": "the gist of it: knee pain"}, ROUTINE),
    ("EN HCC", {"diagnosis": "HCC with cirrhosis"}, HIGH),
    ("EN MEN1", {"diagnosis": "MEN1 syndrome"}, HIGH),
    ("EN Zollinger-Ellison", {"diagnosis": "Zollinger-Ellison syndrome"}, HIGH),
    ("RU инсулинома", {"diagnosis": "инсулинома поджелудочной"}, HIGH),
    ("RU феохромоцитома", {"diagnosis": "феохромоцитома"}, HIGH),
    ("RU параганглиомой", {"diagnosis": "с параганглиомой"}, HIGH),
    ("RU синдром Золлингера-Эллисона", {"diagnosis": "синдром Золлингера-Эллисона"}, HIGH),
    ("EN no carcinoid", {"diagnosis": "Knee pain, no carcinoid"}, ROUTINE),
    ("DE kein Karzinoid", {"diagnosis": "kein Hinweis auf Karzinoid"}, ROUTINE),
    ("RU нет карциноида", {"diagnosis": "артроз, карциноид исключен"}, ROUTINE),
    ("EN no adenocarcinoma", {"diagnosis": "biopsy: no adenocarcinoma"}, ROUTINE),
    ("DE Osteosarkom ausgeschlossen", {"diagnosis": "Osteosarkom ausgeschlossen"}, ROUTINE),
    ("RU без признаков аденокарциномы", {"diagnosis": "без признаков аденокарциномы"}, ROUTINE),
    # --- Look-alikes stay routine ------------------------------------------------------------
    ("EN haematoma", {"diagnosis": "haematoma after a fall"}, ROUTINE),
    ("EN hematoma", {"diagnosis": "hematoma of the thigh"}, ROUTINE),
    ("DE Hämatom", {"diagnosis": "Hämatom am Knie"}, ROUTINE),
    ("RU гематома", {"diagnosis": "гематома после травмы"}, ROUTINE),
    ("EN glaucoma", {"diagnosis": "glaucoma, second opinion"}, ROUTINE),
    ("DE Glaukom", {"diagnosis": "Glaukom"}, ROUTINE),
    ("EN coma", {"diagnosis": "coma after an accident"}, ROUTINE),
    ("EN diploma", {"message": "my son has a diploma in nursing"}, ROUTINE),
    ("EN stoma", {"diagnosis": "stoma care after Crohn surgery"}, ROUTINE),
    ("EN sarcoidosis", {"diagnosis": "sarcoidosis of the lung"}, ROUTINE),
    ("EN myelomeningocele", {"diagnosis": "myelomeningocele, spina bifida"}, ROUTINE),
    ("DE Myelomeningozele", {"diagnosis": "Myelomeningozele"}, ROUTINE),
    ("EN hepatomegaly", {"diagnosis": "hepatomegaly, fatty liver"}, ROUTINE),
    ("EN blastomycosis", {"diagnosis": "blastomycosis"}, ROUTINE),
    ("RU глаукома", {"diagnosis": "глаукома"}, ROUTINE),
    # --- Benign tumours are not oncology by themselves (docs/triage.md) --------------------
    ("EN lipoma", {"diagnosis": "lipoma on the back"}, ROUTINE),
    ("EN adrenal adenoma", {"diagnosis": "adrenal adenoma, 2 cm"}, ROUTINE),
    ("EN pituitary adenoma", {"diagnosis": "pituitary adenoma"}, ROUTINE),
    ("DE Hypophysenadenom", {"diagnosis": "Hypophysenadenom"}, ROUTINE),
    ("RU аденома гипофиза", {"diagnosis": "аденома гипофиза"}, ROUTINE),
    ("EN myoma", {"diagnosis": "uterine myoma"}, ROUTINE),
    ("DE Uterusmyom", {"diagnosis": "Uterusmyom"}, ROUTINE),
    ("RU миома", {"diagnosis": "миома матки"}, ROUTINE),
    ("EN haemangioma", {"diagnosis": "haemangioma of the liver"}, ROUTINE),
    ("EN osteoblastoma", {"diagnosis": "osteoblastoma of the spine"}, ROUTINE),
    ("EN meningioma", {"diagnosis": "meningioma"}, ROUTINE),
    ("EN low-grade dysplasia", {"diagnosis": "colon adenoma with low-grade dysplasia"}, ROUTINE),
    ("EN high-grade dysplasia", {"diagnosis": "colon adenoma with high-grade dysplasia"}, HIGH),
    ("DE hochgradige Dysplasie", {"diagnosis": "Adenom mit hochgradiger Dysplasie"}, HIGH),
    ("RU дисплазия высокой степени", {"diagnosis": "аденома с дисплазией высокой степени"}, HIGH),
    ("EN no high-grade dysplasia", {"diagnosis": "Barrett oesophagus, no high-grade dysplasia"}, ROUTINE),
    ("EN atypical meningioma", {"diagnosis": "atypical meningioma WHO grade 2"}, HIGH),
    ("EN benign pituitary adenoma with metastases", {"diagnosis": "pituitary adenoma with metastases"}, HIGH),
    # --- Cancer-specific treatments and markers are oncology signals ------------------------
    ("EN chemotherapy", {"previous_treatments": "six cycles of chemotherapy"}, HIGH),
    ("EN radiotherapy", {"previous_treatments": "radiotherapy in 2024"}, HIGH),
    ("EN PRRT", {"previous_treatments": "4 cycles of PRRT"}, HIGH),
    ("EN Lu-177 DOTATATE", {"previous_treatments": "Lu-177 DOTATATE"}, HIGH),
    ("EN Lutetium-177", {"previous_treatments": "Lutetium-177 in Bad Berka"}, HIGH),
    ("EN octreotide", {"previous_treatments": "octreotide LAR 30 mg monthly"}, HIGH),
    ("EN lanreotide", {"previous_treatments": "lanreotide injections"}, HIGH),
    ("EN everolimus", {"previous_treatments": "everolimus 10 mg"}, HIGH),
    ("EN sunitinib", {"previous_treatments": "sunitinib"}, HIGH),
    ("EN CAPTEM", {"previous_treatments": "CAPTEM, then capecitabine and temozolomide again"}, HIGH),
    ("EN TACE", {"previous_treatments": "TACE of the liver"}, HIGH),
    ("EN chromogranin A", {"diagnosis": "chromogranin A raised"}, HIGH),
    ("EN Ki-67", {"diagnosis": "Ki-67 12 %"}, HIGH),
    ("DE Chemotherapie", {"previous_treatments": "Chemotherapie mit Cisplatin"}, HIGH),
    ("DE Strahlentherapie", {"previous_treatments": "Strahlentherapie 2023"}, HIGH),
    ("DE Bestrahlung", {"previous_treatments": "Bestrahlung der Wirbelsäule"}, HIGH),
    ("RU химиотерапия", {"previous_treatments": "химиотерапия 6 курсов"}, HIGH),
    ("RU лучевая терапия", {"previous_treatments": "лучевая терапия"}, HIGH),
    ("RU лучевой терапии", {"previous_treatments": "после лучевой терапии"}, HIGH),
    ("RU октреотид", {"previous_treatments": "октреотид"}, HIGH),
    ("EN PET scan is not oncology", {"diagnosis": "PET scan of the heart"}, ROUTINE),
    ("DE PET-CT is not oncology", {"diagnosis": "PET-CT geplant, Sarkoidose"}, ROUTINE),
    ("DE UV-Bestrahlung is not oncology", {"previous_treatments": "UV-Bestrahlung bei Schuppenflechte"}, ROUTINE),
    ("DE Reizbestrahlung is not oncology", {"previous_treatments": "Röntgenreizbestrahlung der Ferse"}, ROUTINE),
    ("RU лучевая кость is not oncology", {"diagnosis": "перелом, лучевая кость"}, ROUTINE),
    ("EN no chemotherapy", {"previous_treatments": "no chemotherapy", "diagnosis": "hip arthrosis"}, ROUTINE),
    ("DE keine Strahlentherapie", {"previous_treatments": "keine Strahlentherapie"}, ROUTINE),
    # --- A treatment stopped, cancelled or postponed --------------------------------
    (
        "EN chemotherapy was cancelled",
        {"diagnosis": "colon cancer", "message": "my chemotherapy was cancelled"},
        URGENT,
    ),
    ("EN chemo cancelled alone", {"message": "my chemotherapy was cancelled because of the lockdown"}, URGENT),
    ("EN they cancelled my chemo", {"is_cancer": "yes", "message": "they cancelled my chemo"}, URGENT),
    ("EN surgery postponed", {"diagnosis": "pancreatic NET", "message": "the surgery has been postponed"}, URGENT),
    (
        "EN hospital postponed his surgery",
        {"diagnosis": "Lungenkrebs", "message": "The hospital postponed his surgery"},
        URGENT,
    ),
    ("EN PRRT delayed", {"diagnosis": "NET G2", "message": "PRRT delayed until next year"}, URGENT),
    ("EN treatment on hold", {"is_cancer": "yes", "message": "treatment on hold because of COVID"}, URGENT),
    ("EN had to stop the chemotherapy", {"is_cancer": "yes", "message": "they had to stop the chemotherapy"}, URGENT),
    ("EN delay in treatment", {"is_cancer": "yes", "message": "a delay in treatment of two months"}, URGENT),
    (
        "DE Bestrahlung verschoben",
        {"diagnosis": "Rektumkarzinom", "message": "die Bestrahlung wurde verschoben"},
        URGENT,
    ),
    ("DE OP abgesagt", {"is_cancer": "yes", "message": "Die OP wurde wegen Corona abgesagt"}, URGENT),
    ("DE Chemo abgebrochen", {"is_cancer": "yes", "message": "Chemo abgebrochen"}, URGENT),
    ("DE Absage der Chemotherapie", {"is_cancer": "yes", "message": "Absage der Chemotherapie"}, URGENT),
    ("DE Therapieabbruch", {"is_cancer": "yes", "message": "Therapieabbruch im Mai"}, URGENT),
    ("RU химиотерапию отменили", {"diagnosis": "рак груди", "message": "химиотерапию отменили"}, URGENT),
    ("RU химиотерапию перенесли", {"diagnosis": "рак груди", "message": "химиотерапию перенесли на месяц"}, URGENT),
    ("RU отложили операцию", {"is_cancer": "yes", "message": "отложили операцию из-за карантина"}, URGENT),
    ("RU лечение прервано", {"is_cancer": "yes", "message": "лечение прервано"}, URGENT),
    ("RU отмена химиотерапии", {"is_cancer": "yes", "message": "отмена химиотерапии"}, URGENT),
    ("EN chemotherapy was not cancelled", {"is_cancer": "yes", "message": "the chemotherapy was not cancelled"}, HIGH),
    ("EN chemo wasn't postponed", {"is_cancer": "yes", "message": "chemo wasn't postponed"}, HIGH),
    ("EN did not postpone surgery", {"is_cancer": "yes", "message": "they did not postpone my surgery"}, HIGH),
    ("EN no delay in treatment", {"is_cancer": "yes", "message": "no delay in treatment"}, HIGH),
    (
        "EN chemo went well and scan postponed",
        {"is_cancer": "yes", "message": "chemo went well and the scan was postponed"},
        HIGH,
    ),
    (
        "DE Bestrahlung nicht verschoben",
        {"is_cancer": "yes", "message": "Die Bestrahlung wurde nicht verschoben"},
        HIGH,
    ),
    ("RU химиотерапию не отменили", {"is_cancer": "yes", "message": "химиотерапию не отменили"}, HIGH),
    ("RU перенесла операцию is undergone", {"is_cancer": "yes", "message": "мама перенесла операцию в мае"}, HIGH),
    ("RU операцию перенесла хорошо", {"is_cancer": "yes", "message": "операцию перенесла хорошо"}, HIGH),
    (
        "EN knee surgery postponed is routine",
        {"diagnosis": "knee arthrosis", "message": "my knee surgery was postponed"},
        ROUTINE,
    ),
    ("EN chemotherapy completed", {"is_cancer": "yes", "message": "chemotherapy completed in March"}, HIGH),
    # --- NET emergencies ---------------------------------------------------------------------
    ("EN carcinoid crisis", {"diagnosis": "small bowel NET", "message": "carcinoid crisis during the biopsy"}, URGENT),
    ("DE Karzinoidkrise", {"message": "nach der Operation eine Karzinoidkrise"}, URGENT),
    ("RU карциноидный криз", {"message": "был карциноидный криз"}, URGENT),
    ("EN severe flushing with diarrhoea", {"diagnosis": "NET G1", "message": "severe flushing and diarrhoea"}, URGENT),
    (
        "EN flushing, diarrhoea 10 times a day",
        {"diagnosis": "NET", "message": "flushing, diarrhoea 10 times a day"},
        URGENT,
    ),
    ("DE starker Flush und Durchfall", {"diagnosis": "NET", "message": "starker Flush und Durchfall"}, URGENT),
    ("DE Flush, Durchfall 8 mal am Tag", {"diagnosis": "NET", "message": "Flush, Durchfall 8 mal am Tag"}, URGENT),
    ("RU сильные приливы и понос", {"diagnosis": "НЭО", "message": "сильные приливы и понос"}, URGENT),
    ("EN mild flushing and diarrhoea", {"diagnosis": "NET", "message": "some flushing and diarrhoea"}, HIGH),
    ("EN no severe flushing", {"diagnosis": "NET", "message": "no severe flushing, some diarrhoea"}, HIGH),
    (
        "EN hot flushes are not carcinoid",
        {"diagnosis": "breast cancer", "message": "hot flushes and severe diarrhoea"},
        HIGH,
    ),
    ("EN low blood pressure", {"diagnosis": "NET", "message": "low blood pressure since yesterday"}, URGENT),
    ("EN blood pressure dropped", {"diagnosis": "NET", "message": "his blood pressure dropped"}, URGENT),
    ("DE Blutdruck sehr niedrig", {"diagnosis": "NET", "message": "der Blutdruck ist sehr niedrig"}, URGENT),
    ("RU давление упало", {"diagnosis": "НЭО", "message": "давление упало"}, URGENT),
    ("EN blood pressure is not low", {"diagnosis": "NET", "message": "blood pressure is not low"}, HIGH),
    ("DE kein niedriger Blutdruck", {"diagnosis": "NET", "message": "kein niedriger Blutdruck"}, HIGH),
    ("EN collapsed", {"diagnosis": "insulinoma", "message": "she collapsed at home"}, URGENT),
    ("EN fainted", {"diagnosis": "insulinoma", "message": "he fainted twice this week"}, URGENT),
    ("DE ohnmächtig", {"diagnosis": "Insulinom", "message": "sie wurde ohnmächtig"}, URGENT),
    ("RU потеряла сознание", {"diagnosis": "инсулинома", "message": "потеряла сознание"}, URGENT),
    ("EN never fainted", {"diagnosis": "insulinoma", "message": "he never fainted"}, HIGH),
    ("RU не теряла сознание", {"diagnosis": "инсулинома", "message": "не теряла сознание"}, HIGH),
    ("EN hypoglycaemia", {"diagnosis": "insulinoma", "message": "hypoglycaemia at night"}, URGENT),
    ("EN blood sugar 2.1", {"diagnosis": "insulinoma", "message": "blood sugar 2.1 mmol/l this morning"}, URGENT),
    ("DE Blutzucker 38", {"diagnosis": "Insulinom", "message": "Blutzucker 38 mg/dl"}, URGENT),
    ("DE Unterzuckerung", {"diagnosis": "Insulinom", "message": "schwere Unterzuckerung"}, URGENT),
    ("RU сахар упал до 2,1", {"diagnosis": "инсулинома", "message": "сахар упал до 2,1"}, URGENT),
    ("EN blood sugar 5.5 is normal", {"diagnosis": "insulinoma", "message": "blood sugar 5.5"}, HIGH),
    ("DE Blutzucker 120 is normal", {"diagnosis": "Insulinom", "message": "Blutzucker 120 mg/dl"}, HIGH),
    (
        "EN blood sugar checked 2 times a day",
        {"diagnosis": "insulinoma", "message": "blood sugar 2 times a day"},
        HIGH,
    ),
    ("DE keine Unterzuckerung", {"diagnosis": "Insulinom", "message": "keine Unterzuckerungen mehr"}, HIGH),
    ("RU гипогликемии нет", {"diagnosis": "инсулинома", "message": "гипогликемии нет"}, HIGH),
    ("EN fainting without cancer is routine", {"diagnosis": "vasovagal", "message": "fainted twice"}, ROUTINE),
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


# --- The vocabulary (inquiries/data/triage_vocabulary.json) ---------------------------------------
VOCABULARY = json.loads(triage.VOCABULARY_FILE.read_text(encoding="utf-8"))


def written_out(term):
    """A term of the vocabulary as a patient might type it: the stars dropped."""
    return " ".join(word.strip("*") for word in term.split())


def group_terms(section):
    return [term for group in VOCABULARY[section]["groups"] for term in group["terms"]]


@pytest.mark.parametrize("term", group_terms("oncology") + VOCABULARY["oncology"]["abbreviations"])
def test_every_word_for_cancer_makes_an_oncology_case(term):
    assessment = assess({"diagnosis": f"Diagnosis: {written_out(term)}"})
    assert assessment.priority == HIGH, assessment.reasons
    assert any("names cancer" in reason for reason in assessment.reasons)


@pytest.mark.parametrize(
    "term", group_terms("oncology_treatments") + VOCABULARY["oncology_treatments"]["abbreviations"]
)
def test_every_cancer_specific_treatment_or_marker_makes_an_oncology_case(term):
    assessment = assess({"previous_treatments": f"Treatment: {written_out(term)}"})
    assert assessment.priority == HIGH, assessment.reasons
    assert any("cancer-specific treatment or marker" in reason for reason in assessment.reasons)


@pytest.mark.parametrize(
    "text", VOCABULARY["not_oncology"]["look_alikes"]["examples"] + VOCABULARY["not_oncology"]["benign"]["examples"]
)
def test_look_alikes_and_benign_tumours_stay_routine(text):
    assessment = assess({"diagnosis": text, "previous_treatments": text})
    assert assessment.priority == ROUTINE, assessment.reasons
    assert not assessment.is_oncology


@pytest.mark.parametrize(
    ("name", "term"),
    [(signal["name"], term) for signal in VOCABULARY["urgent_signals"] for term in signal.get("terms", [])],
)
def test_every_urgent_word_is_an_urgent_signal_with_its_name(name, term):
    assessment = assess({"is_cancer": "yes", "message": f"Since Monday: {written_out(term)}"})
    assert assessment.priority == URGENT, assessment.reasons
    assert any(f": {name} (" in reason for reason in assessment.reasons)


def test_word_lists_exist_are_all_used_and_well_formed():
    lists = VOCABULARY["word_lists"]
    referenced = set()
    for signal in VOCABULARY["urgent_signals"]:
        pairs = list(signal.get("pairs", [])) + [
            p for part in signal.get("parts", {}).values() for p in part.get("pairs", [])
        ]
        refs = [pair[key] for pair in pairs for key in ("first", "then", "between") if pair[key] != "any"]
        refs += [part["terms"] for part in signal.get("parts", {}).values() if "terms" in part]
        for ref in refs:
            assert ref.startswith("@") and ref[1:] in lists, ref
            referenced.add(ref[1:])
        for names in signal.get("all_of", []):
            assert set(names) <= set(signal["parts"])
    assert referenced == set(lists), "an unused word list"
    every_term = [t for words in lists.values() for t in words] + group_terms("oncology")
    assert all(term == term.strip() and "**" not in term and term.strip("*") for term in every_term)


def test_the_doc_describes_every_signal_and_group():
    doc = (Path(triage.__file__).resolve().parent.parent / "docs" / "triage.md").read_text(encoding="utf-8")
    for signal in VOCABULARY["urgent_signals"]:
        assert signal["name"] in doc, signal["name"]
    for section in ("oncology", "oncology_treatments"):
        for group in VOCABULARY[section]["groups"]:
            assert group["name"] in doc, group["name"]


def test_a_reason_quotes_the_words_that_matched_each_new_signal():
    reasons = assess(
        {
            "diagnosis": "cholangiocarcinoma",
            "previous_treatments": "PRRT with Lu-177",
            "message": "my chemotherapy was cancelled; blood sugar 2.1 mmol/l",
        }
    ).reasons
    assert "The diagnosis names cancer: “cholangiocarcinoma”." in reasons
    assert "A cancer-specific treatment or marker in the previous treatments: “PRRT”, “Lu-177”." in reasons
    assert (
        "Red flag in the message: treatment stopped, cancelled or postponed (“chemotherapy was cancelled”)." in reasons
    )
    assert "Red flag in the message: very low blood sugar (“blood sugar 2.1 mmol/l”)." in reasons


def test_a_reply_is_read_with_the_original_answers_and_quoted_as_the_reply():
    original = {"is_cancer": "yes", "tumour_type": "neuroendocrine", "diagnosis": "NET G2 of the pancreas"}
    assert assess(original).priority == HIGH
    reply = "since yesterday he has strong abdominal pain and is vomiting blood"
    assessment = assess({**original, "reply": reply})
    assert assessment.priority == URGENT
    assert "Red flag in the reply: severe pain (“strong abdominal pain”)." in assessment.reasons
    assert "Red flag in the reply: bleeding (“vomiting blood”)." in assessment.reasons


PRIORITY_ORDER = {ROUTINE: 0, HIGH: 1, URGENT: 2}


@settings(max_examples=200, deadline=None)
@given(
    original=st.fixed_dictionaries(
        {},
        optional={
            "is_cancer": st.sampled_from(["yes", "no", "suspected", ""]),
            "symptoms_worsening": st.sampled_from(["yes", "no"]),
            "diagnosis": st.sampled_from([name for name, _, _ in CASES]) | st.text(max_size=80),
        },
    ),
    reply=st.sampled_from([a.get("message", "") for _, a, _ in CASES]) | st.text(max_size=120),
)
def test_a_reply_never_lowers_the_priority(original, reply):
    before = assess(original).priority
    after = assess({**original, "reply": reply}).priority
    assert PRIORITY_ORDER[after] >= PRIORITY_ORDER[before]

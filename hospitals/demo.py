"""Sample hospitals (invented for this portal, every one marked as sample data).

The names all start with “Beispielklinik” (German for “example clinic”) or carry “(sample)”, the
addresses use “Musterstraße”-style streets, the contacts use reserved example domains, and no
status says anything about a real hospital. Statuses are recorded relative to today each time the
demo is loaded, so the demo always shows fresh, stale, unknown and scheduled statuses.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.text import slugify

from hospitals.models import (
    AdmissionStatus,
    Certification,
    FederalState,
    Hospital,
    HospitalCertification,
    HospitalKind,
)
from hospitals.services import admission_status_record
from languages.places import place_name
from taxonomy.models import Treatment

S = AdmissionStatus.Status
R = AdmissionStatus.Reason
K = HospitalKind
ST = FederalState

# slug, {language: (name, description)}
CERTIFICATIONS = [
    (
        "net-centre-of-excellence",
        {
            "en": (
                "Neuroendocrine Tumour Centre of Excellence (ENETS-style, sample)",
                "Sample certification modelled on the ENETS Centres of Excellence; re-accredited every five years.",
            ),
            "de": (
                "Exzellenzzentrum für neuroendokrine Tumoren (nach ENETS-Vorbild, Beispiel)",
                "Beispiel-Zertifizierung nach dem Vorbild der ENETS-Exzellenzzentren; alle fünf Jahre neu geprüft.",
            ),
            "ru": (
                "Центр компетенции по нейроэндокринным опухолям (по образцу ENETS, пример)",
                "Пример сертификата по образцу центров компетенции ENETS; подтверждается каждые пять лет.",
            ),
        },
    ),
    (
        "certified-cancer-centre",
        {
            "en": (
                "Certified Cancer Centre (German Cancer Society-style, sample)",
                "Sample certification modelled on the German Cancer Society's certified centres; audited yearly.",
            ),
            "de": (
                "Zertifiziertes Krebszentrum (nach Vorbild der Deutschen Krebsgesellschaft, Beispiel)",
                "Beispiel-Zertifizierung nach dem Vorbild der Zentren der Deutschen Krebsgesellschaft; "
                "jährlich geprüft.",
            ),
            "ru": (
                "Сертифицированный онкологический центр (по образцу Немецкого онкологического общества, пример)",
                "Пример сертификата по образцу центров Немецкого онкологического общества; проверяется ежегодно.",
            ),
        },
    ),
    (
        "certified-prostate-centre",
        {
            "en": (
                "Certified Prostate Cancer Centre (sample)",
                "Sample certification for prostate cancer care; audited yearly.",
            ),
            "de": (
                "Zertifiziertes Prostatakrebszentrum (Beispiel)",
                "Beispiel-Zertifizierung für die Behandlung von Prostatakrebs; jährlich geprüft.",
            ),
            "ru": (
                "Сертифицированный центр лечения рака предстательной железы (пример)",
                "Пример сертификата для лечения рака предстательной железы; проверяется ежегодно.",
            ),
        },
    ),
]

DEPARTMENTS = {
    "Oncology": {"de": "Onkologie", "ru": "Онкология"},
    "Nuclear medicine": {"de": "Nuklearmedizin", "ru": "Ядерная медицина"},
    "Surgery": {"de": "Chirurgie", "ru": "Хирургия"},
}

# The public notes of the sample statuses, per language (English is the key).
NOTES = {
    "Cancer care that cannot be postponed is admitted after review of the medical records.": {
        "de": "Krebsbehandlungen, die nicht warten können, werden nach Prüfung der Unterlagen aufgenommen.",
        "ru": "Пациентов, чьё лечение рака нельзя отложить, принимают после изучения медицинских документов.",
    },
    "International patients are not admitted.": {
        "de": "Internationale Patientinnen und Patienten werden nicht aufgenommen.",
        "ru": "Иностранных пациентов не принимают.",
    },
    "The international office has not answered yet.": {
        "de": "Das International Office hat noch nicht geantwortet.",
        "ru": "Международный отдел пока не ответил.",
    },
    "From next week urgent oncology only.": {
        "de": "Ab nächster Woche nur dringende onkologische Fälle.",
        "ru": "Со следующей недели — только срочные онкологические случаи.",
    },
    "Closed to new international patients.": {
        "de": "Keine Aufnahme neuer internationaler Patientinnen und Patienten.",
        "ru": "Новых иностранных пациентов не принимают.",
    },
    "Cancer care that cannot be postponed is admitted after review of the medical records. "
    "Lutetium-177 therapy continues.": {
        "de": "Krebsbehandlungen, die nicht warten können, werden nach Prüfung der Unterlagen aufgenommen. "
        "Die Lutetium-177-Therapie läuft weiter.",
        "ru": "Пациентов, чьё лечение рака нельзя отложить, принимают после изучения медицинских документов. "
        "Терапия лютецием-177 продолжается.",
    },
    "All international patients admitted again.": {
        "de": "Alle internationalen Patientinnen und Patienten werden wieder aufgenommen.",
        # Russian left out on purpose: the demo shows the English note as the documented fallback.
    },
    "The oncology ward is closed for renovation.": {
        "de": "Die onkologische Station ist wegen Umbaus geschlossen.",
        "ru": "Онкологическое отделение закрыто на ремонт.",
    },
}


def _description(name: str, city: str) -> dict[str, str]:
    return {
        "en": f"{name} is an invented sample hospital in {place_name(city, 'en')}. It shows how a profile looks: "
        "its departments, its treatments, its certifications and the history of its admission status.",
        "de": f"{name} ist eine erfundene Beispielklinik in {city}. Das Profil zeigt, wie es aussieht: "
        "die Abteilungen, die Behandlungen, die Zertifizierungen und den Verlauf des Aufnahmestatus.",
        "ru": f"{name} — вымышленная клиника-пример, город {place_name(city, 'ru')}. На ней видно, как выглядит "
        "профиль: отделения, методы лечения, сертификаты и история статуса приёма.",
    }


def _per_language(field: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{code}": text for code, text in values.items()}


LU = "lutetium-177-prrt"
BASIC = ["surgery", "chemotherapy", "radiotherapy"]
NET = ["somatostatin-analogues", "targeted-therapy"]

# name, city, state, postcode, kind, beds, treatments, certifications, status plan (see _plan_events)
HOSPITALS = [
    (
        "Beispielklinikum Isarauen",
        "München",
        ST.BAVARIA,
        "80331",
        K.UNIVERSITY,
        1450,
        [*BASIC, *NET, LU, "immunotherapy"],
        ["net-centre-of-excellence", "certified-cancer-centre"],
        "urgent-history",
    ),
    (
        "Beispielklinik Frauenwald",
        "München",
        ST.BAVARIA,
        "81545",
        K.PRIVATE,
        220,
        ["surgery", "chemotherapy"],
        [],
        "accepting",
    ),
    (
        "Beispielklinikum Pegnitzbogen",
        "Nürnberg",
        ST.BAVARIA,
        "90402",
        K.PUBLIC,
        980,
        [*BASIC, LU, *NET],
        ["net-centre-of-excellence"],
        "urgent",
    ),
    (
        "Beispielklinik St. Anselm",
        "Würzburg",
        ST.BAVARIA,
        "97070",
        K.CHARITY,
        410,
        [*BASIC, "immunotherapy"],
        ["certified-cancer-centre"],
        "stale",
    ),
    (
        "Beispielklinik Donaublick",
        "Regensburg",
        ST.BAVARIA,
        "93047",
        K.PUBLIC,
        560,
        [*BASIC, LU],
        ["certified-prostate-centre"],
        "not-accepting",
    ),
    (
        "Beispielklinikum Neckarhalde",
        "Heidelberg",
        ST.BADEN_WUERTTEMBERG,
        "69117",
        K.UNIVERSITY,
        1600,
        [*BASIC, *NET, LU, "immunotherapy"],
        ["net-centre-of-excellence", "certified-cancer-centre"],
        "accepting-history",
    ),
    (
        "Beispielklinik Schlossgarten",
        "Stuttgart",
        ST.BADEN_WUERTTEMBERG,
        "70173",
        K.PRIVATE,
        180,
        ["surgery", "targeted-therapy"],
        [],
        "accepting",
    ),
    (
        "Beispielklinik Dreisamtal",
        "Freiburg im Breisgau",
        ST.BADEN_WUERTTEMBERG,
        "79098",
        K.CHARITY,
        350,
        [*BASIC],
        ["certified-cancer-centre"],
        "expired-restriction",
    ),
    (
        "Beispielklinikum Spreebogen",
        "Berlin",
        ST.BERLIN,
        "10117",
        K.UNIVERSITY,
        2100,
        [*BASIC, *NET, LU, "immunotherapy"],
        ["net-centre-of-excellence", "certified-cancer-centre"],
        "urgent-history",
    ),
    (
        "Beispielklinik Am Tiergarten-Rand",
        "Berlin",
        ST.BERLIN,
        "10785",
        K.PRIVATE,
        150,
        ["surgery", "chemotherapy"],
        [],
        "accepting",
    ),
    ("Beispielklinik Müggelufer", "Berlin", ST.BERLIN, "12559", K.PUBLIC, 620, [*BASIC], [], "unknown"),
    (
        "Beispielklinik Alsterwiese",
        "Hamburg",
        ST.HAMBURG,
        "20095",
        K.PRIVATE,
        260,
        ["surgery", "immunotherapy"],
        [],
        "accepting",
    ),
    (
        "Beispielklinikum Elbhöhe",
        "Hamburg",
        ST.HAMBURG,
        "22609",
        K.UNIVERSITY,
        1500,
        [*BASIC, *NET, LU],
        ["net-centre-of-excellence"],
        "future-closure",
    ),
    (
        "Beispielklinik Mainufer",
        "Frankfurt am Main",
        ST.HESSE,
        "60311",
        K.PUBLIC,
        870,
        [*BASIC, "targeted-therapy"],
        ["certified-cancer-centre"],
        "accepting",
    ),
    (
        "Beispielklinik Lahnberg",
        "Marburg",
        ST.HESSE,
        "35037",
        K.UNIVERSITY,
        1100,
        [*BASIC, *NET, LU],
        ["net-centre-of-excellence"],
        "stale",
    ),
    (
        "Beispielklinik Domblick",
        "Köln",
        ST.NORTH_RHINE_WESTPHALIA,
        "50667",
        K.CHARITY,
        540,
        [*BASIC],
        ["certified-cancer-centre"],
        "urgent",
    ),
    (
        "Beispielklinikum Ruhrtal",
        "Essen",
        ST.NORTH_RHINE_WESTPHALIA,
        "45127",
        K.UNIVERSITY,
        1300,
        [*BASIC, *NET, LU, "immunotherapy"],
        ["net-centre-of-excellence", "certified-prostate-centre"],
        "accepting-history",
    ),
    (
        "Beispielklinik Rheinpromenade",
        "Düsseldorf",
        ST.NORTH_RHINE_WESTPHALIA,
        "40213",
        K.PRIVATE,
        200,
        ["surgery", "chemotherapy"],
        [],
        "not-accepting",
    ),
    (
        "Beispielklinik Teutoburger Hang",
        "Bielefeld",
        ST.NORTH_RHINE_WESTPHALIA,
        "33602",
        K.PUBLIC,
        480,
        [*BASIC],
        [],
        "none",
    ),
    (
        "Beispielklinik Elbflorenz",
        "Dresden",
        ST.SAXONY,
        "01067",
        K.UNIVERSITY,
        1250,
        [*BASIC, *NET, LU],
        ["net-centre-of-excellence"],
        "urgent",
    ),
    (
        "Beispielklinik Auwaldrand",
        "Leipzig",
        ST.SAXONY,
        "04109",
        K.PUBLIC,
        760,
        [*BASIC, "immunotherapy"],
        ["certified-cancer-centre"],
        "accepting",
    ),
    (
        "Beispielklinik Leinebogen",
        "Hannover",
        ST.LOWER_SAXONY,
        "30159",
        K.UNIVERSITY,
        1400,
        [*BASIC, *NET, LU],
        ["net-centre-of-excellence"],
        "accepting",
    ),
    ("Beispielklinik Okerwiesen", "Brunswick", ST.LOWER_SAXONY, "38100", K.CHARITY, 390, [*BASIC], [], "stale"),
    (
        "Beispielklinik Förde",
        "Kiel",
        ST.SCHLESWIG_HOLSTEIN,
        "24103",
        K.UNIVERSITY,
        1000,
        [*BASIC, "targeted-therapy"],
        ["certified-cancer-centre"],
        "urgent",
    ),
    (
        "Beispielklinik Travemünder Weg",
        "Lübeck",
        ST.SCHLESWIG_HOLSTEIN,
        "23552",
        K.PUBLIC,
        450,
        [*BASIC],
        [],
        "accepting",
    ),
    (
        "Beispielklinik Saaletal",
        "Jena",
        ST.THURINGIA,
        "07743",
        K.UNIVERSITY,
        1050,
        [*BASIC, *NET, LU],
        ["net-centre-of-excellence"],
        "not-accepting-history",
    ),
    (
        "Beispielklinik Rheinhessenblick",
        "Mainz",
        ST.RHINELAND_PALATINATE,
        "55116",
        K.UNIVERSITY,
        1200,
        [*BASIC, "immunotherapy"],
        ["certified-cancer-centre"],
        "accepting",
    ),
    ("Beispielklinik Saarschleife", "Saarbrücken", ST.SAARLAND, "66111", K.PUBLIC, 500, [*BASIC], [], "unknown"),
    (
        "Beispielklinik Warnowufer",
        "Rostock",
        ST.MECKLENBURG_WESTERN_POMERANIA,
        "18055",
        K.UNIVERSITY,
        900,
        [*BASIC, *NET],
        [],
        "urgent",
    ),
    (
        "Beispielklinik Havelkiez",
        "Potsdam",
        ST.BRANDENBURG,
        "14467",
        K.PRIVATE,
        170,
        ["surgery", "chemotherapy"],
        [],
        "stale",
    ),
]


def _plan_events(plan, today, now):
    """(status, effective_from, verified_at, note, reason, valid_until) for a status plan."""
    day = timedelta(days=1)
    urgent_note = "Cancer care that cannot be postponed is admitted after review of the medical records."
    plans = {
        "accepting": [(S.ACCEPTING, today - 40 * day, now - 3 * day, "", "", None)],
        "urgent": [(S.URGENT_ONLY, today - 12 * day, now - 2 * day, urgent_note, R.LOCKDOWN, today + 30 * day)],
        "not-accepting": [
            (
                S.NOT_ACCEPTING,
                today - 8 * day,
                now - 4 * day,
                "International patients are not admitted.",
                R.CAPACITY,
                None,
            )
        ],
        "stale": [(S.ACCEPTING, today - 90 * day, now - 35 * day, "", "", None)],
        "unknown": [
            (S.UNKNOWN, today - 5 * day, now - 5 * day, "The international office has not answered yet.", "", None)
        ],
        "none": [],
        "expired-restriction": [
            (S.URGENT_ONLY, today - 30 * day, now - 10 * day, urgent_note, R.STAFF, today - 2 * day)
        ],
        "future-closure": [
            (S.ACCEPTING, today - 60 * day, now - 1 * day, "", "", None),
            (S.URGENT_ONLY, today + 5 * day, now - 1 * day, "From next week urgent oncology only.", R.LOCKDOWN, None),
        ],
        "urgent-history": [
            (S.ACCEPTING, today - 120 * day, now - 100 * day, "", "", None),
            (
                S.NOT_ACCEPTING,
                today - 60 * day,
                now - 60 * day,
                "Closed to new international patients.",
                R.LOCKDOWN,
                None,
            ),
            (S.URGENT_ONLY, today - 20 * day, now - 20 * day, urgent_note, R.LOCKDOWN, None),
            (
                S.URGENT_ONLY,
                today - 20 * day,
                now - 1 * day,
                f"{urgent_note} Lutetium-177 therapy continues.",
                R.LOCKDOWN,
                None,
            ),
        ],
        "accepting-history": [
            (S.URGENT_ONLY, today - 70 * day, now - 70 * day, urgent_note, R.LOCKDOWN, None),
            (S.NOT_ACCEPTING, today - 45 * day, now - 45 * day, "", R.STAFF, None),
            (S.ACCEPTING, today - 10 * day, now - 2 * day, "All international patients admitted again.", "", None),
        ],
        "not-accepting-history": [
            (S.ACCEPTING, today - 100 * day, now - 100 * day, "", "", None),
            (S.URGENT_ONLY, today - 40 * day, now - 40 * day, urgent_note, R.CAPACITY, None),
            (
                S.NOT_ACCEPTING,
                today - 6 * day,
                now - 6 * day,
                "The oncology ward is closed for renovation.",
                R.DEPARTMENT_CLOSED,
                None,
            ),
        ],
    }
    return plans[plan]


def load(*, stdout):
    today = timezone.localdate()
    now = timezone.now()
    certifications = {}
    for slug, texts in CERTIFICATIONS:
        certifications[slug], _ = Certification.objects.update_or_create(
            slug=slug,
            defaults={
                **_per_language("name", {code: name for code, (name, _text) in texts.items()}),
                **_per_language("description", {code: text for code, (_name, text) in texts.items()}),
            },
        )
    treatments = {treatment.slug: treatment for treatment in Treatment.objects.all()}

    for index, (name, city, state, postcode, kind, beds, treatment_slugs, cert_slugs, plan) in enumerate(HOSPITALS):
        # The address slug keeps the English spelling it was first published with.
        slug = slugify(f"{name} {place_name(city, 'en')}")
        departments = ["Oncology", "Nuclear medicine", "Surgery"] if LU in treatment_slugs else ["Oncology", "Surgery"]
        hospital, _ = Hospital.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "city": city,
                "state": state,
                "postcode": postcode,
                "kind": kind,
                "bed_count": beds,
                "street_address": f"Musterstraße {index + 1}",
                "phone": f"+49 000 0000{index:03d}",
                "website": f"https://{slug}.example/",
                "international_office_email": f"international@{slug}.example",
                "international_office_languages": [
                    "en, ar, ru",
                    "en, fr",
                    "en, uk, pl",
                ][index % 3],
                **_per_language("description", _description(name, city)),
                "departments_en": "\n".join(departments),
                **{
                    f"departments_{code}": "\n".join(DEPARTMENTS[department][code] for department in departments)
                    for code in ("de", "ru")
                },
                "is_sample": True,
            },
        )
        hospital.treatments.set([treatments[t] for t in treatment_slugs if t in treatments])
        hospital.hospital_certifications.all().delete()
        for position, cert_slug in enumerate(cert_slugs):
            # One certificate about to expire and one already expired, so the admin warnings show.
            valid_until = today + timedelta(days=[700, 300, 45][(index + position) % 3])
            HospitalCertification.objects.create(
                hospital=hospital,
                certification=certifications[cert_slug],
                valid_from=valid_until - timedelta(days=365 * (5 if cert_slug == "net-centre-of-excellence" else 1)),
                valid_until=valid_until,
            )
        if index == 4:
            HospitalCertification.objects.create(
                hospital=hospital,
                certification=certifications["certified-cancer-centre"],
                valid_from=today - timedelta(days=400),
                valid_until=today - timedelta(days=35),
            )

        # Sample statuses are re-recorded relative to today on every load (this is demo data;
        # the append-only rule is about real records, which staff add through the admin).
        hospital.admission_statuses.all().delete()
        for status, effective_from, verified_at, note, reason, valid_until in _plan_events(plan, today, now):
            admission_status_record(
                hospitals=[hospital],
                status=status,
                effective_from=effective_from,
                verified_at=verified_at,
                notes={"en": note, **NOTES.get(note, {})},
                reason=reason,
                valid_until=valid_until,
                source=AdmissionStatus.Source.OTHER,
                source_reference="Sample data written for the demo",
                recorded_by=None,
            )
    stdout.write(f"Hospitals: {len(HOSPITALS)} sample hospitals, {len(CERTIFICATIONS)} certifications.")

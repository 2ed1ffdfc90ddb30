"""Sample inquiries for trying the staff side (invented people; sample data written for this portal).

Submitted through `inquiry_submit`, like real ones, so their triage and checklists are real.
Idempotent: each has a fixed submission token, and a second run finds it.
"""

from hospitals.models import Hospital
from inquiries.models import Inquiry
from inquiries.services import inquiry_submit
from taxonomy.models import Treatment

BASE = {
    "patient_name": "Sample Patient (demo)",
    "country": "UA",
    "email": "sample-patient@example.invalid",
    "phone": "",
    "contact_language": "en",
    "previous_treatments": "",
    "travel_period": "",
    "message": "",
    "documents_sent": [],
    "consent_health_data": True,
    "consent_phone_contact": False,
    "tumour_type": "",
    "metastases": "",
    "doctor_two_week_start": "no",
    "symptoms_worsening": "no",
    "treatment_interrupted": "no",
}

URGENT_SAMPLE = "demo-sample-urgent-net"
SAMPLE_PREFIX = "demo-sample-"

SAMPLES = [
    (
        URGENT_SAMPLE,
        {
            "submitter_role": "relative",
            "birth_year": 1961,
            "diagnosis": "Sample: neuroendocrine tumour of the small bowel, G2, liver metastases",
            "is_cancer": "yes",
            "tumour_type": "neuroendocrine",
            "metastases": "yes",
            "symptoms_worsening": "yes",
            "documents_sent": ["histology_grade_ki67"],
            "treatment": "lutetium-177-prrt",
        },
    ),
    (
        "demo-sample-high-breast",
        {
            "submitter_role": "patient",
            "birth_year": 1975,
            "country": "GE",
            "diagnosis": "Sample: Brustkrebs, Zweitmeinung zur Operation",
            "is_cancer": "yes",
            "tumour_type": "breast",
            "metastases": "no",
            "contact_language": "de",
            "treatment": "surgery",
        },
    ),
    (
        "demo-sample-routine-hip",
        {
            "submitter_role": "doctor",
            "birth_year": 1950,
            "country": "KZ",
            "diagnosis": "Sample: hip arthrosis, no tumour, asks about a replacement",
            "is_cancer": "no",
            "contact_language": "ru",
        },
    ),
]


def load(*, stdout):
    hospital = Hospital.objects.order_by("name").first()
    for token, sample in SAMPLES:
        answers = {**BASE, **sample}
        treatment_slug = answers.pop("treatment", "")
        answers["requested_treatment"] = Treatment.objects.filter(slug=treatment_slug).first()
        answers["preferred_hospital"] = hospital if token == URGENT_SAMPLE else None
        inquiry_submit(answers=answers, documents=[], submission_token=token, language="en")
    count = Inquiry.objects.filter(submission_token__startswith=SAMPLE_PREFIX).count()
    stdout.write(f"Inquiries: {count} sample inquiries.")

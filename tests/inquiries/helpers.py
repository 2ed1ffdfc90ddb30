"""Valid answers and sample files for the inquiry tests."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from inquiries.forms import new_submission_token

# A minimal but complete PDF: header, one object, trailer and the %%EOF marker.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def _image(format_name: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=format_name)
    return buffer.getvalue()


PNG_BYTES = _image("PNG")
JPEG_BYTES = _image("JPEG")
# The right start and end, but nothing readable in between.
FAKE_PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"\x00" * 17 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
HTML_BYTES = b"<!doctype html><html><body><script>alert(1)</script></body></html>"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def pdf(name="befund.pdf", content=PDF_BYTES, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def checked_pdf(name="befund.pdf"):
    """An (uploaded file, checked file) pair, as the forms hand them to the services."""
    from django.conf import settings

    from inquiries.uploads import check_document

    uploaded = pdf(name=name)
    return uploaded, check_document(uploaded, max_bytes=settings.INQUIRY_UPLOAD_MAX_FILE_BYTES)


def valid_data(**overrides):
    """Form data for a routine inquiry that passes every check."""
    data = {
        "submitter_role": "patient",
        "patient_name": "Alex Example",
        "birth_year": "1968",
        "country": "PL",
        "email": "alex@example.invalid",
        "phone": "+48 22 123 45 67",
        "contact_language": "en",
        "diagnosis": "Hip arthrosis, second opinion wanted",
        "is_cancer": "no",
        "tumour_type": "",
        "metastases": "",
        "previous_treatments": "",
        "requested_treatment": "",
        "doctor_two_week_start": "no",
        "symptoms_worsening": "no",
        "treatment_interrupted": "no",
        "travel_period": "spring",
        "message": "",
        "consent_health_data": "on",
        "website": "",
        "submission_token": new_submission_token(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def urgent_net_data(**overrides):
    return valid_data(
        submitter_role="relative",
        diagnosis="Neuroendokriner Tumor des Dünndarms, Lebermetastasen",
        is_cancer="yes",
        tumour_type="neuroendocrine",
        metastases="yes",
        symptoms_worsening="yes",
        **overrides,
    )


def triage_role():
    """The role as the migrations grant it (a transactional test's flush removes the groups)."""
    import importlib

    from django.contrib.auth.models import Group, Permission

    group, _ = Group.objects.get_or_create(name="Triage staff")
    for module in ("inquiries.migrations.0002_role_permissions", "inquiries.migrations.0011_triage_permissions"):
        for name in importlib.import_module(module).GRANTS["Triage staff"]:
            app_label, codename = name.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group

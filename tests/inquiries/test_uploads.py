"""Medical documents: checked by content, limited in size and number, never publicly reachable."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inquiries.forms import InquiryForm
from inquiries.models import Attachment, Inquiry
from inquiries.uploads import detect_type
from tests.inquiries.helpers import (
    EXE_BYTES,
    FAKE_PNG_BYTES,
    HTML_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    pdf,
    valid_data,
)

pytestmark = pytest.mark.django_db


def upload_errors(files, **overrides):
    form = InquiryForm(data=valid_data(**overrides), files={"documents": files})
    form.is_valid()
    return form.errors.get("documents", [])


@pytest.mark.parametrize(
    ("content", "expected"),
    [(PDF_BYTES, "application/pdf"), (JPEG_BYTES, "image/jpeg"), (PNG_BYTES, "image/png")],
)
def test_real_documents_pass_and_are_recognised(content, expected):
    form = InquiryForm(data=valid_data(), files={"documents": [pdf(name="scan.bin", content=content)]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["documents"][0][1].content_type == expected


def test_a_pdf_with_padding_after_the_trailer_passes():
    assert detect_type(PDF_BYTES[:16], PDF_BYTES + b"\r\n\x00\x00") == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("befund.pdf", HTML_BYTES),
        ("befund.pdf", EXE_BYTES),
        ("scan.jpg", b"GIF89a" + b"\x00" * 50),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 50),
        ("note.png", "Привет, это текст".encode()),
    ],
)
def test_other_content_renamed_as_a_document_is_refused(name, content):
    errors = upload_errors([pdf(name=name, content=content, content_type="application/pdf")])
    assert errors == [f"“{name}” is not a PDF, JPEG or PNG file. Please send documents in one of these formats."]


@pytest.mark.parametrize("content", [PDF_BYTES[:60], JPEG_BYTES[:-2], PNG_BYTES[:-12]])
def test_truncated_documents_are_refused(content):
    errors = upload_errors([pdf(name="cut.pdf", content=content)])
    assert errors == ["“cut.pdf” seems to be incomplete (the end of the file is missing). Please save it again."]


def test_an_image_with_the_right_start_and_end_but_broken_inside_is_refused():
    errors = upload_errors([pdf(name="scan.png", content=FAKE_PNG_BYTES)])
    assert errors == ["“scan.png” looks like an image but cannot be read. Please save or scan it again."]


def test_an_empty_file_is_refused():
    assert upload_errors([pdf(content=b"")]) == ["The submitted file is empty."]


def test_an_oversize_file_is_refused(settings):
    settings.INQUIRY_UPLOAD_MAX_FILE_BYTES = 1024 * 1024
    big = PDF_BYTES[:-6] + b"0" * (1024 * 1024) + b"%%EOF\n"
    errors = upload_errors([pdf(name="big.pdf", content=big)])
    assert errors == ["“big.pdf” is larger than 1 MB. Please send a smaller file or several parts."]


def test_files_too_large_together_are_refused(settings):
    settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES = 1024 * 1024
    half = PDF_BYTES[:-6] + b"0" * (600 * 1024) + b"%%EOF\n"
    errors = upload_errors([pdf(name="a.pdf", content=half), pdf(name="b.pdf", content=half)])
    assert errors == ["The files are larger than 1 MB together. Please send some of them later."]


def test_too_many_files_are_refused(settings):
    files = [pdf(name=f"page{i}.pdf") for i in range(settings.INQUIRY_UPLOAD_MAX_FILES + 1)]
    assert upload_errors(files) == ["Please send at most 10 files at once. You can send more later."]
    assert upload_errors(files[:10]) == []


def test_every_bad_file_is_named(settings):
    errors = upload_errors([pdf(name="one.pdf", content=HTML_BYTES), pdf(), pdf(name="two.pdf", content=EXE_BYTES)])
    assert len(errors) == 2
    assert "one.pdf" in errors[0]
    assert "two.pdf" in errors[1]


def test_a_stored_document_has_a_random_name_private_permissions_and_no_public_url(client, settings):
    data = valid_data()
    response = client.post("/inquiry/", {**data, "documents": [pdf(name="Befund Müller.pdf")]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Befund Müller.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF_BYTES)
    assert len(attachment.sha256) == 64
    assert "Müller" not in attachment.file.name
    assert attachment.file.name.startswith("inquiry-documents/")
    path = attachment.file.path
    assert os.path.commonpath([path, str(settings.MEDIA_ROOT)]) == str(settings.MEDIA_ROOT)
    assert oct(os.stat(path).st_mode & 0o777) == oct(0o600)
    # Not under /media/, not under MEDIA_URL, not as a static file.
    for url in (
        f"/media/{attachment.file.name}",
        f"{settings.MEDIA_URL}{attachment.file.name}",
        f"/static/{attachment.file.name}",
        f"/{attachment.file.name}",
    ):
        assert client.get(url).status_code == 404, url
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert all(not str(settings.MEDIA_ROOT).startswith(str(folder)) for folder in settings.STATICFILES_DIRS)


def test_a_refused_upload_saves_no_file_and_no_inquiry(client, settings):
    response = client.post("/inquiry/", {**valid_data(), "documents": [pdf(content=HTML_BYTES)]})
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0
    assert not (settings.MEDIA_ROOT / "inquiry-documents").exists()


def test_the_upload_field_says_checked_files_stay_attached(client):
    response = client.post("/inquiry/", {**valid_data(patient_name=""), "documents": [pdf()]})
    assert "stay attached for 8 hours: you do not need to choose them again" in response.content.decode()
    assert isinstance(pdf(), SimpleUploadedFile)


@pytest.mark.parametrize("name", ["a\x00b.pdf", "\x1b[31mred.pdf", "x" * 400 + ".pdf", "../../etc/passwd.pdf"])
def test_odd_file_names_are_kept_readable_and_never_used_on_disk(client, name):
    response = client.post("/inquiry/", {**valid_data(), "documents": [pdf(name=name)]})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name.isprintable()
    assert len(attachment.original_name) <= 255
    assert ".." not in attachment.file.name

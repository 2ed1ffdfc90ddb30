"""The sender's file name never decides what a download is (issue 10, defect 4)."""

import pytest
from django.core.cache import cache

from inquiries.models import Attachment, Inquiry
from tests.inquiries.helpers import JPEG_BYTES, PDF_BYTES, pdf, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db

QUEUE = "/admin/inquiries/inquiry/"
BOUNDARY = "----portal-test-boundary"


def download(client, inquiry):
    attachment = inquiry.attachments.get()
    return client.get(f"{QUEUE}{inquiry.pk}/documents/{attachment.pk}/")


@pytest.mark.parametrize(
    ("sent_as", "content", "downloaded_as"),
    [
        ("scan.html", PDF_BYTES, 'filename="scan.pdf"'),
        ("scan.PDF", PDF_BYTES, 'filename="scan.pdf"'),
        ("photo.pdf", JPEG_BYTES, 'filename="photo.jpg"'),
        ("befund", PDF_BYTES, 'filename="befund.pdf"'),
        (".htaccess", PDF_BYTES, 'filename="document.pdf"'),
        ("Befund vom 12.03.2025.svg", PDF_BYTES, 'filename="Befund vom 12.03.2025.pdf"'),
        ("Выписка.exe", PDF_BYTES, "filename*=utf-8''%D0%92%D1%8B%D0%BF%D0%B8%D1%81%D0%BA%D0%B0.pdf"),
    ],
)
def test_the_downloaded_name_takes_its_extension_from_the_detected_type(
    client, triage_user, sent_as, content, downloaded_as
):
    inquiry = make_inquiry(files=[pdf(name=sent_as, content=content)])
    client.force_login(triage_user)
    response = download(client, inquiry)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f"attachment; {downloaded_as}"
    # What the sender called it is still shown to staff.
    assert inquiry.attachments.get().original_name == sent_as


def multipart(fields: dict, file_disposition: str, content: bytes) -> bytes:
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f"--{BOUNDARY}\r\nContent-Disposition: {file_disposition}\r\nContent-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def post_raw(client, body):
    cache.clear()  # the form's rate limit
    return client.generic("POST", "/inquiry/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


@pytest.mark.parametrize(
    "disposition",
    [
        'form-data; name="documents"; filename="scan.pdf"; filename="scan.html"',
        'form-data; name="documents"; filename="scan.pdf"; filename*=UTF-8\'\'scan.html',
        'form-data; name="documents"; FILENAME="scan.pdf"; filename = "scan.html"',
    ],
)
def test_a_part_with_two_file_names_is_stored_under_a_safe_name(client, disposition):
    response = post_raw(client, multipart(valid_data(), disposition, PDF_BYTES))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    attachment = Attachment.objects.get()
    assert attachment.original_name == "document"
    assert attachment.content_type == "application/pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


def test_one_file_name_is_kept_and_the_file_is_not_touched(client):
    # File content that looks like a part header must not be rewritten: only real part headers are.
    content = PDF_BYTES.replace(
        b"trailer", b'Content-Disposition: form-data; name="x"; filename="a"; filename="b"\r\ntrailer'
    )
    response = post_raw(client, multipart(valid_data(), 'form-data; name="documents"; filename="befund.pdf"', content))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "befund.pdf"
    with attachment.file.open("rb") as stored:
        assert stored.read() == content
    assert Inquiry.objects.count() == 1

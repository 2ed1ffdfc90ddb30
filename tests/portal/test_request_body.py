"""The request-body cap: too large a body is refused before it is read (issue 10, defect 5)."""

import io

import pytest
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig

from portal.middleware import BodyGuard, request_body_limit
from tests.inquiries.helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

BOUNDARY = "----portal-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class TrackedInput:
    """A request body that records how much of it the application read."""

    def __init__(self, data: bytes):
        self.stream = io.BytesIO(data)
        self.bytes_read = 0

    def read(self, size=-1):
        data = self.stream.read(size)
        self.bytes_read += len(data)
        return data

    def readline(self, size=-1):
        data = self.stream.readline(size)
        self.bytes_read += len(data)
        return data


def multipart(fields: dict, files: list[tuple[str, bytes]] = ()) -> bytes:
    parts = []
    for name, value in fields.items():
        parts.append(f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for disposition, content in files:
        parts.append(
            f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\nContent-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_limit_is_the_upload_total_plus_django_s_limit_for_form_fields(settings):
    assert request_body_limit() == settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES = 1000
    assert request_body_limit() == 1000 + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def post_declaring(client, url, content_length, body=b"x" * 1000, **extra):
    tracked = TrackedInput(body)
    extra = {"CONTENT_LENGTH": str(content_length), "wsgi.input": tracked, **extra}
    response = client.generic("POST", url, body, content_type=MULTIPART, **extra)
    return response, tracked


def test_a_declared_200_mb_inquiry_is_refused_unread_with_the_form_and_a_clear_message(client):
    response, tracked = post_declaring(client, "/inquiry/", 200 * 1024 * 1024)
    assert tracked.bytes_read == 0
    assert response.status_code == 413
    html = response.text
    assert "larger than 50 MB together" in html
    assert "Nothing was sent" in html
    assert 'name="submission_token"' in html  # the form, ready to be filled in again
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_message_is_in_german_too(client):
    response, _ = post_declaring(client, "/inquiry/", 200 * 1024 * 1024, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 413
    assert "Es wurde nichts gesendet" in response.text


def test_other_pages_answer_too_large_a_body_with_our_translated_page(client):
    response, tracked = post_declaring(client, "/admin/login/", 200 * 1024 * 1024)
    assert tracked.bytes_read == 0
    assert response.status_code == 413
    assert "Error 413" in response.text
    response, _ = post_declaring(client, "/admin/login/", 200 * 1024 * 1024, HTTP_ACCEPT_LANGUAGE="de")
    assert "Fehler 413" in response.text


def test_a_body_within_the_limit_is_read_as_usual(client, settings):
    settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES = 10 * 1024
    body = multipart({"patient_name": "x"}, [('form-data; name="documents"; filename="a.pdf"', PDF_BYTES)])
    response = client.generic("POST", "/inquiry/", body, content_type=MULTIPART)
    assert response.status_code == 200  # the form with its errors: the body was read
    assert "Please correct" in response.text


def test_the_guard_stops_a_body_that_runs_past_the_limit_while_streaming():
    assert BodyGuard(io.BytesIO(b"x" * 4096), limit=4096).read() == b"x" * 4096
    guard = BodyGuard(io.BytesIO(b"x" * 5000), limit=4096)
    with pytest.raises(RequestDataTooBig):
        while guard.read(1024):
            pass


def test_the_guard_passes_a_multipart_body_through_unchanged_in_any_chunk_size():
    body = multipart({"a": "1", "b": "2" * 3000}, [('form-data; name="documents"; filename="a.pdf"', PDF_BYTES * 50)])
    for size in (1, 7, 100, 4096, -1):
        guard = BodyGuard(io.BytesIO(body), limit=len(body), boundary=BOUNDARY.encode())
        chunks = []
        while chunk := guard.read(size):
            chunks.append(chunk)
        assert b"".join(chunks) == body, size
        assert guard.renamed_files == 0
    lines = BodyGuard(io.BytesIO(body), limit=len(body), boundary=BOUNDARY.encode())
    assert b"".join(iter(lines.readline, b"")) == body


def test_the_guard_finds_a_doubly_named_file_part_however_the_body_is_cut():
    twice = 'form-data; name="documents"; filename="scan.pdf"; filename="scan.html"'
    body = multipart({"a": "1"}, [(twice, PDF_BYTES), ('form-data; name="documents"; filename="b.pdf"', PDF_BYTES)])
    for size in (1, 7, 100, -1):
        guard = BodyGuard(io.BytesIO(body), limit=len(body), boundary=BOUNDARY.encode())
        chunks = []
        while chunk := guard.read(size):
            chunks.append(chunk)
        result = b"".join(chunks)
        assert b'Content-Disposition: form-data; name="documents"; filename="document"\r\n' in result, size
        assert b"scan.html" not in result and b'filename="b.pdf"' in result
        assert guard.renamed_files == 1


def parsed_file_names(body: bytes) -> list[str]:
    """The names Django's own multipart parser gives the files, reading the body through the guard."""
    from django.test import RequestFactory

    request = RequestFactory().generic("POST", "/inquiry/", body, content_type=MULTIPART)
    request._stream = BodyGuard(request._stream, limit=len(body), boundary=BOUNDARY.encode())
    return [uploaded.name for uploaded in request.FILES.getlist("documents")]


@pytest.mark.parametrize(
    "headers",
    [
        # Two Content-Disposition lines: Django keeps the last.
        b'Content-Disposition: form-data; name="documents"; filename="scan.pdf"\r\n'
        b'Content-Disposition: form-data; name="documents"; filename="scan.html"',
        # A space before the colon: Django still reads it as the Content-Disposition.
        b'Content-Disposition : form-data; name="documents"; filename="scan.pdf"; filename="scan.html"',
        # A bare line feed: Django splits header lines only at CRLF.
        b'Content-Disposition: form-data; name="documents"; filename="scan.pdf"\n; filename="scan.html"',
    ],
    ids=["two-lines", "space-before-colon", "bare-lf"],
)
def test_the_guard_reads_part_headers_as_django_does(headers):
    part = b"--" + BOUNDARY.encode() + b"\r\n" + headers + b"\r\nContent-Type: application/pdf\r\n\r\n" + PDF_BYTES
    body = part + b"\r\n--" + BOUNDARY.encode() + b"--\r\n"
    assert "scan.html" not in parsed_file_names(body)


def test_the_guard_checks_a_preamble_that_django_reads_as_a_part(monkeypatch):
    # Django's parser treats whatever comes before the first boundary as a part, headers and all.
    preamble = (
        b'Content-Disposition: form-data; name="documents"; filename="scan.pdf"; filename="scan.html"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + PDF_BYTES + b"\r\n"
    )
    body = preamble + multipart({"a": "1"})
    for size in (1, 7, 65536):
        monkeypatch.setattr(BodyGuard, "CHUNK_BYTES", size)
        assert parsed_file_names(body) == ["document"], size

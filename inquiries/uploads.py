"""Medical documents are checked by their content, never by their name or declared type.

A file is accepted only when its first bytes carry the signature of a type we accept and its end
carries that type's trailer, so a renamed web page or program and a truncated download are refused.
"""

import hashlib
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_IEND = b"\x00\x00\x00\x00IEND\xaeB`\x82"
# Writers may pad after the trailer (a newline, NUL bytes); look at this many bytes at the end.
TAIL_BYTES = 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def _head_and_tail(uploaded) -> tuple[bytes, bytes, str]:
    uploaded.seek(0)
    digest = hashlib.sha256()
    head = b""
    tail = b""
    for chunk in uploaded.chunks():
        if len(head) < 16:
            head += chunk[: 16 - len(head)]
        tail = (tail + chunk)[-TAIL_BYTES:]
        digest.update(chunk)
    uploaded.seek(0)
    return head, tail, digest.hexdigest()


def detect_type(head: bytes, tail: bytes) -> str | None:
    """The type the bytes really are (signature and a complete ending), or None."""
    stripped = tail.rstrip(b"\x00\r\n\t ")
    if head.startswith(b"%PDF-"):
        return PDF if b"%%EOF" in tail else None
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG if stripped.endswith(b"\xff\xd9") else None
    if head.startswith(PNG_SIGNATURE):
        return PNG if stripped.endswith(PNG_IEND) else None
    return None


def check_document(uploaded, *, max_bytes: int) -> CheckedFile:
    """Accept a PDF, JPEG or PNG by its content, within the size limit, or raise a clear error."""
    name = uploaded.name
    if uploaded.size == 0:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if uploaded.size > max_bytes:
        raise ValidationError(
            _("“%(name)s” is larger than %(limit)s MB. Please send a smaller file or several parts."),
            code="file_too_large",
            params={"name": name, "limit": max_bytes // (1024 * 1024)},
        )
    head, tail, sha256 = _head_and_tail(uploaded)
    content_type = detect_type(head, tail)
    if content_type is None:
        is_known_start = head.startswith((b"%PDF-", b"\xff\xd8\xff", PNG_SIGNATURE))
        if is_known_start:
            message = _("“%(name)s” seems to be incomplete (the end of the file is missing). Please save it again.")
            code = "truncated"
        else:
            message = _("“%(name)s” is not a PDF, JPEG or PNG file. Please send documents in one of these formats.")
            code = "file_type"
        raise ValidationError(message, code=code, params={"name": name})
    if content_type in (JPEG, PNG) and not _image_is_readable(uploaded):
        raise ValidationError(
            _("“%(name)s” looks like an image but cannot be read. Please save or scan it again."),
            code="damaged",
            params={"name": name},
        )
    return CheckedFile(content_type=content_type, size=uploaded.size, sha256=sha256)


def _image_is_readable(uploaded) -> bool:
    """Pillow's structural check (headers and chunk checksums) without decoding the pixels."""
    uploaded.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded) as image:
                image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many types for bad input; all mean "refuse"
        return False
    finally:
        uploaded.seek(0)
    return True

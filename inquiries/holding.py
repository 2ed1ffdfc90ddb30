"""Documents that passed their checks while the rest of the form did not: held for the session.

A patient who gets an error on the form should not have to choose the files again. The files wait
under `MEDIA_ROOT/inquiry-holding/` (never routed, mode 0600, random names without the patient's
file name); only the browser session that sent them knows which they are. They are attached on a
successful submission, removed by the patient, or deleted once `INQUIRY_UPLOAD_HOLD_HOURS` have
passed (`purge_expired`, run by the daily retention job). The anonymous session itself ends after
SESSION_COOKIE_AGE, so a patient can use them for the shorter of the two (`hold_hours`).
"""

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils import timezone

FOLDER = "inquiry-holding"
SESSION_KEY = "inquiries_held_documents"
# What a stored name must look like before we open or delete it: never a path from elsewhere.
STORED_NAME = re.compile(rf"{FOLDER}/[0-9a-f]{{32}}")


@dataclass(frozen=True)
class HeldDocument:
    id: str
    name: str
    size: int
    stored: str
    held_at: datetime

    def open(self) -> File:
        """The held bytes as a file that carries the patient's file name, as an upload does."""
        return File(default_storage.open(self.stored, "rb"), name=self.name)


def hold_hours() -> int:
    """How long the patient can count on held documents: the hold, or the session if it ends first."""
    return max(1, min(settings.INQUIRY_UPLOAD_HOLD_HOURS, settings.SESSION_COOKIE_AGE // 3600))


def _expiry(now: datetime) -> datetime:
    return now - timedelta(hours=settings.INQUIRY_UPLOAD_HOLD_HOURS)


def _entries(session) -> list[dict]:
    entries = session.get(SESSION_KEY, [])
    return entries if isinstance(entries, list) else []


def held_documents(session) -> list[HeldDocument]:
    """The documents this session holds, oldest first; expired or vanished ones are dropped."""
    expiry = _expiry(timezone.now())
    kept, documents = [], []
    for entry in _entries(session):
        try:
            document = HeldDocument(
                id=entry["id"],
                name=entry["name"],
                size=int(entry["size"]),
                stored=entry["stored"],
                held_at=datetime.fromisoformat(entry["held_at"]),
            )
        except (KeyError, TypeError, ValueError):
            continue
        if not STORED_NAME.fullmatch(document.stored):
            continue
        if document.held_at <= expiry or not default_storage.exists(document.stored):
            _delete(document.stored)
            continue
        kept.append(entry)
        documents.append(document)
    if kept != _entries(session):
        session[SESSION_KEY] = kept
    return documents


def hold(*, session, uploaded, name: str) -> HeldDocument:
    """Keep one checked upload for this session under a random name."""
    # Wrapped, so that the storage copies the bytes instead of moving the upload's temporary file.
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}", File(uploaded))
    uploaded.seek(0)
    document = HeldDocument(
        id=secrets.token_hex(8), name=name, size=uploaded.size, stored=stored, held_at=timezone.now()
    )
    entry = {
        "id": document.id,
        "name": document.name,
        "size": document.size,
        "stored": document.stored,
        "held_at": document.held_at.isoformat(),
    }
    session[SESSION_KEY] = [*_entries(session), entry]
    return document


def release(*, session, ids) -> list[HeldDocument]:
    """Forget and delete the held documents with these ids (removed by the patient or attached)."""
    ids = set(ids)
    if not ids:
        return []
    documents = held_documents(session)
    released = [document for document in documents if document.id in ids]
    for document in released:
        _delete(document.stored)
    if released:
        session[SESSION_KEY] = [entry for entry in _entries(session) if entry.get("id") not in ids]
    return released


def purge_expired(*, now: datetime | None = None) -> int:
    """Delete held files older than INQUIRY_UPLOAD_HOLD_HOURS, whichever session held them."""
    expiry = _expiry(now or timezone.now())
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    deleted = 0
    for name in names:
        stored = f"{FOLDER}/{name}"
        if default_storage.get_modified_time(stored) <= expiry:
            default_storage.delete(stored)
            deleted += 1
    return deleted


def _delete(stored: str) -> None:
    if STORED_NAME.fullmatch(stored):
        default_storage.delete(stored)

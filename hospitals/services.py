"""State changes of the hospital directory. Views, admin actions and imports call these."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from hospitals.models import AdmissionStatus, Hospital
from languages.fallback import language_codes
from pagecache.versions import HOSPITALS, content_changed


@transaction.atomic
def admission_status_record(
    *,
    hospitals: Iterable[Hospital],
    status: str,
    effective_from: date,
    source: str,
    recorded_by,
    note: str = "",
    notes: Mapping[str, str] | None = None,
    source_reference: str = "",
    reason: str = "",
    valid_until: date | None = None,
    verified_at: datetime | None = None,
) -> list[AdmissionStatus]:
    """Append one new status event per hospital, all or none; older events are never touched.

    `note` is the public note in English; `notes` gives it per language ({"en": …, "de": …, "ru": …})
    and wins over `note`. Raises ValidationError (nothing saved) when the event breaks a rule.
    """
    notes = {f"note_{code}": text or "" for code, text in (notes or {"en": note}).items() if code in language_codes()}
    verified_at = verified_at or timezone.now()
    recorded_at = timezone.now()
    events = []
    for hospital in hospitals:
        event = AdmissionStatus(
            hospital=hospital,
            status=status,
            effective_from=effective_from,
            reason=reason,
            valid_until=valid_until,
            source=source,
            source_reference=source_reference,
            verified_at=verified_at,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
            **notes,
        )
        event.full_clean()
        event.save()
        events.append(event)
    if events:
        # The directory, profiles, status feeds and article pages show it on the next request.
        content_changed(HOSPITALS)
    if recorded_by is not None and events:
        # The event row is the audit record; the admin's history shows it on the hospital too.
        content_type = ContentType.objects.get_for_model(Hospital)
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    user_id=recorded_by.pk,
                    content_type=content_type,
                    object_id=str(event.hospital_id),
                    object_repr=str(event.hospital)[:200],
                    action_flag=ADDITION,
                    change_message=f"Recorded admission status “{event.get_status_display()}” "
                    f"effective {event.effective_from:%Y-%m-%d}.",
                )
                for event in events
            ]
        )
    return events

"""Time the hospital directory's current-status queries with many hospitals (not a test).

Usage: DJANGO_DEBUG=true DATABASE_URL=... .venv/bin/python bench/hospitals_status_query.py [N]
Creates N hospitals with five status events each inside a transaction, times the directory's
queries, and rolls everything back.
"""

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from hospitals.models import AdmissionStatus, FederalState, Hospital, HospitalKind  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, function, repeat=5):
    best = min(_once(function) for _ in range(repeat))
    print(f"{label:<55} {best * 1000:8.1f} ms")


def _once(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(count: int) -> None:
    print(f"{connection.vendor}, {count} hospitals, 5 events each")
    try:
        with transaction.atomic():
            states = list(FederalState.values)
            hospitals = Hospital.objects.bulk_create(
                Hospital(
                    name=f"Bench {i}",
                    slug=f"bench-{i}",
                    kind=HospitalKind.PUBLIC,
                    street_address="x",
                    postcode="10115",
                    city=f"City {i % 50}",
                    state=states[i % 16],
                )
                for i in range(count)
            )
            today, now = timezone.localdate(), timezone.now()
            statuses = list(AdmissionStatus.Status.values)
            AdmissionStatus.objects.bulk_create(
                AdmissionStatus(
                    hospital=h,
                    status=statuses[(h.pk + k) % 4],
                    effective_from=today - datetime.timedelta(days=10 * k),
                    source="phone",
                    verified_at=now - datetime.timedelta(days=h.pk % 20 + k),
                )
                for h in hospitals
                for k in range(5)
            )
            connection.cursor().execute("ANALYZE") if connection.vendor == "postgresql" else None
            base = Hospital.objects.with_current_status()
            timed("summary (home page)", lambda: Hospital.objects.status_summary())
            timed(
                "directory page: filter status + state, sorted",
                lambda: list(base.filter(current_effective_status="urgent_only", state="BY").order_by("name")[:20]),
            )
            timed(
                "directory count: status=urgent_only",
                lambda: base.filter(current_effective_status="urgent_only").count(),
            )
            timed("status.json rows (all hospitals)", lambda: list(base.order_by("slug")))
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)

# make bench: run
"""The triage queue at 1,000, 100,000 and 1,000,000 inquiries: does it stay flat? (not a test)

Usage (PostgreSQL; its own database portal_bench_queue on 127.0.0.1, dropped and created afresh;
`make bench` runs it with the defaults):
    .venv/bin/python bench/queue_scale.py [--sizes 1000,100000,1000000] [--repeat 5]

Builds 2,000 hospitals, 20 treatments and the inquiries with one INSERT … SELECT generate_series
per size (the table grows from one size to the next), then times in-process, through the whole
middleware stack with a logged-in superuser, the median of REPEAT requests (after one warm-up) of:
the queue (the changelist's first page), the overdue filter, the admin index with the triage
dashboard, and the hospital filter's search. Prints the table, the ratio of the largest size to
the smallest (target: at most 2x) and the plans of the queue and overdue queries.

The data, all invented (sample data): the open queue is the same 500 inquiries at every size
(what staff have in hand: 10 % urgent, 30 % high, 60 % routine, half without a first response,
some overdue, one in ten with an unanswered reply); what grows is the closed history, received
over the years before them. A clinic's open queue grows with its staff, not with its archive.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATABASE = "portal_bench_queue"
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-not-for-any-deployment",
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "EMAIL_URL": "dummymail://",
    "LOG_LEVEL": "WARNING",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
}
for name, value in BENCH_ENV.items():
    os.environ[name] = value
os.environ.pop("DJANGO_DEBUG", None)  # production settings: no query log, no debug toolbar

import psycopg2  # noqa: E402


def fresh_database() -> None:
    server = psycopg2.connect(host="127.0.0.1", port=5432, user="postgres", dbname="postgres")
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        cursor.execute(f"CREATE DATABASE {DATABASE}")
    server.close()


import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from hospitals.models import FederalState, Hospital, HospitalKind  # noqa: E402
from inquiries.models import Inquiry, overdue_condition, queue_ordering  # noqa: E402
from taxonomy.models import Treatment  # noqa: E402

OPEN = 500
HOSPITALS = 2000
TREATMENTS = 20
QUEUE = "/admin/inquiries/inquiry/"
PAGES = {
    "queue (first page)": QUEUE,
    "overdue filter": f"{QUEUE}?overdue=yes",
    "dashboard (admin index)": "/admin/",
    "hospital filter search": f"{QUEUE}?hospital_search=Sample+Klinik+17",
}

# One row per i: the first OPEN are the open queue, received in the last ten days; the rest closed,
# received two minutes apart before that. Every value is invented; the names say "sample".
INSERT = """
INSERT INTO inquiries_inquiry (
    reference, submission_token, follow_up_key, status, priority, triage_priority, triage_reasons,
    document_checklist, documents_sent, submitter_role, patient_name, birth_year, country, email,
    phone, contact_language, diagnosis, is_cancer, tumour_type, metastases, previous_treatments,
    doctor_two_week_start, symptoms_worsening, treatment_interrupted, travel_period, message,
    consent_health_data, consent_phone_contact, language, needs_follow_up, created_at,
    first_response_at, patient_replied_at, closed_at, closing_reason, status_changed_at,
    preferred_hospital_id, requested_treatment_id
)
SELECT
    'B' || lpad(i::text, 13, '0'),
    'bench-' || i,
    md5(i::text),
    CASE WHEN i < %(open)s THEN (ARRAY['new', 'new', 'in_triage', 'contacted', 'awaiting_documents',
        'referred'])[1 + i %% 6] ELSE 'closed' END,
    (ARRAY['urgent', 'high', 'high', 'high', 'routine', 'routine', 'routine', 'routine', 'routine',
        'routine'])[1 + i %% 10],
    (ARRAY['urgent', 'high', 'high', 'high', 'routine', 'routine', 'routine', 'routine', 'routine',
        'routine'])[1 + i %% 10],
    '["Sample triage reason (bench data)."]'::jsonb,
    '[]'::jsonb,
    '[]'::jsonb,
    'patient',
    'Sample patient ' || i || ' (bench data)',
    1950 + i %% 50,
    (ARRAY['PL', 'UA', 'KZ', 'AE', 'GB', 'US', 'IL', 'SA', 'RO', 'GE'])[1 + i %% 10],
    'sample' || i || '@example.invalid',
    '',
    'en',
    'Sample diagnosis (bench data)',
    'yes',
    'neuroendocrine',
    'no',
    '',
    'no',
    'no',
    'no',
    '',
    '',
    true,
    false,
    'en',
    false,
    received,
    CASE WHEN i < %(open)s AND i %% 6 < 2 THEN NULL ELSE received + interval '2 hours' END,
    CASE WHEN i < %(open)s AND i %% 10 = 3 THEN received + interval '3 hours' END,
    CASE WHEN i >= %(open)s THEN received + interval '9 days' END,
    CASE WHEN i >= %(open)s THEN 'treated' ELSE '' END,
    received + interval '2 hours',
    CASE WHEN i %% 3 = 0 THEN %(first_hospital)s + i %% %(hospitals)s END,
    CASE WHEN i %% 2 = 0 THEN %(first_treatment)s + i %% %(treatments)s END
FROM (
    SELECT i, CASE WHEN i < %(open)s THEN %(now)s - (i %% 240) * interval '1 hour'
        ELSE %(now)s - interval '10 days' - i * interval '2 minutes' END AS received
    FROM generate_series(%(start)s, %(stop)s - 1) AS i
) AS numbered
"""


def build_reference_data() -> None:
    states = list(FederalState.values)
    Hospital.objects.bulk_create(
        Hospital(
            name=f"Sample Klinik {number} (bench data)",
            slug=f"sample-klinik-{number}",
            kind=HospitalKind.PUBLIC,
            street_address="Beispielstraße 1",
            postcode="10115",
            city=f"Sample city {number % 300}",
            state=states[number % len(states)],
        )
        for number in range(HOSPITALS)
    )
    Treatment.objects.bulk_create(
        Treatment(slug=f"sample-treatment-{n}", name_en=f"Sample treatment {n}", name_de=f"Beispielbehandlung {n}")
        for n in range(TREATMENTS)
    )


def grow_to(size: int, current: int) -> float:
    started = time.perf_counter()
    first_hospital = Hospital.objects.order_by("pk").values_list("pk", flat=True).first()
    first_treatment = Treatment.objects.order_by("pk").values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        cursor.execute(
            INSERT,
            {
                "open": OPEN,
                "now": timezone.now(),
                "start": current,
                "stop": size,
                "first_hospital": first_hospital,
                "hospitals": HOSPITALS,
                "first_treatment": first_treatment,
                "treatments": TREATMENTS,
            },
        )
    connection.cursor().execute("VACUUM ANALYZE inquiries_inquiry")
    return time.perf_counter() - started


def median_ms(client: Client, url: str, repeat: int) -> float:
    response = client.get(url)  # warm-up (and a check that the page works)
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        response.content  # noqa: B018 - the whole body, as the browser gets it
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        return "\n".join("    " + row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    sizes = sorted(int(size) for size in options.sizes.split(","))

    fresh_database()
    call_command("migrate", verbosity=0)
    build_reference_data()
    user = get_user_model().objects.create_superuser("bench", "bench@example.invalid", "unused-bench-password")
    client = Client()
    client.force_login(user)

    results, current = {}, 0
    for size in sizes:
        seconds = grow_to(size, current)
        current = size
        print(f"{size:>9,} inquiries ({OPEN} open, {HOSPITALS:,} hospitals): built in {seconds:.1f} s", flush=True)
        results[size] = {label: median_ms(client, url, options.repeat) for label, url in PAGES.items()}

    print(f"\nmedian of {options.repeat}, in-process, ms   " + "".join(f"{size:>12,}" for size in sizes), end="")
    print(f"{'largest/smallest':>18}")
    for label in PAGES:
        row = [results[size][label] for size in sizes]
        print(f"{label:<38}" + "".join(f"{value:>12.1f}" for value in row) + f"{row[-1] / row[0]:>17.2f}x")
    print(f"\nload: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (1, 5, 15 min)")

    now = timezone.now()
    print(f"\nPlan of the queue's first page at {sizes[-1]:,}:")
    print(plan(Inquiry.objects.order_by(*queue_ordering())[:50]))
    print(f"\nPlan of the overdue filter's first page at {sizes[-1]:,}:")
    print(plan(Inquiry.objects.overdue(now).order_by(*queue_ordering())[:50]))
    print(f"\nPlan of the dashboard's open counts at {sizes[-1]:,}:")
    sql_counts = Inquiry.objects.open().filter(overdue_condition(now)).order_by()
    print(plan(sql_counts.values("priority")))


if __name__ == "__main__":
    # Static files from the finders: the bench does not need collectstatic's manifest.
    with override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        STAFF_REQUIRE_SECOND_FACTOR=False,
    ):
        main()

"""Helpers for test_worker_outage.py, run in the worker's and the seeding subprocesses.

`EmailBackend` appends one line per e-mail (recipient and subject) to the file named by
PORTAL_TEST_MAIL_LOG and takes a little time, as a mail server does, so an outage can fall in the
middle of a send. `python -m tests.inquiries.outage_support seed N | report` fills and reads the
throwaway database. All sample data is invented.
"""

import json
import os
import sys
import time

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        with open(os.environ["PORTAL_TEST_MAIL_LOG"], "a", encoding="utf-8") as log:
            for message in email_messages:
                time.sleep(0.02)
                log.write(f"{message.to[0]}\t{message.subject}\n")
                log.flush()
        return len(email_messages)


def seed(count: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from inquiries.models import Inquiry
    from inquiries.tasks import notify_oncall_of_urgent_inquiry, send_inquiry_confirmation

    call_command("migrate", verbosity=0)
    sample = {
        "submitter_role": "patient",
        "patient_name": "Sample patient (test data)",
        "contact_language": "en",
        "diagnosis": "Sample diagnosis (test data)",
        "is_cancer": "no",
        "doctor_two_week_start": "no",
        "symptoms_worsening": "no",
        "treatment_interrupted": "no",
        "consent_health_data": True,
    }
    with transaction.atomic():
        for number in range(count):
            inquiry = Inquiry.objects.create(
                submission_token=f"outage-{number}", email=f"p{number}@example.invalid", **sample
            )
            send_inquiry_confirmation.enqueue(inquiry_id=inquiry.pk)
        urgent = Inquiry.objects.create(
            submission_token="outage-urgent", email="urgent@example.invalid", priority="urgent", **sample
        )
        notify_oncall_of_urgent_inquiry.enqueue(inquiry_id=urgent.pk)


def report() -> None:
    from inquiries.models import Inquiry
    from inquiries.worker import queued_jobs

    print(
        json.dumps(
            {
                "references": list(Inquiry.objects.values_list("reference", flat=True)),
                "unsent": Inquiry.objects.filter(confirmation_sent_at=None).exclude(priority="urgent").count(),
                "oncall_sent": Inquiry.objects.exclude(oncall_notified_at=None).count(),
                "queued": queued_jobs(),
            }
        )
    )


if __name__ == "__main__":
    import django

    django.setup()
    if sys.argv[1] == "seed":
        seed(int(sys.argv[2]))
    else:
        report()

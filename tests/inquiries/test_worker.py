"""The outbox works end to end: the real worker command sends the scheduled e-mails once."""

import pytest
from django.core import mail
from django.core.management import call_command

from tests.inquiries.helpers import urgent_net_data
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_db_worker_sends_the_confirmation_and_the_urgent_notice_once(settings):
    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    inquiry, _ = submit(urgent_net_data())
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    call_command("db_worker", "--batch", "--no-reload", verbosity=0)
    assert sorted(message.to[0] for message in mail.outbox) == ["alex@example.invalid", "oncall@example.invalid"]
    inquiry.refresh_from_db()
    assert inquiry.confirmation_sent_at is not None
    assert inquiry.oncall_notified_at is not None

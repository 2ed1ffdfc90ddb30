"""The portal's settings with a recording mail backend, for the worker under test_worker_outage.py."""

from portal.settings import *  # noqa: F403

MAILERS = {"default": {"BACKEND": "tests.inquiries.outage_support.EmailBackend"}}
TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]

import logging
import sys

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal.errors import PrivateExceptionReporter

# Spelled backwards so that the report's quoted source lines cannot contain it.
FILE_NAME = "fdp.TC_moniznakerknaP_airaM"[::-1]
DIAGNOSIS = "sisatsatem revil htiw recnac citaercnap"[::-1]
PATIENT = "elpmaxEariM"[::-1]


def fail_with_patient_data_in_scope(request):
    answers = {"diagnosis": DIAGNOSIS}  # noqa: F841 - a local variable a report would show
    raise OSError("disk full")


def test_error_reports_name_neither_uploaded_files_nor_local_values(rf):
    request = rf.post("/inquiry/", {"documents": SimpleUploadedFile(FILE_NAME, b"%PDF-1.4 ... %%EOF")})
    try:
        fail_with_patient_data_in_scope(request)
    except OSError as error:
        reporter = PrivateExceptionReporter(request, type(error), error, error.__traceback__)
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    assert "disk full" in text
    assert "fail_with_patient_data_in_scope" in text
    for report in (text, html):
        assert FILE_NAME not in report
        assert DIAGNOSIS not in report


def test_the_portal_uses_the_private_reporter_for_error_mails(settings):
    assert settings.DEFAULT_EXCEPTION_REPORTER == "portal.errors.PrivateExceptionReporter"


# --- Issue 10, defect 3 -------------------------------------------------------------------------


@pytest.fixture
def admins(settings):
    settings.ADMINS = ["ops@example.invalid"]
    cache.clear()  # the e-mail throttle counts in the cache
    yield
    cache.clear()


@pytest.mark.django_db
def test_too_many_query_parameters_get_the_400_page_with_the_security_headers(admins, mailoutbox):
    query = "&".join(f"p{number}=Lebermetastasen" for number in range(1001))
    response = Client(raise_request_exception=False).get(f"/inquiry/?{query}")
    assert response.status_code == 400
    assert "We could not understand this request" in response.text
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    # The report (if any) names neither the values nor the query string.
    for message in mailoutbox:
        assert "Lebermetastasen" not in message.body


@pytest.mark.django_db
def test_bad_host_names_send_at_most_one_admin_email_per_hour(admins, mailoutbox, caplog, _pinned_clock):
    for _ in range(5):
        response = Client().get("/", headers={"host": "attacker.example"})
        assert response.status_code == 400
    assert len(mailoutbox) == 1
    assert "DisallowedHost" in mailoutbox[0].subject or "Invalid HTTP_HOST" in mailoutbox[0].subject
    # Every one is still in the log.
    assert len([record for record in caplog.records if record.name == "django.security.DisallowedHost"]) == 5
    _pinned_clock.shift(60 * 60 + 1)
    Client().get("/", headers={"host": "attacker.example"})
    assert len(mailoutbox) == 2


@pytest.mark.django_db
def test_real_server_errors_are_not_throttled(admins, mailoutbox, rf):
    logger = logging.getLogger("django.request")
    for _ in range(3):
        logger.error("Internal Server Error: /x/", extra={"status_code": 500, "request": rf.get("/x/")})
    assert len(mailoutbox) == 3


def test_error_reports_name_no_file_in_an_os_error(rf):
    request = rf.get("/admin/inquiries/inquiry/", {"q": PATIENT})
    try:
        open(f"/nonexistent/{FILE_NAME}")  # noqa: SIM115 - the error a long or missing name raises
    except OSError as error:
        reporter = PrivateExceptionReporter(request, type(error), error, error.__traceback__)
        text = reporter.get_traceback_text()
        html = reporter.get_traceback_html()
    for report in (text, html):
        assert FILE_NAME not in report
        assert PATIENT not in report  # the query string's values
    assert "No such file or directory" in text


def test_error_reports_name_no_file_in_a_chained_os_error(rf):
    try:
        try:
            open(f"/nonexistent/{FILE_NAME}")  # noqa: SIM115
        except OSError as error:
            raise RuntimeError("export failed") from error
    except RuntimeError as error:
        reporter = PrivateExceptionReporter(rf.get("/"), type(error), error, error.__traceback__)
        text = reporter.get_traceback_text()
    assert "export failed" in text
    assert FILE_NAME not in text


@pytest.mark.django_db
def test_a_database_error_s_detail_with_the_failing_row_stays_out_of_reports(rf):
    # PostgreSQL's message for a violated constraint ends "DETAIL: Failing row contains (…)": the
    # whole row, with the patient's name and diagnosis.
    import psycopg2.errors
    from django.db import IntegrityError, transaction

    from inquiries.models import Inquiry
    from tests.inquiries.helpers import valid_data
    from tests.inquiries.test_admin import make_inquiry

    inquiry = make_inquiry(valid_data(diagnosis=DIAGNOSIS, patient_name=PATIENT))
    request = rf.get("/admin/")
    driver_error = psycopg2.errors.CheckViolation(
        f'violates check constraint "x"\nDETAIL:  Failing row contains (1, {DIAGNOSIS}).'
    )
    errors = [IntegrityError(f'new row violates check constraint "x"\nDETAIL:  Failing row contains ({PATIENT}).')]
    errors[0].__cause__ = driver_error
    try:
        with transaction.atomic():
            Inquiry.objects.filter(pk=inquiry.pk).update(status="closed", closing_reason="")
    except IntegrityError as error:
        errors.append(error)  # on PostgreSQL, the real message
    assert len(errors) == 2
    for error in errors:
        try:
            raise error
        except IntegrityError as raised:
            reporter = PrivateExceptionReporter(request, type(raised), raised, raised.__traceback__)
            text, html = reporter.get_traceback_text(), reporter.get_traceback_html()
        assert "constraint" in text
        for report in (text, html):
            assert DIAGNOSIS not in report
            assert PATIENT not in report


def test_plain_log_lines_leave_out_what_a_database_error_quotes_from_the_row(settings):
    import psycopg2.errors
    from django.db import IntegrityError

    from portal.errors import PrivateFormatter

    assert settings.LOGGING["formatters"]["plain"]["class"] == "portal.errors.PrivateFormatter"
    formatter = PrivateFormatter("{levelname} {name} {message}", style="{")
    try:
        try:
            raise psycopg2.errors.NotNullViolation(f"null value\nDETAIL:  Failing row contains ({DIAGNOSIS}).")
        except psycopg2.Error as driver_error:
            raise IntegrityError(f"null value\nDETAIL:  Failing row contains ({PATIENT}).") from driver_error
    except IntegrityError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), None)
        record.exc_info = sys.exc_info()
    line = formatter.format(record)
    assert "NotNullViolation: null value" in line and "IntegrityError: null value" in line
    assert DIAGNOSIS not in line and PATIENT not in line

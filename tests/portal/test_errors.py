from django.core.files.uploadedfile import SimpleUploadedFile

from portal.errors import PrivateExceptionReporter

# Spelled backwards so that the report's quoted source lines cannot contain it.
FILE_NAME = "fdp.TC_moniznakerknaP_airaM"[::-1]
DIAGNOSIS = "sisatsatem revil htiw recnac citaercnap"[::-1]


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

"""Error reports that carry no patient data, and admin e-mails that cannot be used as a flood."""

import logging

from django import db
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.http import QueryDict
from django.views.debug import ExceptionReporter

from portal.redaction import redact

HIDDEN = "********"
# Request metadata that repeats the query string (gunicorn's RAW_URI) or another page's address.
HIDDEN_META = {"QUERY_STRING", "RAW_URI", "REQUEST_URI", "HTTP_REFERER"}


class PrivateExceptionReporter(ExceptionReporter):
    """Error reports (e-mails to ADMINS, debug pages) that carry no patient data.

    `sensitive_post_parameters` hides form fields, but Django still lists the names of uploaded
    files ("Pankreaskarzinom_CT.pdf"), the query string (an admin search names a patient; a
    follow-up link carries a token), every frame's local variables, where a form's cleaned data or
    an inquiry sits, and the message of an OSError, which quotes the file name. Reports keep the
    code path and drop all of these; a follow-up token (portal.redaction) is also removed from the
    headers and the exception's message.
    """

    def get_traceback_data(self):
        if self.request is not None:
            _make_query_readable(self.request)
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(name, HIDDEN) for name in self.request.GET]
            data["request_FILES_items"] = [(field, HIDDEN) for field in self.request.FILES]
            data["request_insecure_uri"] = redact(str(data["request_insecure_uri"]).split("?", 1)[0])
            data["request_meta"] = {
                key: HIDDEN if key in HIDDEN_META else redact(str(value))
                for key, value in data["request_meta"].items()
            }
        if self.exc_value is not None:
            data["exception_value"] = redact(private_message(self.exc_value))
        for frame in data.get("frames", []):
            frame["vars"] = []
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = redact(private_message(frame["exc_cause"]))
        return data


def private_message(error: BaseException) -> str:
    """The exception's message, without the file names an OSError quotes or the row a database quotes."""
    if isinstance(error, OSError) and (error.filename is not None or error.filename2 is not None):
        return f"[Errno {error.errno}] {error.strerror} (file name hidden)"
    if isinstance(error, db.Error) or type(error).__module__.startswith(("psycopg", "sqlite3")):
        # PostgreSQL adds "DETAIL: Failing row contains (…)" or "Key (email)=(…)": the first line only.
        return str(error).split("\n", 1)[0]
    return str(getattr(error, "raw_error_message", error))


class PrivateFormatter(logging.Formatter):
    """Log lines whose tracebacks carry the exceptions' private messages (`private_message`), no tokens."""

    def formatException(self, ei):
        text = super().formatException(ei)
        error, seen = ei[1], set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            message, private = str(error), private_message(error)
            if message and private != message:
                text = text.replace(message, private)
            error = error.__cause__ or error.__context__
        return redact(text)


def _make_query_readable(request) -> None:
    """A query string Django refused to parse (TooManyFieldsSent) would make the report fail too."""
    try:
        request.GET  # noqa: B018 - parsing is the point
    except SuspiciousOperation:
        request.GET = QueryDict()


class ThrottleSecurityMails(logging.Filter):
    """At most one admin e-mail per kind of `django.security.*` event per window; the log keeps all.

    Every request with a forged Host header or too many fields is one such event: without this,
    anyone could fill the admins' mailbox. The count lives in the cache; if the cache cannot be
    reached, the e-mail is dropped (the console log still has the event).
    """

    def __init__(self, seconds: int = 3600):
        super().__init__()
        self.seconds = seconds

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("django.security."):
            return True
        try:
            return cache.add(f"security-mail:{record.name}", 1, timeout=self.seconds)
        except Exception:  # noqa: BLE001 - any cache error: drop the e-mail, never the request
            return False

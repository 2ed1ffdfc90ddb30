"""Logs are JSON lines with the request id, and hold no query strings and no exception messages."""

import io
import json
import logging
import sys

import pytest

from portal.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """What the production handler writes for django.request, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def test_every_response_carries_a_new_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="0123456789abcdef0123456789abcdef")["X-Request-ID"] == (
        "0123456789abcdef0123456789abcdef"
    )
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="<script>\n")["X-Request-ID"]
    assert replaced != "<script>\n" and len(replaced) == 32


def test_a_log_line_written_while_serving_has_the_requests_id_and_no_query_string(client, json_log):
    response = client.get("/no-such-page/?diagnosis=glioblastoma")
    [line] = json_log()
    assert line["request_id"] == response["X-Request-ID"]
    assert line["level"] == "WARNING" and line["logger"] == "django.request"
    assert "glioblastoma" not in json.dumps(line)


def test_an_exception_is_logged_by_class_and_place_without_its_message():
    try:
        raise ValueError("Key (email)=(patient@example.invalid) already exists; diagnosis: melanoma")
    except ValueError:
        record = logging.getLogger("portal").makeRecord(
            "portal", logging.ERROR, __file__, 1, "Saving failed", (), exc_info=sys.exc_info()
        )
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "Saving failed"
    assert line["error"] == "builtins.ValueError"
    assert any("test_logging.py" in frame for frame in line["stack"])
    assert "melanoma" not in json.dumps(line) and "patient@" not in json.dumps(line)
    assert line["request_id"] == "-"


def test_gunicorns_access_log_becomes_fields_without_query_string_or_referrer():
    atoms = {
        "m": "GET",
        "U": "/hospitals/",
        "q": "q=sarcoma",
        "s": "200",
        "B": 5120,
        "M": 42,
        "h": "127.0.0.1",
        "f": "https://portal.example.org/articles/?q=sarcoma",
        "{x-request-id}o": "abc123abc123",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, "", 0, '%(h)s "%(m)s %(U)s" %(s)s', (), None)
    record.args = atoms  # as gunicorn passes them
    line = json.loads(JsonFormatter().format(record))
    assert line == {
        "time": line["time"],
        "level": "INFO",
        "logger": "gunicorn.access",
        "process": line["process"],
        "request_id": "abc123abc123",
        "message": "request",
        "method": "GET",
        "path": "/hospitals/",
        "status": "200",
        "bytes": 5120,
        "duration_ms": 42,
        "remote_addr": "127.0.0.1",
    }


def test_production_logs_json_and_debug_logs_readable_lines(settings):
    from django.conf import settings as live

    assert live.LOGGING["handlers"]["console"]["formatter"] in ("json", "plain")
    assert live.LOGGING["loggers"]["gunicorn.access"]["handlers"] == ["console"]
    assert {"request_id", "redact_secrets"} <= set(live.LOGGING["handlers"]["console"]["filters"])

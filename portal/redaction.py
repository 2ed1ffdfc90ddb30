"""Secrets that must never reach a log line or an error report: follow-up link tokens.

A follow-up link (`/inquiry/follow-up/open/?token=…`) opens a patient's inquiry. The token is
removed wherever a line is written: the console handler (application, request and runserver
lines) and the error reports (portal.errors). Gunicorn's access log leaves out query strings
(`make serve`); a proxy in front must do the same (README).
"""

import logging
import re

REDACTED = "[removed]"
# `token=` as a query parameter, and the shape of a signed JSON value (base64 `{"` = `eyJ`) on
# its own, e.g. in a Referer header or a message that quotes a URL.
SECRET_PATTERNS = (
    re.compile(r"(?<![\w])(token=)[^&\s\"'<>]+"),
    re.compile(r"eyJ[\w-]*:[\w-]+:[\w-]{20,}"),
)


def redact(text: str) -> str:
    """The text with every follow-up token replaced by "[removed]"."""
    for pattern in SECRET_PATTERNS:
        text = pattern.sub(lambda match: (match.group(1) if match.groups() else "") + REDACTED, text)
    return text


class RedactSecretsFilter(logging.Filter):
    """Rewrite each record's message without tokens; the record is always kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the handler's business, not ours
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = ()
        return True

"""Log records as JSON lines with the request's id, wired up in portal/settings.py (LOGGING).

What a record may hold: a message written by us (which names references and error classes, never
a patient's answers), the logger, the level, the time, the process and the request id. An
exception is logged by its class and where it was raised, without its message: a database
error's message can quote the row it refused, and with it health data. gunicorn's access log
arrives here too and becomes fields (method, path without the query string, status, bytes,
duration).
"""

import contextvars
import datetime
import json
import logging
import traceback

# The id of the request being served in this thread, "-" outside a request (workers, commands).
request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def forget_request_id(**kwargs) -> None:
    """Connected to request_finished: log lines after a request carry no id."""
    request_id.set("-")


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so every formatter can show it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


# gunicorn's access log atoms we keep (see gunicorn.conf.py): the query string, referrer and user
# agent are left out on purpose.
ACCESS_FIELDS = {"m": "method", "U": "path", "s": "status", "B": "bytes", "M": "duration_ms", "h": "remote_addr"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC)
        entry = {
            "time": moment.isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "process": record.process,
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            entry["message"] = "request"
            entry.update({name: atoms.get(atom) for atom, name in ACCESS_FIELDS.items()})
            # The id our middleware put on the response (or nginx on the request).
            entry["request_id"] = atoms.get("{x-request-id}o") or atoms.get("{x-request-id}i") or "-"
        else:
            entry["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            error_class, _error, trace = record.exc_info
            entry["error"] = f"{error_class.__module__}.{error_class.__qualname__}"
            # Where it happened, frame by frame, without the message and without local values.
            frames = traceback.extract_tb(trace)
            entry["stack"] = [f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in frames]
        return json.dumps(entry, ensure_ascii=False, default=str)

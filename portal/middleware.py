import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.template.response import TemplateResponse

from portal import logs, metrics

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached", not "this query is wrong".
UNREACHABLE_DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response(request):
    """A friendly 503 page that asks the visitor to try again shortly."""
    response = TemplateResponse(request, "503.html", status=503)
    response["Retry-After"] = "60"
    return response


class DatabaseUnavailableMiddleware:
    """Turns an unreachable database into a 503 page instead of a 500 with a traceback.

    Only the exception's class is logged: its message can quote a query and with it a
    patient's answers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except UNREACHABLE_DATABASE_ERRORS as error:
            # Raised by a middleware below us (a view's errors arrive in process_exception).
            return self._unavailable(request, error)

    def process_exception(self, request, exception):
        if isinstance(exception, UNREACHABLE_DATABASE_ERRORS):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, error: DatabaseError):
        logger.error("Database unreachable (%s) while serving a request", type(error).__name__)
        response = database_unavailable_response(request)
        return response.render()


class SecurityHeadersMiddleware:
    """Headers Django has no setting for: Permissions-Policy and Cross-Origin-Resource-Policy.

    First in MIDDLEWARE, so static files and error pages get them too. A view that serves data
    meant for other sites (the hospitals' open status feeds) sets its own
    Cross-Origin-Resource-Policy, which is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.SECURE_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


def request_body_limit() -> int:
    """The largest request body we read: the uploads' total plus Django's own limit for form fields.

    Derived, not a setting of its own: INQUIRY_UPLOAD_MAX_TOTAL_BYTES is what a person may send,
    DATA_UPLOAD_MAX_MEMORY_SIZE what Django already allows for all fields that are not files.
    """
    return settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestBodyLimitMiddleware:
    """Refuses a body over `request_body_limit()` before anything reads it.

    From Content-Length, at once; and while streaming, through `BodyGuard`, for a server that
    passes on more than it declared. Either raises RequestDataTooBig, which Django answers with
    the 400 handler (`portal.views.bad_request`): our "too large" page, or the inquiry form again.
    Last in MIDDLEWARE: every other middleware's headers and the language apply to the answer, and
    CsrfViewMiddleware, the first to read the body, does so later (in process_view).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = request_body_limit()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestDataTooBig(f"Request body of {declared} bytes exceeded the limit of {limit} bytes.")
        if request.content_type == "multipart/form-data":
            # Django has no hook between the socket and its multipart parser: the guard wraps the
            # stream the parser reads, before anyone has read from it.
            boundary = request.content_params.get("boundary", "").encode("ascii", "replace")
            request._stream = BodyGuard(request._stream, limit=limit, boundary=boundary)
        return self.get_response(request)


class BodyGuard:
    """The request body as Django's multipart parser reads it, checked on the way.

    - More than `limit` bytes: RequestDataTooBig, also when the server passes on more than it
      declared.
    - A part header that names its file twice (`filename="scan.pdf"; filename="scan.html"`, or
      with `filename*=`): Django would silently keep the last one, which a proxy or virus scanner
      in front may not have looked at. The header is rewritten to one safe name, "document"
      (the download takes its extension from the detected type). Only real part headers, right
      after a boundary, are looked at: file contents pass through untouched. Headers are read as
      Django's parser reads them: lines end at CRLF only, a header's name at its colon (spaces
      before it do not count), every Content-Disposition line counts, and whatever precedes the
      first boundary is a part too.
    """

    # Django reads at most this much of a part's headers (multipartparser.parse_boundary_stream).
    MAX_HEADER_BYTES = 1024
    CHUNK_BYTES = 64 * 1024

    def __init__(self, stream, *, limit: int, boundary: bytes = b""):
        self.stream = stream
        self.limit = limit
        self.bytes_read = 0
        self.delimiter = b"--" + boundary if boundary else b""
        # A part header, or a boundary, that has not arrived whole yet. It starts as a boundary of
        # our own, taken off again (`unsent_prefix`), so a preamble is checked like a part.
        self.held = self.delimiter
        self.unsent_prefix = len(self.delimiter)
        self.ready = b""  # checked, not yet read
        self.renamed_files = 0

    def read(self, size=-1):
        if size is None or size < 0:
            while self._fill():
                pass
        else:
            while len(self.ready) < size and self._fill():
                pass
        return self._take(len(self.ready) if size is None or size < 0 else size)

    def readline(self, size=-1):
        while b"\n" not in self.ready and (size is None or size < 0 or len(self.ready) < size) and self._fill():
            pass
        end = self.ready.find(b"\n") + 1 or len(self.ready)
        return self._take(end if size is None or size < 0 else min(end, size))

    def _take(self, count: int) -> bytes:
        data, self.ready = self.ready[:count], self.ready[count:]
        return data

    def _fill(self) -> bool:
        """Read one more chunk, check it and add what can be passed on; False at the end of the body."""
        data = self.stream.read(self.CHUNK_BYTES)
        self.bytes_read += len(data)
        if self.bytes_read > self.limit:
            raise RequestDataTooBig(f"Request body exceeded the limit of {self.limit} bytes while streaming.")
        if not self.delimiter:
            self.ready += data
        else:
            checked, self.held = self._checked(self.held + data, final=not data)
            if self.unsent_prefix:
                dropped = min(self.unsent_prefix, len(checked))
                checked, self.unsent_prefix = checked[dropped:], self.unsent_prefix - dropped
            self.ready += checked
        return bool(data)

    def _checked(self, buffer: bytes, *, final: bool) -> tuple[bytes, bytes]:
        """The part of `buffer` that can be passed on, with its part headers checked, and what to hold."""
        out = []
        position = 0
        search_from = 0
        while (start := buffer.find(self.delimiter, search_from)) != -1:
            header_start = start + len(self.delimiter)
            header_end = buffer.find(b"\r\n\r\n", header_start, header_start + self.MAX_HEADER_BYTES + 4)
            if header_end == -1:
                if not final and len(buffer) - header_start <= self.MAX_HEADER_BYTES + 4:
                    out.append(buffer[position:start])
                    return b"".join(out), buffer[start:]
                search_from = header_start  # not a part header (or one Django refuses anyway)
                continue
            out.append(buffer[position:header_start])
            out.append(self._one_file_name(buffer[header_start:header_end]))
            position = search_from = header_end
        if final:
            out.append(buffer[position:])
            return b"".join(out), b""
        # The end may be the first bytes of the next boundary: hold them back.
        keep_from = max(position, len(buffer) - len(self.delimiter) + 1)
        out.append(buffer[position:keep_from])
        return b"".join(out), buffer[keep_from:]

    def _one_file_name(self, header: bytes) -> bytes:
        """The part's header, with one safe file name if its Content-Disposition lines name more than one."""
        lines = header.split(b"\r\n")
        dispositions = [
            number
            for number, line in enumerate(lines)
            if line.partition(b":")[0].rstrip(b" ").lower() == b"content-disposition"
        ]
        if sum(len(_FILENAME_PARAMETER.findall(lines[number])) for number in dispositions) < 2:
            return header
        self.renamed_files += 1
        logger.warning("A file part named two file names; stored as %r", SAFE_FILE_NAME)
        for number in dispositions:
            names = _NAME_PARAMETER.findall(lines[number])
            name = names[-1] if names else b'""'
            lines[number] = b'Content-Disposition: form-data; name=%s; filename="%s"' % (name, SAFE_FILE_NAME.encode())
        return b"\r\n".join(lines)


SAFE_FILE_NAME = "document"
_FILENAME_PARAMETER = re.compile(rb"(?i);\s*filename\*?\s*=")
_NAME_PARAMETER = re.compile(rb'(?i);\s*name\s*=\s*("(?:[^"\\\r\n]|\\.)*"|[^;\s]*)')


# nginx's $request_id is 32 hex digits; accept ids like it from the proxy, make one otherwise.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


class RequestIdMiddleware:
    """Gives every request an id: the proxy's X-Request-ID if it sent one, else a new one.

    The id is on every log record of the request (portal.logs) and on the response, so a line in
    nginx's log, gunicorn's access log and our own log can be matched up.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request.id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Cleared when the response is closed (portal.apps), after Django's own request log line.
        logs.request_id.set(request.id)
        response = self.get_response(request)
        response["X-Request-ID"] = request.id
        return response


class MetricsMiddleware:
    """Counts requests and measures their latency for /metrics, by method, view name and status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.observe_request(request, response.status_code, time.perf_counter() - started)
        return response

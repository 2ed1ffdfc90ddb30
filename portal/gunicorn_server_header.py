"""Stops gunicorn from announcing itself (`Server: gunicorn`) where no proxy replaces the header.

gunicorn writes the header itself, before the application's headers, and has no setting for it,
so a WSGI middleware cannot remove it. Call `drop_server_header()` from gunicorn.conf.py; it needs
no Django and changes nothing else. Behind nginx it is not needed (nginx sends its own header).
"""

from gunicorn.http import wsgi


def drop_server_header() -> None:
    """Leave the Server line out of every response gunicorn writes (idempotent)."""
    if getattr(wsgi.Response.default_headers, "drops_server_header", False):
        return
    default_headers = wsgi.Response.default_headers

    def without_server_header(self):
        return [line for line in default_headers(self) if not line.lower().startswith("server:")]

    without_server_header.drops_server_header = True
    wsgi.Response.default_headers = without_server_header

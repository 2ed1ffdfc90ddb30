"""gunicorn's configuration for the portal's web process (the Procfile's `web`).

Every value an operator may change comes from the environment; docs/deployment.md lists them.
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the repository root, before the app loads
from portal.gunicorn_server_header import drop_server_header


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


wsgi_app = "portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND") or f"{os.environ.get('HOST') or '127.0.0.1'}:{_int('PORT', 8000)}"

# Sync workers, one request per process, no threads. nginx buffers whole requests (uploads of up
# to 50 MB) and responses, so a slow client never holds a worker; what is left is short, CPU- and
# database-bound work where threads would buy little, and each process then holds exactly one
# database connection, which keeps "gunicorn processes x workers <= max_connections" simple. On
# two cores shared with PostgreSQL and the task workers, cores + 1 processes (3) is the default.
workers = _int("WEB_CONCURRENCY", (os.cpu_count() or 1) + 1)
threads = 1
worker_class = "sync"

# A request still running after 30 s is stuck (the slowest honest one, a 50 MB upload read from
# nginx over the loopback, takes a few seconds): the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (systemd stop, deploy), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle each worker after about 1000 requests; the jitter keeps them from restarting together.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Only the reverse proxy may tell us the scheme (X-Forwarded-Proto). Comma-separated addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# The access log goes through Django's LOGGING (portal/settings.py) once a worker has loaded the
# app, as JSON lines with the request id. The format leaves out the query string (%(q)s, a search
# can name a diagnosis), the referrer (which carries one) and the user agent.
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"

# No control socket: systemd (or honcho) manages the process, and a socket in the home directory
# would collide between two gunicorn instances on one machine (bench/drill.py runs two).
control_socket_disable = True

# gunicorn always sends "Server: gunicorn" and has no setting for it; this leaves it out (nginx
# in front would replace it anyway).
drop_server_header()

# Prometheus: with several worker processes each one writes its request metrics to files in
# PROMETHEUS_MULTIPROC_DIR and /metrics adds them up (docs/deployment.md, "Metrics").
_multiproc_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server):
    """Start with an empty metrics directory: files of an earlier run would be counted again."""
    if _multiproc_dir:
        path = Path(_multiproc_dir)
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        for stale in path.glob("*.db"):  # only prometheus_client's own files
            stale.unlink()


def child_exit(server, worker):
    """Keep a dead worker's counters but drop its live gauges."""
    if _multiproc_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

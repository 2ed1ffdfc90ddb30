"""Prometheus metrics for /metrics: request rates and latencies, the task queue, undelivered
e-mails and overdue inquiries (docs/deployment.md, "Metrics").

Two kinds. Request metrics are counted in each gunicorn worker process; with several processes
prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR) keeps them in files that a
scrape adds up. Everything about the queue and the inquiries is read from the database at scrape
time by `PortalCollector`, so every process reports the same truth and nothing is kept in memory.
Four of its five queries use an index (waiting jobs, the workers' heartbeats, inquiries awaiting
a first response, undelivered notifications); the fifth counts running jobs in the task table,
which the clock keeps small by pruning finished results daily.
"""

import hmac
import ipaddress
import os

from django.db.models import Count
from django.utils import timezone
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from inquiries.models import Inquiry, Notification, WorkerHeartbeat
from inquiries.network import client_address
from inquiries.worker import task_queue_summary, task_running_summary

# registry=None: not kept in prometheus_client's global registry; `render()` builds one per scrape.
REQUESTS = Counter(
    "portal_http_requests",
    "HTTP requests answered, by method, view and status.",
    ["method", "view", "status"],
    registry=None,
)
LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from the request reaching Django to the response, by method and view.",
    ["method", "view"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=None,
)
KNOWN_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def observe_request(request, status: int, seconds: float) -> None:
    """Count one answered request. Labels are bounded: a URL name, never the path itself."""
    method = request.method if request.method in KNOWN_METHODS else "other"
    match = getattr(request, "resolver_match", None)
    view = (match.view_name if match else "") or "unrouted"
    REQUESTS.labels(method, view, str(status)).inc()
    LATENCY.labels(method, view).observe(seconds)


class PortalCollector:
    """Reads the queue, the workers and the inquiries at scrape time (5 queries)."""

    def collect(self):
        now = timezone.now()
        waiting = GaugeMetricFamily(
            "portal_tasks_waiting", "Task jobs ready to run now and not yet taken, by priority.", labels=["priority"]
        )
        oldest = GaugeMetricFamily(
            "portal_tasks_oldest_waiting_seconds",
            "How long the oldest runnable job has waited, by priority (10 = urgent alerts).",
            labels=["priority"],
        )
        # The job queries live with the worker (inquiries/worker.py), the one module that knows the backend.
        for priority, row in task_queue_summary(now=now).items():
            waiting.add_metric([str(priority)], row["waiting"])
            oldest.add_metric([str(priority)], row["oldest_seconds"])
        yield waiting
        yield oldest

        running = task_running_summary(now=now)
        yield GaugeMetricFamily(
            "portal_tasks_running", "Task jobs being run by a worker now.", value=running["running"]
        )
        yield GaugeMetricFamily(
            "portal_tasks_oldest_running_seconds",
            "How long the longest-running job has run (a dead worker's job grows without end).",
            value=running["oldest_seconds"],
        )

        last_seen = WorkerHeartbeat.objects.last_seen()
        yield GaugeMetricFamily(
            "portal_worker_last_seen_seconds",
            "Seconds since any task worker last reported in (-1: none ever did).",
            value=(now - last_seen).total_seconds() if last_seen else -1,
        )

        undelivered = GaugeMetricFamily(
            "portal_notifications_undelivered",
            "E-mails about inquiries that failed for good or wait for a retry, by kind and status.",
            labels=["kind", "status"],
        )
        for row in Notification.objects.undelivered().values("kind", "status").annotate(count=Count("pk")).order_by():
            undelivered.add_metric([row["kind"], row["status"]], row["count"])
        yield undelivered

        overdue = GaugeMetricFamily(
            "portal_inquiries_overdue",
            "Open inquiries past their first-response deadline with no response yet, by priority.",
            labels=["priority"],
        )
        counts = dict(Inquiry.objects.overdue(now).values_list("priority").annotate(count=Count("pk")).order_by())
        for priority in Inquiry.Priority.values:
            overdue.add_metric([priority], counts.get(priority, 0))
        yield overdue


def render() -> tuple[bytes, str]:
    """The exposition text for one scrape, and its content type."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # every worker process's request metrics, added up
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(PortalCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


def allowed(request, *, token: str, networks: list[str]) -> bool:
    """A scrape is let in with the bearer token, or from one of the configured networks."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if token and header.startswith("Bearer ") and hmac.compare_digest(header[7:].encode(), token.encode()):
        return True
    if networks:
        try:
            address = ipaddress.ip_address(client_address(request))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(network, strict=False) for network in networks)
    return False

#!/usr/bin/env python3
"""The fault drill (`make drill`): the production topology on one machine, broken on purpose.

It starts, all on 127.0.0.1 and all its own: a throwaway PostgreSQL cluster on a spare port
(initdb + pg_ctl, never the machine's shared server), a Redis server on a spare port, two web
processes (gunicorn, two ports), two task workers and the clock, each started with
`scripts/run-process NAME`, i.e. the Procfile's command. Like systemd it restarts a process that
exits, two seconds later, and notes every exit it did not cause.

Then, for --duration seconds, simulated visitors post inquiries (every tenth urgent, each with a
small PDF) to both web processes in turn. Mid-run it SIGKILLs one worker and one web process and
stops the database for ten seconds (pg_ctl stop -m fast, then start). One visitor posts more than
the rate limit from one address, alternating between the two ports. After the run it waits for
the task queue to drain and checks:

- every acknowledged inquiry (302 to its confirmation page) is in the database with its file,
  byte for byte;
- every e-mail that should have been sent was sent exactly once (file mail backend, counted);
- urgent on-call alerts overtook the routine backlog;
- the rate limit held across both web processes (Redis shared);
- no process exited on its own (the workers survived the database outage).

It prints the figures and exits 1 on any loss or failed check. Traffic goes only to 127.0.0.1;
visitors differ only by the X-Forwarded-For header (addresses from 198.18.0.0/15, the range set
aside for benchmarks), read because the drill runs the portal with DJANGO_TRUSTED_PROXY_COUNT=1.
"""

import argparse
import collections
import contextlib
import email
import email.header
import hashlib
import http.client
import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
RESTART_DELAY = 2.0  # seconds, like RestartSec=2 in deploy/systemd
RATE_LIMIT = 10  # INQUIRY_RATE_LIMIT_POSTS for the drill
WORKERS = 2
REFERENCE = re.compile(r"[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}")
ONCALL = "oncall@example.invalid"


def log(message: str) -> None:
    print(f"[drill {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The services ---------------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster in its own directory, on its own port and socket directory."""

    def __init__(self, base: Path, port: int):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
        if not versions:
            sys.exit("No PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)")
        self.bin = versions[-1].parent
        self.port = port
        self.home = base / "postgres"
        self.data = self.home / "data"
        self.sockets = self.home / "sockets"
        self.logfile = self.home / "server.log"

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:  # initdb refuses root; the cluster belongs to the postgres user
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)

    def init(self) -> None:
        self.sockets.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.home, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c max_connections=80"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.logfile), "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


class Process:
    """One process of the topology, started from the Procfile, restarted when it exits."""

    def __init__(self, name: str, kind: str, env: dict, logdir: Path):
        self.name, self.kind, self.env = name, kind, env
        self.logfile = logdir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self.expect_exit = False
        self.unexpected_exits: list[tuple[float, int]] = []
        self.restarts = 0
        self.down_since: float | None = None

    def start(self) -> None:
        with open(self.logfile, "ab") as output:
            self.proc = subprocess.Popen(
                [sys.executable, str(ROOT / "scripts" / "run-process"), self.kind],
                env=self.env,
                cwd=ROOT,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: a kill takes its children too
            )

    def kill(self) -> None:
        """SIGKILL the whole process group, as an OOM kill or a crash would."""
        self.expect_exit = True
        os.killpg(self.proc.pid, signal.SIGKILL)

    def stop(self) -> None:
        self.expect_exit = True
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def supervise(self, now: float, started: float) -> None:
        """Called every half second: note an exit, restart RESTART_DELAY seconds after it."""
        if self.proc.poll() is None:
            return
        if self.down_since is None:
            self.down_since = now
            if not self.expect_exit:
                self.unexpected_exits.append((round(now - started, 1), self.proc.returncode))
                log(f"{self.name} exited on its own (code {self.proc.returncode}) at t={now - started:.0f}s")
        elif now - self.down_since >= RESTART_DELAY:
            self.expect_exit = False
            self.down_since = None
            self.restarts += 1
            self.start()


class Supervisor(threading.Thread):
    def __init__(self, processes: list[Process], started: float):
        super().__init__(daemon=True)
        self.processes, self.started = processes, started
        self.running = True

    def run(self) -> None:
        while self.running:
            for process in self.processes:
                process.supervise(time.monotonic(), self.started)
            time.sleep(0.5)


def wait_until(check, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"timed out waiting for {what}")


def http_ok(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status == 200
    finally:
        connection.close()


def scrape(port: int, token: str) -> dict[str, float]:
    """The web process's /metrics (all its gunicorn workers, added up), as name{labels} -> value."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        text = response.read().decode()
    finally:
        connection.close()
    if response.status != 200:
        return {}
    pairs = (line.rsplit(" ", 1) for line in text.splitlines() if line and not line.startswith("#"))
    return {name: float(value) for name, value in pairs}


def redis_ping(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(16).startswith(b"+PONG")


# --- The visitors ---------------------------------------------------------------------------------


def pdf_bytes(marker: str) -> bytes:
    """A minimal PDF, unique per post so every stored file can be matched to what was sent."""
    return (
        b"%PDF-1.4\n%" + marker.encode() + b"\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


ROUTINE_ANSWERS = {
    "submitter_role": "patient",
    "patient_name": "Drill Sample Patient",
    "birth_year": "1968",
    "country": "PL",
    "email": "drill-patient@example.invalid",
    "phone": "+48 22 123 45 67",
    "contact_language": "en",
    "diagnosis": "Sample data for the fault drill: hip arthrosis",
    "is_cancer": "no",
    "doctor_two_week_start": "no",
    "symptoms_worsening": "no",
    "treatment_interrupted": "no",
    "travel_period": "spring",
    "consent_health_data": "on",
    "website": "",
}
URGENT_ANSWERS = {
    **ROUTINE_ANSWERS,
    "submitter_role": "relative",
    "diagnosis": "Sample data for the fault drill: neuroendocrine tumour, liver metastases",
    "is_cancer": "yes",
    "tumour_type": "neuroendocrine",
    "metastases": "yes",
    "symptoms_worsening": "yes",
}
HIDDEN = re.compile(r'name="(csrfmiddlewaretoken|submission_token)" value="([^"]+)"')


SEED = """
import secrets
from django.db import transaction
from inquiries.forms import InquiryForm, new_submission_token
from inquiries.models import Inquiry
from inquiries.services import inquiry_submit
from inquiries.tasks import send_inquiry_confirmation

# One inquiry through the service, then copies of it in bulk, each with its confirmation job:
# the routine backlog an urgent inquiry has to overtake.
form = InquiryForm(data={{**{answers!r}, "submission_token": new_submission_token()}})
assert form.is_valid(), form.errors.as_json()
model, _ = inquiry_submit(answers=form.answers(), documents=[], submission_token=form.cleaned_data["submission_token"],
                          language="en")
skip = {{"id", "reference", "submission_token", "created_at"}}
values = {{f.attname: getattr(model, f.attname) for f in Inquiry._meta.concrete_fields if f.attname not in skip}}
for start in range(1, {count}, 500):
    with transaction.atomic():
        copies = Inquiry.objects.bulk_create(
            Inquiry(**values, submission_token=secrets.token_hex(16)) for _ in range(min(500, {count} - start))
        )
        for copy in copies:
            send_inquiry_confirmation.enqueue(inquiry_id=copy.pk)
"""


def multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    boundary = "drill" + secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="documents"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def submit(port: int, address: str, *, urgent: bool) -> tuple[str, str | None, str | None]:
    """GET the form and POST it: (outcome, reference, sha256 of the file sent)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"X-Forwarded-For": address}
    try:
        connection.request("GET", "/inquiry/", headers=headers)
        response = connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        if response.status != 200:
            return f"form {response.status}", None, None
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        tokens = dict(HIDDEN.findall(page))
        content = pdf_bytes(secrets.token_hex(8))
        body, content_type = multipart(
            {**(URGENT_ANSWERS if urgent else ROUTINE_ANSWERS), **tokens}, "befund.pdf", content
        )
        connection.request(
            "POST",
            "/inquiry/",
            body=body,
            headers={**headers, "Content-Type": content_type, "Cookie": "; ".join(cookies)},
        )
        response = connection.getresponse()
        response.read()
        location = response.headers.get("Location", "")
        match = REFERENCE.search(location)
        if response.status == 302 and "/inquiry/sent/" in location and match:
            return "acknowledged", match.group(0), hashlib.sha256(content).hexdigest()
        return str(response.status), None, None
    except (OSError, http.client.HTTPException):
        return "connection error", None, None
    finally:
        connection.close()


class Load:
    """Visitors posting at a bounded total rate, each post from a new address, ports in turn."""

    def __init__(self, ports: list[int], *, rate: float, clients: int):
        self.ports, self.rate, self.clients = ports, rate, clients
        self.lock = threading.Lock()
        self.counter = itertools.count()
        self.next_slot = time.monotonic()
        self.outcomes: collections.Counter = collections.Counter()
        self.acknowledged: dict[str, str] = {}  # reference -> sha256 of the file sent
        self.urgent_sent = 0

    def _ticket(self) -> int:
        with self.lock:
            self.next_slot = max(self.next_slot + 1 / self.rate, time.monotonic())
            wait = self.next_slot - time.monotonic()
            number = next(self.counter)
        if wait > 0:
            time.sleep(wait)
        return number

    def _visitor(self, until: float) -> None:
        while time.monotonic() < until:
            number = self._ticket()
            address = f"198.{18 + (number >> 16) % 2}.{(number >> 8) % 256}.{number % 256}"
            urgent = number % 10 == 0
            outcome, reference, digest = submit(self.ports[number % len(self.ports)], address, urgent=urgent)
            with self.lock:
                self.outcomes[outcome] += 1
                if reference:
                    self.acknowledged[reference] = digest
                    self.urgent_sent += urgent

    def run(self, seconds: float) -> list[threading.Thread]:
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=self._visitor, args=(until,), daemon=True) for _ in range(self.clients)]
        for thread in threads:
            thread.start()
        return threads


def rate_limit_probe(ports: list[int], load: Load) -> dict:
    """Posts from one address, alternating between the two web processes, until the limiter has
    answered RATE_LIMIT + 5 of them (acknowledged or 429). Posts that met a killed process or the
    database outage do not count; they are bounded too."""
    # The limiter counts in fixed hourly windows: do not straddle the turn of one.
    if time.time() % 3600 > 3600 - 60:
        time.sleep(3600 - time.time() % 3600 + 1)
    answered = collections.Counter()
    refused_by_port = collections.Counter()
    for number in range(4 * RATE_LIMIT):
        if answered["acknowledged"] + answered["429"] >= RATE_LIMIT + 5:
            break
        port = ports[number % 2]
        outcome, reference, digest = submit(port, "198.19.255.254", urgent=False)
        answered[outcome] += 1
        if outcome == "429":
            refused_by_port[port] += 1
        if reference:
            with load.lock:
                load.acknowledged[reference] = digest
    return {
        "accepted": answered["acknowledged"],
        "refused_429": answered["429"],
        "ports_that_refused": len(refused_by_port),
        "other": {k: v for k, v in answered.items() if k not in ("acknowledged", "429")},
    }


# --- The checks -----------------------------------------------------------------------------------


def read_mail(directory: Path) -> collections.Counter:
    """(kind, reference) -> number of messages written by the file mail backend."""
    sent = collections.Counter()
    for path in directory.glob("*"):
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw)
            subject = str(email.header.make_header(email.header.decode_header(message.get("Subject", ""))))
            match = REFERENCE.search(subject)
            if not match:
                continue
            if subject.startswith("Urgent inquiry"):
                kind = "oncall"
            elif subject.startswith("Escalation"):
                kind = "escalation"
            else:
                kind = "confirmation"
            sent[kind, match.group(0)] += 1
    return sent


class QueueSampler(threading.Thread):
    """The largest number of waiting jobs seen, sampled every second."""

    def __init__(self, dsn: str):
        super().__init__(daemon=True)
        self.dsn, self.largest, self.running = dsn, 0, True

    def run(self) -> None:
        while self.running:
            with contextlib.suppress(psycopg2.Error):
                self.largest = max(self.largest, queue_state(self.dsn).get("READY", 0))
            time.sleep(1)


def queue_state(dsn: str) -> dict:
    with psycopg2.connect(dsn, connect_timeout=3) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
            "WHERE status IN ('READY', 'RUNNING') GROUP BY status"
        )
        return dict(cursor.fetchall())


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def check(dsn: str, media: Path, mail: Path, load: Load) -> tuple[dict, list[str]]:
    failures = []
    with psycopg2.connect(dsn) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, reference, triage_priority, created_at, confirmation_sent_at, oncall_notified_at "
            "FROM inquiries_inquiry"
        )
        inquiries = {row[1]: row for row in cursor.fetchall()}
        cursor.execute(
            "SELECT i.reference, a.file, a.sha256 FROM inquiries_attachment a "
            "JOIN inquiries_inquiry i ON i.id = a.inquiry_id"
        )
        files = collections.defaultdict(list)
        for reference, name, digest in cursor.fetchall():
            files[reference].append((name, digest))
        cursor.execute(
            "SELECT status, exception_class_path, count(*) FROM django_tasks_database_dbtaskresult "
            "GROUP BY status, exception_class_path"
        )
        jobs = {f"{status} {error}".strip(): count for status, error, count in cursor.fetchall()}
        cursor.execute(
            "SELECT (args_kwargs->'kwargs'->>'inquiry_id')::bigint FROM django_tasks_database_dbtaskresult "
            "WHERE exception_class_path LIKE '%WorkerLost%'"
        )
        recovered_ids = {row[0] for row in cursor.fetchall()}

    missing = [ref for ref in load.acknowledged if ref not in inquiries]
    bad_files = []
    for reference, sent_digest in load.acknowledged.items():
        stored = files.get(reference, [])
        if len(stored) != 1:
            bad_files.append(reference)
            continue
        name, digest = stored[0]
        path = media / name
        if digest != sent_digest or not path.exists() or hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            bad_files.append(reference)
    if missing:
        failures.append(f"{len(missing)} acknowledged inquiries missing from the database")
    if bad_files:
        failures.append(f"{len(bad_files)} acknowledged inquiries without their file, byte for byte")

    sent = read_mail(mail)
    expected = {("confirmation", ref) for ref in inquiries}
    expected |= {("oncall", ref) for ref, row in inquiries.items() if row[2] == "urgent"}
    lost = [key for key in expected if sent[key] == 0]
    doubled = [key for key, count in sent.items() if count > 1]
    # A worker SIGKILLed after the mail left but before its transaction committed: the recovered
    # job sends it again. That is the documented at-least-once delivery (docs/triage-workspace.md),
    # reported but not failed; any other duplicate is a bug.
    killed_in_flight = [key for key in doubled if key[1] in inquiries and inquiries[key[1]][0] in recovered_ids]
    doubled = [key for key in doubled if key not in killed_in_flight]
    unexpected = [key for key in sent if key not in expected and key[0] != "escalation"]
    if lost:
        failures.append(f"{len(lost)} e-mails never sent")
    if doubled:
        failures.append(f"{len(doubled)} e-mails sent more than once")
    if unexpected:
        failures.append(f"{len(unexpected)} e-mails about inquiries that are not in the database")

    # Urgent first. For each urgent inquiry: the routine confirmations already waiting when it
    # arrived (the backlog ahead of it), and how many of those were still sent before its alert.
    # A FIFO queue sends the whole backlog first; by priority only the jobs workers had already
    # claimed go first (django-tasks-db takes one at a time, a batching worker a batch each). An
    # alert that saw more than half of a backlog of 50+ go first, or waited longer than 60 s,
    # waited behind it. A job of a killed worker waits for its recovery: counted apart.
    confirmations = [(row[3], row[4]) for row in inquiries.values() if row[2] != "urgent" and row[4] is not None]
    urgent_latency, routine_latency, overtakes, backlogs, late_alerts, recovered_alerts = [], [], [], [], 0, 0
    for row in inquiries.values():
        if row[2] != "urgent" and row[4] is not None:
            routine_latency.append((row[4] - row[3]).total_seconds())
        if row[2] != "urgent" or row[5] is None:
            continue
        latency = (row[5] - row[3]).total_seconds()
        urgent_latency.append(latency)
        ahead = [sent_at for created, sent_at in confirmations if created < row[3] < sent_at]
        overtook = sum(1 for sent_at in ahead if sent_at < row[5])
        backlogs.append(len(ahead))
        overtakes.append(overtook)
        if (len(ahead) >= 50 and overtook > len(ahead) / 2) or latency > 60:
            if row[0] in recovered_ids:
                recovered_alerts += 1
            else:
                late_alerts += 1
    if late_alerts:
        failures.append(f"{late_alerts} urgent alerts waited behind the routine backlog")

    figures = {
        "inquiries in the database": len(inquiries),
        "acknowledged": len(load.acknowledged),
        "acknowledged but missing": len(missing),
        "acknowledged without their file intact": len(bad_files),
        "e-mails expected": len(expected),
        "e-mails sent (messages)": sum(sent.values()),
        "e-mails lost": len(lost),
        "e-mails doubled": len(doubled),
        "e-mails sent twice: in flight when their worker was SIGKILLed (at-least-once)": len(killed_in_flight),
        "urgent alerts": len(urgent_latency),
        "urgent alert latency p50 / max (s)": (
            round(percentile(urgent_latency, 0.5), 1),
            round(max(urgent_latency, default=0), 1),
        ),
        "confirmation latency p50 / max (s)": (
            round(percentile(routine_latency, 0.5), 1),
            round(max(routine_latency, default=0), 1),
        ),
        "routine backlog waiting when an urgent inquiry arrived, median / max": (
            statistics.median(backlogs) if backlogs else 0,
            max(backlogs, default=0),
        ),
        "of which sent before its alert, median / max": (
            statistics.median(overtakes) if overtakes else 0,
            max(overtakes, default=0),
        ),
        "urgent alerts delayed by a killed worker (recovered job)": recovered_alerts,
        "task jobs by final state": jobs,
    }
    return figures, failures


# --- The run --------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds of posting (60)")
    parser.add_argument("--rate", type=float, default=15, help="inquiries posted per second at most (15)")
    parser.add_argument("--clients", type=int, default=6, help="concurrent visitors (6)")
    parser.add_argument("--backlog", type=int, default=2000, help="routine inquiries queued before the start (2000)")
    parser.add_argument("--outage", type=float, default=10, help="seconds the database is down (10)")
    parser.add_argument("--drain-timeout", type=float, default=300, help="seconds to wait for the queue (300)")
    parser.add_argument("--keep", action="store_true", help="keep the working directory and its logs")
    args = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="portal-drill-"))
    base.chmod(0o755)  # the postgres user must reach its cluster below
    log(f"working directory {base}")
    pg = Postgres(base, free_port())
    redis_port = free_port()
    redis = None
    processes: list[Process] = []
    supervisor = None
    failures: list[str] = []
    passed = False
    try:
        pg.init()
        pg.start()
        connection = psycopg2.connect(pg.url("postgres"))
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        connection.cursor().execute("CREATE DATABASE portal_drill")
        connection.close()
        redis = subprocess.Popen(
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=base,
            start_new_session=True,
        )
        wait_until(lambda: redis_ping(redis_port), timeout=20, what="redis")

        for directory in ("media", "mail", "logs", "static"):
            (base / directory).mkdir()
        metrics_token = secrets.token_urlsafe(24)
        env = {
            **os.environ,
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "drill-" + secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_TRUSTED_PROXY_COUNT": "1",
            "DATABASE_URL": pg.url("portal_drill"),
            "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
            "EMAIL_URL": f"filemail:///{base / 'mail'}",
            "MEDIA_ROOT": str(base / "media"),
            "STATIC_ROOT": str(base / "static"),
            "TRIAGE_ONCALL_EMAILS": ONCALL,
            "INQUIRY_RATE_LIMIT_POSTS": str(RATE_LIMIT),
            # A killed worker's job is taken back after 30 s (by the clock, which looks every 10 s,
            # and by the other workers, which report in every 5 s).
            "TRIAGE_TASK_STALLED_SECONDS": "30",
            "TRIAGE_CHECK_INTERVAL_SECONDS": "10",
            "TRIAGE_WORKER_HEARTBEAT_SECONDS": "5",
            "TRIAGE_WORKER_SILENT_SECONDS": "30",
            "WEB_CONCURRENCY": "2",
            "METRICS_BEARER_TOKEN": metrics_token,
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        python = str(ROOT / ".venv" / "bin" / "python")
        log("migrating and collecting static files")
        for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
            subprocess.run([python, "manage.py", *command], env=env, cwd=ROOT, check=True, timeout=600)

        if args.backlog:
            log(f"queueing a backlog of {args.backlog} routine inquiries")
            seed = SEED.format(count=args.backlog, answers=ROUTINE_ANSWERS)
            subprocess.run([python, "manage.py", "shell", "-c", seed], env=env, cwd=ROOT, check=True, timeout=600)

        web_ports = [free_port(), free_port()]
        logs = base / "logs"
        for number, port in enumerate(web_ports, 1):
            web_env = {**env, "PORT": str(port), "PROMETHEUS_MULTIPROC_DIR": str(base / f"metrics-web{number}")}
            processes.append(Process(f"web{number}", "web", web_env, logs))
        for number in range(1, WORKERS + 1):
            processes.append(Process(f"worker{number}", "worker", env, logs))
        processes.append(Process("clock", "clock", env, logs))
        for process in processes:
            process.start()
        for port in web_ports:
            wait_until(lambda port=port: http_ok(port, "/readyz"), timeout=120, what=f"web on {port}")
        started = time.monotonic()
        supervisor = Supervisor(processes, started)
        supervisor.start()
        web2, worker1 = processes[1], processes[2]
        log(f"web on {web_ports}, {WORKERS} workers, clock; PostgreSQL :{pg.port}, Redis :{redis_port}")

        load = Load(web_ports, rate=args.rate, clients=args.clients)
        threads = load.run(args.duration)
        dsn = pg.url("portal_drill")
        sampler = QueueSampler(dsn)
        sampler.start()
        probe = {}
        prober = threading.Thread(target=lambda: probe.update(rate_limit_probe(web_ports, load)), daemon=True)
        prober.start()
        events = [
            (0.25 * args.duration, "kill worker1"),
            (0.40 * args.duration, "kill web2"),
            (0.55 * args.duration, "database outage"),
        ]
        outage_at = None
        for at, event in events:
            while time.monotonic() - started < at:
                time.sleep(0.5)
            log(f"t={time.monotonic() - started:.0f}s: {event}")
            if event == "kill worker1":
                worker1.kill()
            elif event == "kill web2":
                web2.kill()
            else:
                outage_at = time.monotonic() - started
                pg.stop("fast")
                time.sleep(args.outage)
                pg.start()
                log(f"t={time.monotonic() - started:.0f}s: database back")
        for thread in [*threads, prober]:
            thread.join()
        posting_ended = time.monotonic() - started
        log(f"posting ended at t={posting_ended:.0f}s: {dict(load.outcomes)}; waiting for the queue to drain")

        drain_started = time.monotonic()
        drained = False
        while time.monotonic() - drain_started < args.drain_timeout:
            state = queue_state(dsn)
            if not state:
                drained = True
                break
            time.sleep(2)
        drain_seconds = time.monotonic() - drain_started
        sampler.running = False
        if not drained:
            failures.append(f"queue not drained after {args.drain_timeout:.0f} s: {queue_state(dsn)}")
        figures, check_failures = check(dsn, base / "media", base / "mail", load)
        metrics = scrape(web_ports[0], metrics_token)
        if not metrics:
            failures.append("/metrics did not answer with the token")
        figures["/metrics of web1: form posts counted, e-mail jobs waiting"] = (
            sum(v for k, v in metrics.items() if k.startswith('portal_http_requests_total{method="POST"')),
            sum(v for k, v in metrics.items() if k.startswith("portal_tasks_waiting")),
        )
        failures += check_failures

        if probe.get("accepted", 0) > RATE_LIMIT or probe.get("refused_429", 0) < 5 or probe["ports_that_refused"] < 2:
            failures.append(f"rate limit did not hold across both web processes: {probe}")
        unexpected = {p.name: p.unexpected_exits for p in processes if p.unexpected_exits}
        if unexpected:
            failures.append(f"processes exited on their own: {unexpected}")

        print()
        print("Fault drill: two web processes, two workers, the clock, PostgreSQL and Redis on 127.0.0.1")
        rows = {
            "posting (s), rate cap (/s), visitors": (round(posting_ended), args.rate, args.clients),
            "responses to posts": dict(load.outcomes),
            "urgent inquiries acknowledged": load.urgent_sent,
            "SIGKILL": f"worker1 at {0.25 * args.duration:.0f}s, web2 at {0.40 * args.duration:.0f}s",
            "database stopped": f"at {outage_at:.0f}s for {args.outage:.0f}s (pg_ctl stop -m fast)",
            "backlog queued before the start (routine inquiries)": args.backlog,
            "largest queue seen (ready jobs)": sampler.largest,
            "queue drained after posting (s)": round(drain_seconds, 1) if drained else "no",
            **figures,
            "rate limit from one address over both ports": probe,
            "restarts by the supervisor": {p.name: p.restarts for p in processes if p.restarts},
            "exits nobody caused": unexpected or "none",
            "workers survived the database outage": "no"
            if any(p.unexpected_exits for p in processes if p.kind == "worker")
            else "yes",
        }
        width = max(len(name) for name in rows)
        for name, value in rows.items():
            print(f"  {name:<{width}}  {value}")
        print()
        print("RESULT:", "PASS" if not failures else "FAIL")
        for failure in failures:
            print("  -", failure)
        passed = not failures
        return 0 if passed else 1
    finally:
        if supervisor:
            supervisor.running = False
            supervisor.join(timeout=5)
        for process in processes:
            process.stop()
        if redis:
            os.killpg(redis.pid, signal.SIGTERM)
            redis.wait(timeout=10)
        with contextlib.suppress(subprocess.CalledProcessError, subprocess.TimeoutExpired):
            pg.stop("fast")
        if args.keep or not passed:
            log(f"kept {base} (logs in {base / 'logs'})")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

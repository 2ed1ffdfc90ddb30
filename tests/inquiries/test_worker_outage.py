"""The database stops under a running worker: it keeps running, waits, and sends every e-mail once.

A real outage needs a real server to stop, and the shared PostgreSQL must never be touched, so the
test starts its own throwaway cluster (initdb + pg_ctl, on a free port, in a temporary folder) and
runs the real `manage.py run_worker` against it in a subprocess. It runs with the PostgreSQL suite
(DATABASE_URL=postgres://…), where the binaries are known to be installed; on a SQLite-only run it
is skipped, as the other PostgreSQL-only tests are (the worker's logic under database errors is
covered on every database by test_worker.py). It takes about half a minute.
"""

import collections
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PG_BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
JOBS = 150

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql" or not PG_BINARIES,
    reason="runs with the PostgreSQL suite and needs PostgreSQL's initdb/pg_ctl (a throwaway cluster)",
)


def as_server_user(folder: Path) -> list[str]:
    """PostgreSQL refuses to run as root: then run its commands as the postgres user, who owns the folder."""
    if os.geteuid() != 0:
        return []
    try:
        owner = pwd.getpwnam("postgres")
    except KeyError:
        pytest.skip("running as root and there is no postgres user to run the throwaway server")
    os.chown(folder, owner.pw_uid, owner.pw_gid)
    return ["runuser", "-u", "postgres", "--"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    """A PostgreSQL server of our own: initdb in a temporary folder, started and stopped with pg_ctl."""

    def __init__(self, folder: Path):
        self.bin = Path(PG_BINARIES[-1])
        self.prefix = as_server_user(folder)
        self.data = folder / "data"
        self.port = free_port()
        self.log = folder / "postgres.log"
        subprocess.run(
            [*self.prefix, self.bin / "initdb", "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync"],
            check=True,
            capture_output=True,
        )
        self.options = f"-p {self.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"

    def start(self) -> None:
        subprocess.run(
            [*self.prefix, self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", self.options, "-w", "start"],
            check=True,
            capture_output=True,
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            [*self.prefix, self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"],
            check=False,
            capture_output=True,
        )

    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/portal_outage"


@pytest.fixture
def cluster(tmp_path):
    # A short folder name (the server's socket path must stay under about 100 characters) that the
    # postgres user can reach, which pytest's tmp_path under /root is not.
    folder = Path(f"/tmp/portal-outage-{os.getpid()}-{free_port()}")  # noqa: S108
    folder.mkdir()
    try:
        cluster = Cluster(folder)
        cluster.start()
        subprocess.run(
            [cluster.bin / "createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "portal_outage"],
            check=True,
            capture_output=True,
        )
        yield cluster
    except subprocess.CalledProcessError as error:
        pytest.fail(f"the throwaway cluster did not start: {error.stderr!r}")
    finally:
        if "cluster" in locals():
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def test_the_worker_outlasts_a_stopped_database_and_sends_every_e_mail_once(cluster, tmp_path):
    mail_log = tmp_path / "mail.log"
    mail_log.touch()
    env = {
        **os.environ,
        "DATABASE_URL": cluster.url(),
        "DJANGO_SETTINGS_MODULE": "tests.inquiries.outage_settings",
        "PORTAL_TEST_MAIL_LOG": str(mail_log),
        "TRIAGE_WORKER_HEARTBEAT_SECONDS": "1",
        "LOG_LEVEL": "INFO",
    }

    def support(*args):
        return subprocess.run(
            [sys.executable, "-m", "tests.inquiries.outage_support", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    support("seed", str(JOBS))
    log = tmp_path / "worker.log"
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-reload", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        sent = lambda: mail_log.read_text().count("\n")  # noqa: E731
        deadline = time.monotonic() + 60
        while sent() < 30 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert sent() >= 30, log.read_text()
        cluster.stop("fast")  # the database goes away in the middle of the backlog
        time.sleep(5)
        assert worker.poll() is None, log.read_text()
        cluster.start()
        deadline = time.monotonic() + 60
        while sent() < JOBS + 1 and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(1)  # anything sent twice would show up now
        assert worker.poll() is None, log.read_text()
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    recipients = collections.Counter(line.split("\t")[0] for line in mail_log.read_text().splitlines())
    assert len(recipients) == JOBS + 1, "an e-mail was lost"
    assert set(recipients.values()) == {1}, f"sent twice: {[r for r, n in recipients.items() if n > 1]}"
    state = json.loads(support("report"))
    assert (state["unsent"], state["oncall_sent"], state["queued"]) == (0, 1, 0)
    text = log.read_text()
    assert text.count("the database is unreachable") == 1, text
    assert text.count("the database answers again") == 1, text

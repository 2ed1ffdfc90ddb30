# make bench: run
"""Public page latency with and without a login flood, and the 50-wrong-passwords probe (not a test).

Usage: .venv/bin/python bench/login_flood.py [--seconds 15] [--flooders 4] [--port 8765]

Starts gunicorn (2 sync workers, production settings, a throwaway SQLite database under /tmp,
Django's real password hasher) on 127.0.0.1 only, and measures:

1. the probe: 50 wrong passwords for one account from one address, then the right one; the
   account+address is locked after 5; `manage.py unlock_account` lets the right password in;
2. the latency of GET /articles/ (sequential requests for --seconds) with no flood, with
   --flooders clients posting wrong passwords for the locked account as fast as they can, and with
   the same flood against ever new user names (each attempt then costs a password hash, as every
   attempt did before the lockout existed).

Every request goes to 127.0.0.1; each phase stops after --seconds; the server is stopped at the end.
"""

import argparse
import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
USERNAME = "bench-triage"


def environment(database: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "bench-only-" + secrets.token_hex(24),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "ERROR",
    }


def manage(env, *args, stdin=None):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True, input=stdin
    ).stdout


class Client:
    """One connection with its own cookies; a login needs the CSRF cookie and token from the form."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies = {}

    def csrf_token(self):
        _, form = self.request("GET", "/admin/login/")
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    def request(self, method, path, body=None):
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, text

    def login(self, username, password, token=None):
        if token is None:
            token = self.csrf_token()
        body = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/admin/"})
        status, _ = self.request("POST", "/admin/login/", body)
        return status


def probe(port, env, password):
    client = Client(port)
    statuses = [client.login(USERNAME, f"wrong-{n}") for n in range(50)]
    first_locked = statuses.index(429) + 1 if 429 in statuses else None
    right_while_locked = client.login(USERNAME, password)
    manage(env, "unlock_account", USERNAME)
    right_after_unlock = Client(port).login(USERNAME, password)
    counted = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(f"probe: 50 wrong passwords -> statuses {counted}")
    print(f"probe: first refused as locked: attempt {first_locked}")
    print(f"probe: right password while locked -> {right_while_locked} (429 = refused)")
    print(f"probe: right password after `manage.py unlock_account` -> {right_after_unlock} (302 = logged in)")
    # Lock the account again for the flood phase.
    client = Client(port)
    for n in range(5):
        client.login(USERNAME, f"wrong-again-{n}")


def latency(port, seconds):
    client = Client(port)
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        start = time.perf_counter()
        status, _ = client.request("GET", "/articles/")
        samples.append((time.perf_counter() - start) * 1000)
        assert status == 200, status
    samples.sort()
    return {
        "requests": len(samples),
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
    }


def flood(port, seconds, flooders, *, rotate_usernames):
    stop = time.monotonic() + seconds
    counts = []

    def run():
        client, n = Client(port), 0
        token = client.csrf_token()  # fetched once, as a script would
        while time.monotonic() < stop:
            name = f"nobody-{secrets.token_hex(4)}" if rotate_usernames else USERNAME
            client.login(name, "wrong-password", token)
            n += 1
        counts.append(n)

    threads = [threading.Thread(target=run, daemon=True) for _ in range(flooders)]
    for thread in threads:
        thread.start()
    return threads, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--flooders", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    options = parser.parse_args()

    database = Path(tempfile.gettempdir()) / f"portal-bench-{os.getpid()}.sqlite3"
    env = environment(database)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    password = secrets.token_urlsafe(16)
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_user({USERNAME!r}, password={password!r}, is_staff=True)",
    )
    server = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{options.port}",
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                Client(options.port).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        probe(options.port, env, password)
        print(f"load before: {os.getloadavg()}")
        print(f"no flood:                          {latency(options.port, options.seconds)}")
        for label, rotate in (
            ("flood on the locked account:       ", False),
            ("flood, new user name each attempt:", True),
        ):
            threads, counts = flood(options.port, options.seconds, options.flooders, rotate_usernames=rotate)
            result = latency(options.port, options.seconds)
            for thread in threads:
                thread.join()
            rate = round(sum(counts) / options.seconds, 1)
            print(f"{label} {result} flood: {rate} login posts/s from {options.flooders} clients")
        print(f"load after: {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()

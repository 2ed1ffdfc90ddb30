"""Public pages against the floor: req/s of each page next to /healthz, from the cache and uncached.

# make bench: run

Usage: .venv/bin/python bench/public_pages.py [--seconds 3] [--rounds 3] [--hospitals 2000] [--events 200000]
       [--reuse] [--build-only] [--pages "article detail,status.json"]

What it does, on this machine only (127.0.0.1):
1. Builds two PostgreSQL databases of its own (never the portal's): the demo content with its 30
   hospitals, and a copy with 2,000 hospitals and 200,000 admission-status events (COPY).
2. Starts gunicorn with 2 workers and the production settings (Redis as the cache, DB 13).
3. For each public page on the large database, runs `wrk -t2 -c8` (a small Python load generator
   when wrk is missing) in rounds of /healthz, the page from the cache, the page missing the cache
   (a unique query string per request), and prints the medians and their share of /healthz.
4. Times the directory (three filters; no filter, a full page) and status.json/csv, uncached, at 30
   and at 2,000 hospitals.

Environment: BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432), BENCH_REDIS (default
redis://127.0.0.1:6379/13), BENCH_DATABASE_PREFIX (default portal_bench_pages, for a server shared
with others). Prints a Markdown table; nothing is asserted (tests/bench/ checks the query counts
and plans in CI).
"""

import argparse
import contextlib
import csv
import datetime
import io
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/13")
# BENCH_DATABASE_PREFIX: for a PostgreSQL server shared with others (each their own databases).
_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "portal_bench_pages")
SMALL_DB, LARGE_DB = f"{_PREFIX}_small", f"{_PREFIX}_large"
FORWARDED = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front says; no redirect to https


# --- data ---------------------------------------------------------------------------------------


def django_env(database: str, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PORTAL_TEST"))}
    env.update(
        DATABASE_URL=f"{POSTGRES}/{database}",
        CACHE_URL=REDIS,
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        **extra,
    )
    return env


def manage(database: str, *args: str, **extra) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=django_env(database, **extra), check=True)


def psql(sql: str) -> None:
    subprocess.run(["psql", f"{POSTGRES}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True)


def build_databases(hospitals: int, events: int) -> None:
    print(f"Building {SMALL_DB} (demo content) and {LARGE_DB} ({hospitals} hospitals, {events} events)…")
    for name in (LARGE_DB, SMALL_DB):
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {SMALL_DB}")
    manage(SMALL_DB, "migrate", "--no-input", "--verbosity", "0")
    manage(SMALL_DB, "load_demo_content")
    psql(f"CREATE DATABASE {LARGE_DB} TEMPLATE {SMALL_DB}")
    subprocess.run(
        [PYTHON, __file__, "generate", "--hospitals", str(hospitals), "--events", str(events)],
        cwd=ROOT,
        env=django_env(LARGE_DB),
        check=True,
    )


def generate(hospitals: int, events: int) -> None:
    """Runs inside Django (the large database): hospitals in bulk, their events by COPY."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from hospitals.models import AdmissionStatus, FederalState, Hospital, HospitalCertification, HospitalKind
    from taxonomy.models import Treatment

    started = time.perf_counter()
    random.seed(11)
    existing = Hospital.objects.count()
    cities = [f"Stadt {index:03d}" for index in range(400)]  # about as many as Germany's hospital towns
    states = list(FederalState.values)
    created = Hospital.objects.bulk_create(
        (
            Hospital(
                name=f"Benchklinik {index:04d}",
                slug=f"benchklinik-{index:04d}",
                kind=random.choice(HospitalKind.values),
                street_address=f"Musterweg {index}",
                postcode=f"{10000 + index % 89999:05d}",
                city=random.choice(cities),
                state=random.choice(states),
                is_sample=True,
            )
            for index in range(hospitals - existing)
        ),
        batch_size=1000,
    )
    treatments = list(Treatment.objects.all())
    Through = Hospital.treatments.through
    Through.objects.bulk_create(
        (
            Through(hospital=hospital, treatment=treatment)
            for hospital in created
            for treatment in random.sample(treatments, 2)
        ),
        batch_size=5000,
    )
    certification = HospitalCertification.objects.select_related("certification").first().certification
    today = timezone.localdate()
    HospitalCertification.objects.bulk_create(
        HospitalCertification(
            hospital=hospital,
            certification=certification,
            valid_from=today - datetime.timedelta(days=300),
            valid_until=today + datetime.timedelta(days=400),
        )
        for hospital in created[::7]
    )
    now = timezone.now()
    per_hospital = max(1, events // len(created))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    statuses = [
        AdmissionStatus.Status.ACCEPTING,
        AdmissionStatus.Status.URGENT_ONLY,
        AdmissionStatus.Status.NOT_ACCEPTING,
    ]
    for hospital in created:
        for step in range(per_hospital):
            days_ago = (per_hospital - step) * 3 + random.randint(0, 2) - 3
            status = random.choice(statuses)
            writer.writerow(
                [
                    hospital.pk,
                    status,
                    (today - datetime.timedelta(days=days_ago)).isoformat(),
                    "",
                    "capacity" if status != AdmissionStatus.Status.ACCEPTING else "",
                    "",
                    "phone",
                    "",
                    (now - datetime.timedelta(days=days_ago, hours=random.randint(0, 20))).isoformat(),
                    now.isoformat(),
                ]
            )
    buffer.seek(0)
    table = AdmissionStatus._meta.db_table
    with connection.cursor() as cursor:
        # The CSV's columns in this order; an empty valid_until is NULL, empty texts are empty.
        cursor.copy_expert(
            f"COPY {table} (hospital_id, status, effective_from, note, reason, valid_until, source, "
            "source_reference, verified_at, recorded_at) FROM STDIN "
            "WITH (FORMAT csv, FORCE_NOT_NULL (note, reason, source_reference))",
            buffer,
        )
        cursor.execute("ANALYZE")
    print(
        f"  {Hospital.objects.count()} hospitals, {AdmissionStatus.objects.count()} status events "
        f"in {time.perf_counter() - started:.1f} s"
    )


# --- the server and the load ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def server(database: str, static_root: str):
    port = free_port()
    # gunicorn.conf.py recycles workers every ~1,000 requests: not in the middle of a measurement.
    env = django_env(database, STATIC_ROOT=static_root, GUNICORN_MAX_REQUESTS="0")
    process = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "portal.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                if get(base + "/healthz")[0] == 200:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def server_cpu_seconds(session: int) -> float:
    """CPU time (user + system) used so far by the server's processes (gunicorn's session), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session:  # field 6 of stat, counted after the command's name
                total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def measured(session: int, seconds: int, rates: list, cpu_ms: list, url: str, **kwargs) -> None:
    """One load run: its req/s into `rates`, the server's CPU milliseconds per request into `cpu_ms`."""
    before = server_cpu_seconds(session)
    rate = load(url, seconds, **kwargs)
    rates.append(rate)
    cpu_ms.append((server_cpu_seconds(session) - before) * 1000 / max(1, rate * seconds))


def get(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=FORWARDED)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


UNIQUE_QUERY_LUA = """
local counter = 0
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
function request()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "bench=" .. id .. "-" .. counter .. "-" .. math.random(1e9))
end
"""


def load(url: str, seconds: int, *, unique: bool = False, gzip: bool = False) -> float:
    """Requests per second for `url` with 2 threads and 8 connections (as a client accepting gzip)."""
    if shutil.which("wrk"):
        command = ["wrk", "-t2", "-c8", f"-d{seconds}s", "-H", "X-Forwarded-Proto: https"]
        if gzip:
            command += ["-H", "Accept-Encoding: gzip"]
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
            script.write(UNIQUE_QUERY_LUA)
        if unique:
            command += ["-s", script.name]
        output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
        os.unlink(script.name)
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors:
            raise RuntimeError(f"{url}: {errors.group(1)} error responses")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return python_load(url, seconds, unique=unique, gzip=gzip)


def python_load(url: str, seconds: int, *, unique: bool, gzip: bool = False) -> float:
    """A small stand-in for wrk: 8 keep-alive connections in threads (slower; it shares the CPUs)."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = [0] * 8

    def worker(index):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        while time.monotonic() < deadline:
            target = path
            if unique:
                target += ("&" if "?" in path else "?") + f"bench={index}-{counts[index]}-{random.random()}"
            connection.request("GET", target, headers={**FORWARDED, **({"Accept-Encoding": "gzip"} if gzip else {})})
            connection.getresponse().read()
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / seconds


def flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS).flushdb()


def latency_ms(url: str, session: int, repeat: int = 15) -> dict:
    """One uncached request (a unique query string each time), after warming up: the median and the
    fastest wall time, and the web server's CPU time per request (the mean: the kernel counts in
    10 ms ticks; PostgreSQL's own time is not in it)."""
    times = []
    for index in range(repeat + 3):
        if index == 3:
            cpu_before = server_cpu_seconds(session)
        separator = "&" if "?" in url else "?"
        started = time.perf_counter()
        status, _body = get(f"{url}{separator}bench=latency-{index}-{random.random()}")
        elapsed = time.perf_counter() - started
        assert status == 200, (url, status)
        if index >= 3:
            times.append(elapsed * 1000)
    cpu = (server_cpu_seconds(session) - cpu_before) * 1000 / repeat
    return {"median": statistics.median(times), "fastest": min(times), "cpu": cpu}


# --- the run ---------------------------------------------------------------------------------------


def public_urls(base: str) -> dict[str, str]:
    html = get(base + "/articles/")[1].decode()
    article = re.search(r'href="(/articles/(?!feed)[a-z0-9-]+/)"', html).group(1)
    status = json.loads(get(base + "/hospitals/status.json")[1])
    profile = status["hospitals"][len(status["hospitals"]) // 2]["url"]
    return {
        "/": "/",
        "/articles/": "/articles/",
        "article detail": article,
        "/articles/feed/": "/articles/feed/",
        "/hospitals/": "/hospitals/",
        "directory, three filters": THREE_FILTERS,
        "hospital profile": profile,
        "/hospitals/status.json": "/hospitals/status.json",
        # The same, for a client that accepts gzip (browsers, curl --compressed, most libraries).
        "/hospitals/status.json, gzip": "/hospitals/status.json",
        "/hospitals/status.csv": "/hospitals/status.csv",
        "/sitemap.xml": "/sitemap.xml",
        "/imprint/": "/imprint/",
        "GET /inquiry/ (never cached)": "/inquiry/",
    }


THREE_FILTERS = "/hospitals/?state=BY&treatment=lutetium-177-prrt&status=accepting"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=3, help="length of each load run")
    parser.add_argument("--rounds", type=int, default=3, help="A B A B rounds per page (medians)")
    parser.add_argument("--hospitals", type=int, default=2000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--reuse", action="store_true", help="keep the databases of the last run")
    parser.add_argument("--build-only", action="store_true", help="build the databases and stop")
    parser.add_argument("--pages", help="measure only the pages whose label contains one of these (comma-separated)")
    options = parser.parse_args()

    load_at_start = os.getloadavg()
    if not options.reuse:
        build_databases(options.hospitals, options.events)
    if options.build_only:
        return
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    manage(SMALL_DB, "collectstatic", "--no-input", "--verbosity", "0", STATIC_ROOT=static_root)

    latencies = {}
    for label, database in (("30", SMALL_DB), (str(options.hospitals), LARGE_DB)):
        flush_redis()
        with server(database, static_root) as (base, session):
            latencies[label] = {
                "directory, three filters": latency_ms(base + THREE_FILTERS, session),
                # A full page of 20 results at both sizes (the three filters find none among the 30).
                "directory, no filter": latency_ms(base + "/hospitals/", session),
                "status.json": latency_ms(base + "/hospitals/status.json", session),
                "status.csv": latency_ms(base + "/hospitals/status.csv", session),
            }
            if database != LARGE_DB:
                continue
            urls = public_urls(base)
            if options.pages:
                wanted = [part.strip() for part in options.pages.split(",") if part.strip()]
                urls = {label: path for label, path in urls.items() if any(part in label for part in wanted)}
            rows = []
            for label_page, path in urls.items():
                floor, hits, misses = [], [], []
                cpu = {"floor": [], "hit": [], "miss": []}
                packed = label_page.endswith("gzip")
                for _round in range(options.rounds):
                    measured(session, options.seconds, floor, cpu["floor"], base + "/healthz")
                    get(base + path)  # into the cache
                    measured(session, options.seconds, hits, cpu["hit"], base + path, gzip=packed)
                    measured(session, options.seconds, misses, cpu["miss"], base + path, unique=True, gzip=packed)
                    flush_redis()  # the unique pages of the miss run
                rows.append(
                    (
                        label_page,
                        statistics.median(floor),
                        statistics.median(hits),
                        statistics.median(misses),
                        {kind: statistics.median(values) for kind, values in cpu.items()},
                    )
                )
                print(f"  measured {label_page}", file=sys.stderr)

    load_average = os.getloadavg()
    tool = "wrk -t2 -c8" if shutil.which("wrk") else "a Python load generator (8 connections)"
    print(
        f"\n{options.hospitals} hospitals, {options.events} status events; gunicorn 2 workers, production "
        f"settings, Redis cache; {tool}, {options.seconds} s runs, median of {options.rounds} rounds (A B A B)."
    )
    print(
        f"Load average (1, 5, 15 min) at the start: {' '.join(f'{value:.2f}' for value in load_at_start)}; "
        f"at the end: {' '.join(f'{value:.2f}' for value in load_average)} (2 cores)\n"
    )
    print("| Page | /healthz req/s | cached req/s | share | cache miss req/s | share |")
    print("|---|---|---|---|---|---|")
    for label_page, floor, hit, miss, _cpu in rows:
        share_hit, share_miss = (f"{hit / floor:.0%}", f"{miss / floor:.1%}") if floor else ("n/a", "n/a")
        print(f"| {label_page} | {floor:,.0f} | {hit:,.0f} | {share_hit} | {miss:,.0f} | {share_miss} |")
    # Throughput depends on what else runs on the machine; the server's own CPU time per request does
    # not (much): the same shares, from CPU time (floor's CPU per request / the page's).
    print("\n| Page | server CPU per request: /healthz | cached | share | cache miss | share |")
    print("|---|---|---|---|---|---|")
    for label_page, _floor, _hit, _miss, cpu in rows:
        floor_ms, hit_ms, miss_ms = cpu["floor"], cpu["hit"], cpu["miss"]
        print(
            f"| {label_page} | {floor_ms:.2f} ms | {hit_ms:.2f} ms | {floor_ms / hit_ms:.0%} | {miss_ms:.2f} ms "
            f"| {floor_ms / miss_ms:.1%} |"
        )
    small, large = latencies["30"], latencies[str(options.hospitals)]
    print(
        f"\n| Uncached, one request (median of 15; fastest; server CPU) | 30 hospitals | {options.hospitals} "
        "hospitals | ratio of medians | ratio of fastest |"
    )
    print("|---|---|---|---|---|")
    for name in small:
        one, other = small[name], large[name]
        print(
            f"| {name} | {one['median']:.1f} ms; {one['fastest']:.1f} ms; {one['cpu']:.1f} ms "
            f"| {other['median']:.1f} ms; {other['fastest']:.1f} ms; {other['cpu']:.1f} ms "
            f"| {other['median'] / one['median']:.2f} | {other['fastest'] / one['fastest']:.2f} |"
        )
    shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "generate":
        arguments = argparse.ArgumentParser()
        arguments.add_argument("command")
        arguments.add_argument("--hospitals", type=int)
        arguments.add_argument("--events", type=int)
        parsed = arguments.parse_args()
        generate(parsed.hospitals, parsed.events)
    else:
        main()

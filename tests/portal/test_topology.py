"""The Procfile is the one description of the processes; gunicorn's file and the clock follow it."""

import datetime
import logging
import runpy
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from gunicorn.config import Config

from portal.management.commands import run_schedule

ROOT = Path(__file__).resolve().parents[2]


def load_run_process() -> dict:
    return runpy.run_path(str(ROOT / "scripts" / "run-process"), run_name="run_process")


def test_the_procfile_names_web_worker_and_clock_and_run_process_reads_it():
    commands = load_run_process()["procfile_commands"](ROOT / "Procfile")
    assert commands == {
        "web": "gunicorn portal.wsgi --config gunicorn.conf.py",
        "worker": "python manage.py run_worker",
        "clock": "python manage.py run_schedule",
    }


def test_make_serve_and_the_systemd_units_start_the_procfile_not_commands_of_their_own():
    makefile = (ROOT / "Makefile").read_text()
    serve = makefile[makefile.index("\nserve:") : makefile.index("\ndrill:")]
    commands = "\n".join(line for line in serve.splitlines() if not line.strip().startswith("@#"))
    assert "honcho start" in commands and "gunicorn" not in commands and "run_worker" not in commands
    for name in ("portal-web.service", "portal-worker@.service", "portal-clock.service"):
        unit = ROOT / "deploy" / "systemd" / name
        exec_start = [line for line in unit.read_text().splitlines() if line.startswith("ExecStart=")]
        assert exec_start and all("scripts/run-process " in line for line in exec_start), unit.name


def gunicorn_config(monkeypatch, **environ) -> Config:
    for name in ("WEB_CONCURRENCY", "PORT", "HOST", "FORWARDED_ALLOW_IPS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    config = Config()
    namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return config


def test_gunicorn_reads_its_workers_port_and_proxy_addresses_from_the_environment(monkeypatch):
    config = gunicorn_config(monkeypatch, WEB_CONCURRENCY="5", PORT="8123", FORWARDED_ALLOW_IPS="10.0.0.5")
    assert config.workers == 5
    assert config.bind == ["127.0.0.1:8123"]
    assert config.forwarded_allow_ips == ["10.0.0.5"]


def test_gunicorns_defaults_recycle_workers_with_jitter_and_log_no_query_strings(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config.workers >= 2 and config.threads == 1
    assert config.max_requests == 1000 and config.max_requests_jitter == 100
    assert config.timeout == 30 and config.graceful_timeout == 30
    assert config.bind == ["127.0.0.1:8000"]
    assert "%(q)s" not in config.access_log_format and "%(r)s" not in config.access_log_format
    assert "%(f)s" not in config.access_log_format  # the referrer carries query strings too
    assert config.control_socket_disable


# --- The clock --------------------------------------------------------------------------------


def at(hour, minute, day=3):
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute))


def test_a_daily_job_runs_once_a_local_day_after_its_time():
    purge = run_schedule.Job("purge_closed_inquiries", daily_at=datetime.time(3, 30))
    assert not purge.is_due(at(3, 29), None)
    assert purge.is_due(at(3, 30), None)
    assert not purge.is_due(at(23, 0), at(3, 31))
    assert purge.is_due(at(3, 31, day=4), at(3, 31))


def test_a_periodic_job_runs_at_once_and_then_every_interval(settings):
    settings.TRIAGE_CHECK_INTERVAL_SECONDS = 300
    check = run_schedule.Job("escalate_overdue", every_setting="TRIAGE_CHECK_INTERVAL_SECONDS")
    assert check.is_due(at(10, 0), None)
    assert not check.is_due(at(10, 4), at(10, 0))
    assert check.is_due(at(10, 5), at(10, 0))


@pytest.mark.django_db
def test_the_clock_runs_what_is_due_and_outlives_a_database_outage(monkeypatch, caplog):
    ran = []

    def fake_call_command(name, **options):
        ran.append(name)
        if name == "escalate_overdue":
            raise OperationalError("could not connect: FATAL … Alex Example, melanoma")

    monkeypatch.setattr(run_schedule, "call_command", fake_call_command)
    last_runs = {}
    with caplog.at_level(logging.INFO, logger=run_schedule.__name__):
        run_schedule.run_due(last_runs)
    assert "escalate_overdue" in ran
    assert "escalate_overdue" not in last_runs  # failed: tried again at the next turn
    assert "Scheduled escalate_overdue failed (OperationalError)" in caplog.text
    assert "melanoma" not in caplog.text


@pytest.mark.django_db
def test_the_clock_once_runs_the_real_escalation_check():
    call_command("run_schedule", "--once")

"""The settings module as production sees it: started in fresh processes with a real environment."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-of-at-least-fifty-characters-0123456789",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-check-deploy.sqlite3",
    # Several worker processes share one cache, or a page refreshed in one stays old in another.
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


# The process starts without the test run's own configuration: CI sets DATABASE_URL (and may set
# CACHE_URL) for the suite, and `manage.py check` connects to that database (GeneratedField asks
# the server what it supports), so "no configuration" must really mean none.
CONFIGURATION_VARIABLES = {"DATABASE_URL", "CACHE_URL"}


def run_manage(*args, environment):
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in CONFIGURATION_VARIABLES
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **environment},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_configuration_passes_the_deployment_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", environment=PRODUCTION_ENVIRONMENT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_missing_secret_key_outside_debug_is_a_clear_startup_error():
    environment = {key: value for key, value in PRODUCTION_ENVIRONMENT.items() if key != "DJANGO_SECRET_KEY"}
    result = run_manage("check", environment=environment)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_needs_no_configuration_at_all():
    result = run_manage("check", environment={"DJANGO_DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_the_database_and_cache_come_from_urls():
    environment = {
        **PRODUCTION_ENVIRONMENT,
        "DATABASE_URL": "postgres://portal:secret@db.internal:5433/portal",
        "CACHE_URL": "redis://127.0.0.1:6379/3",
    }
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['PORT'], s.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **environment, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "5433",
        "pagecache.backends.RedisCache",  # Django's, sharing one client (pagecache/backends.py)
    ], result.stderr


def test_static_files_build_into_a_hashed_compressed_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/bootstrap/bootstrap.min.css" in manifest
    assert list((tmp_path / "static" / "portal" / "css").glob("portal.*.css.gz"))


def test_private_media_is_not_under_anything_served():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.MEDIA_ROOT); print(s.STATIC_ROOT); print(*s.STATICFILES_DIRS, sep=chr(10))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **PRODUCTION_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": "portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    media, *served = (Path(line).resolve() for line in result.stdout.splitlines())
    assert served, result.stderr
    for folder in served:
        assert not media.is_relative_to(folder)
        assert not folder.is_relative_to(media)


@pytest.mark.django_db
def test_private_media_url_is_not_routed(client):
    assert client.get("/private-media-not-served/anything.pdf").status_code == 404


def test_error_report_addresses_are_plain_addresses():
    code = "import django; django.setup(); from django.conf import settings as s; print(*s.ADMINS)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **os.environ,
            **PRODUCTION_ENVIRONMENT,
            "DJANGO_ADMINS": "ops@example.org,Jane Doe:jane@example.org",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["ops@example.org", "jane@example.org"], result.stderr

"""scripts/backup.sh and scripts/restore.sh: inquiries and their documents survive a round trip.

PostgreSQL only (production's database; backup.sh refuses SQLite). CI runs the suite on
PostgreSQL, where this test must run: under CI=true a missing pg_dump fails instead of skipping.
"""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import psycopg2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from inquiries.models import Attachment, Inquiry
from tests.inquiries.helpers import JPEG_BYTES, PDF_BYTES, pdf, urgent_net_data, valid_data
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db(transaction=True)
SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def postgres_url():
    if connection.vendor != "postgresql":
        pytest.skip("backup and restore need PostgreSQL (run with DATABASE_URL=postgres://…)")
    missing = [tool for tool in ("pg_dump", "pg_restore", "psql", "sha256sum") if not shutil.which(tool)]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL client tools missing: {missing}")
        pytest.skip(f"PostgreSQL client tools missing: {missing}")
    params = connection.settings_dict
    return "postgres://{USER}@{HOST}:{PORT}/{{name}}".format(**{**params, "PORT": params["PORT"] or 5432})


@pytest.fixture
def fresh_database(postgres_url):
    """An empty database next to the test database, dropped afterwards."""
    name = connection.settings_dict["NAME"] + "_restored"
    admin = psycopg2.connect(postgres_url.format(name="postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.format(name=name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def run(script, *args, env):
    return subprocess.run(
        [str(SCRIPTS / script), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )


def backup(settings, tmp_path) -> str:
    """Back up the test database and MEDIA_ROOT; the new backup directory."""
    source = {"DATABASE_URL": source_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    return run("backup.sh", str(tmp_path / "backups"), env=source).stdout.strip()


def source_url() -> str:
    params = connection.settings_dict
    return f"postgres://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}/{params['NAME']}"


def test_a_backup_restores_every_inquiry_and_document_into_a_fresh_database_and_directory(
    settings, tmp_path, postgres_url, fresh_database
):
    submit(urgent_net_data(), files=[pdf(), SimpleUploadedFile("scan.jpg", JPEG_BYTES, "image/jpeg")])
    submit(valid_data(email="second@example.invalid"), files=[pdf("arztbrief.pdf", PDF_BYTES + b"% second\n")])
    submit(valid_data(email="third@example.invalid"))
    original = {
        inquiry.reference: sorted((a.original_name, a.sha256) for a in inquiry.attachments.all())
        for inquiry in Inquiry.objects.prefetch_related("attachments")
    }
    stored = {a.file.name: a.sha256 for a in Attachment.objects.all()}
    assert len(original) == 3 and len(stored) == 3

    source_url = postgres_url.format(name=connection.settings_dict["NAME"])
    backup_dir = run(
        "backup.sh",
        str(tmp_path / "backups"),
        env={"DATABASE_URL": source_url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
    ).stdout.strip()
    assert sorted(os.listdir(backup_dir)) == ["MANIFEST", "SHA256SUMS", "database.dump", "media.sha256", "media.tar"]
    assert oct(os.stat(backup_dir).st_mode & 0o777) == "0o700"  # health data: the operator's eyes only

    restored_media = tmp_path / "restored-media"
    run("restore.sh", backup_dir, env={"DATABASE_URL": fresh_database, "MEDIA_ROOT": str(restored_media)})

    with psycopg2.connect(fresh_database) as restored, restored.cursor() as cursor:
        cursor.execute(
            "SELECT i.reference, a.original_name, a.sha256, a.file FROM inquiries_inquiry i "
            "LEFT JOIN inquiries_attachment a ON a.inquiry_id = i.id"
        )
        rows = cursor.fetchall()
    restored.close()
    came_back: dict[str, list] = {}
    for reference, name, digest, path in rows:
        came_back.setdefault(reference, [])
        if name is not None:
            came_back[reference].append((name, digest))
            # The file is there, and its content is what the patient sent.
            assert hashlib.sha256((restored_media / path).read_bytes()).hexdigest() == digest == stored[path]
    assert {reference: sorted(files) for reference, files in came_back.items()} == original


def test_restore_refuses_a_database_that_is_not_fresh(settings, tmp_path, postgres_url):
    submit(valid_data(), files=[pdf()])
    backup_dir = backup(settings, tmp_path)
    into_itself = {"DATABASE_URL": source_url(), "MEDIA_ROOT": str(tmp_path / "elsewhere")}
    with pytest.raises(subprocess.CalledProcessError) as refused:
        run("restore.sh", backup_dir, env=into_itself)
    assert "restore into a fresh one" in refused.value.stderr


def test_restore_refuses_a_backup_whose_checksums_do_not_match(settings, tmp_path, postgres_url, fresh_database):
    submit(valid_data(), files=[pdf()])
    source_url = postgres_url.format(name=connection.settings_dict["NAME"])
    backup_dir = run(
        "backup.sh",
        str(tmp_path / "backups"),
        env={"DATABASE_URL": source_url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)},
    ).stdout.strip()
    with open(Path(backup_dir) / "media.tar", "ab") as archive:
        archive.write(b"tampered")
    with pytest.raises(subprocess.CalledProcessError):
        run("restore.sh", backup_dir, env={"DATABASE_URL": fresh_database, "MEDIA_ROOT": str(tmp_path / "m")})
    assert not (tmp_path / "m").exists()

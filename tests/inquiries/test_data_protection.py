"""Retention, subject access export and erasure, including the files on disk."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from inquiries import services
from inquiries.models import AccessLogEntry, Attachment, Inquiry
from tests.inquiries.helpers import PDF_BYTES, pdf, triage_role, urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _roles():
    triage_role()


def closed(data, *, days_ago, by, files=()):
    inquiry = make_inquiry(data, files=files)
    services.note_add(inquiry=inquiry, text="Lebermetastasen laut CT", by=by)
    services.inquiry_close(inquiry=inquiry, reason="treated", by=by)
    Inquiry.objects.filter(pk=inquiry.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return Inquiry.objects.get(pk=inquiry.pk)


def stored_files(settings):
    folder = settings.MEDIA_ROOT / "inquiry-documents"
    return sorted(folder.iterdir()) if folder.exists() else []


class TestRetention:
    def test_dry_run_changes_nothing(self, triage_user, settings, capsys):
        old = closed(urgent_net_data(), days_ago=400, by=triage_user, files=[pdf()])
        call_command("purge_closed_inquiries", "--dry-run")
        output = capsys.readouterr().out
        assert f"Would anonymise {old.reference}" in output
        assert "1 inquiries would be anonymised." in output
        assert Inquiry.objects.get(pk=old.pk).patient_name == "Alex Example"
        assert len(stored_files(settings)) == 1

    def test_old_closed_inquiries_are_anonymised_and_their_files_deleted(self, triage_user, settings):
        old = closed(urgent_net_data(), days_ago=400, by=triage_user, files=[pdf()])
        recent = closed(valid_data(), days_ago=10, by=triage_user, files=[pdf()])
        open_one = make_inquiry(valid_data())
        recent_file = recent.attachments.get().file.name
        call_command("purge_closed_inquiries", verbosity=0)
        old.refresh_from_db()
        assert old.anonymised_at is not None
        assert (old.patient_name, old.email, old.diagnosis, old.birth_year, old.message) == ("", "", "", None, "")
        assert old.triage_reasons == []
        # Kept for statistics: reference, dates, priority and outcome.
        assert (old.priority, old.triage_priority, old.status, old.closing_reason) == (
            "urgent",
            "urgent",
            "closed",
            "treated",
        )
        assert old.created_at is not None and old.closed_at is not None
        assert not old.notes.exists()
        assert not Attachment.objects.filter(inquiry=old).exists()
        assert [path.name for path in stored_files(settings)] == [recent_file.split("/")[-1]]
        assert Inquiry.objects.get(pk=recent.pk).patient_name == "Alex Example"
        assert Inquiry.objects.get(pk=open_one.pk).anonymised_at is None
        assert AccessLogEntry.objects.filter(inquiry=old, action="anonymise").exists()

    def test_the_days_are_configurable(self, triage_user, settings):
        settings.INQUIRY_RETENTION_DAYS = 5
        inquiry = closed(valid_data(), days_ago=10, by=triage_user)
        call_command("purge_closed_inquiries", verbosity=0)
        assert Inquiry.objects.get(pk=inquiry.pk).anonymised_at is not None
        other = closed(valid_data(), days_ago=10, by=triage_user)
        call_command("purge_closed_inquiries", "--days", "30", verbosity=0)
        assert Inquiry.objects.get(pk=other.pk).anonymised_at is None


class TestSubjectAccess:
    def test_export_writes_json_and_files_and_logs_it(self, tmp_path, triage_user):
        mine = make_inquiry(urgent_net_data(email="Mira@Example.invalid"), files=[pdf(name="befund.pdf")])
        make_inquiry(valid_data(email="someone-else@example.invalid"))
        out = tmp_path / "export"
        call_command("export_person", "--email", "mira@example.invalid", "--out", str(out), verbosity=0)
        records = json.loads((out / "inquiries.json").read_text())
        assert [record["reference"] for record in records] == [mine.reference]
        assert records[0]["answers"]["diagnosis"] == "Neuroendokriner Tumor des Dünndarms, Lebermetastasen"
        document = records[0]["documents"][0]
        assert (out / document["file"]).read_bytes() == PDF_BYTES
        assert AccessLogEntry.objects.filter(inquiry=mine, action="export").exists()

    def test_an_unknown_address_is_an_error(self, tmp_path):
        with pytest.raises(CommandError):
            call_command("export_person", "--email", "nobody@example.invalid", "--out", str(tmp_path / "x"))

    def test_erasure_deletes_inquiries_and_files_and_keeps_the_proof(self, triage_user, settings):
        mine = make_inquiry(urgent_net_data(email="mira@example.invalid"), files=[pdf()])
        services.note_add(inquiry=mine, text="x", by=triage_user)
        services.access_log_record(inquiry=mine, user=triage_user, action="view")
        other = make_inquiry(valid_data(), files=[pdf()])
        call_command("erase_person", "--email", "MIRA@example.invalid", "--yes", verbosity=0)
        assert not Inquiry.objects.filter(pk=mine.pk).exists()
        assert Inquiry.objects.filter(pk=other.pk).exists()
        assert len(stored_files(settings)) == 1
        proof = AccessLogEntry.objects.get(action="erase")
        assert (proof.reference, proof.inquiry) == (mine.reference, None)
        # Earlier entries stay too, unlinked.
        assert AccessLogEntry.objects.filter(reference=mine.reference, action="view").exists()


class TestAdminActions:
    def test_only_superusers_have_the_export_and_erase_actions(self, client, triage_user, superuser):
        make_inquiry()
        client.force_login(triage_user)
        html = client.get("/admin/inquiries/inquiry/").content.decode()
        assert "erase_people" not in html and "export_people" not in html
        client.force_login(superuser)
        html = client.get("/admin/inquiries/inquiry/").content.decode()
        assert "erase_people" in html and "export_people" in html

    def test_export_action_returns_a_zip(self, client, superuser):
        import io
        import zipfile

        inquiry = make_inquiry(urgent_net_data(), files=[pdf()])
        client.force_login(superuser)
        response = client.post(
            "/admin/inquiries/inquiry/", {"action": "export_people", "_selected_action": [inquiry.pk]}
        )
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        assert "person-1/inquiries.json" in archive.namelist()
        documents = json.loads(archive.read("person-1/inquiries.json"))[0]["documents"]
        assert [document["name"] for document in documents] == ["befund.pdf"]
        assert archive.read(f"person-1/{documents[0]['file']}") == PDF_BYTES

    def test_erase_action_asks_for_confirmation(self, client, superuser, triage_user):
        inquiry = make_inquiry(files=[pdf()])
        client.force_login(triage_user)
        client.post("/admin/inquiries/inquiry/", {"action": "erase_people", "_selected_action": [inquiry.pk]})
        assert Inquiry.objects.filter(pk=inquiry.pk).exists()
        client.force_login(superuser)
        data = {"action": "erase_people", "_selected_action": [inquiry.pk], "apply": "1"}
        client.post("/admin/inquiries/inquiry/", {**data, "confirm": "no"})
        assert Inquiry.objects.filter(pk=inquiry.pk).exists()
        client.post("/admin/inquiries/inquiry/", {**data, "confirm": "erase"})
        assert not Inquiry.objects.filter(pk=inquiry.pk).exists()
        assert AccessLogEntry.objects.filter(action="erase", username="admin").exists()


# --- Issue 10, defect 1: exports for any stored file name, logged only once delivered ------------

# 250 characters of Cyrillic are 500 bytes: longer than any file system allows for one name.
LONG_NAME = "Выписка из истории болезни пациента " * 7 + ".pdf"


def export_rows():
    return AccessLogEntry.objects.filter(action="export").count()


class TestExportWithAnyFileName:
    def test_the_command_exports_a_document_with_a_name_too_long_for_a_file(self, tmp_path):
        inquiry = make_inquiry(urgent_net_data(email="mira@example.invalid"), files=[pdf(name=LONG_NAME)])
        stored_name = Attachment.objects.get(inquiry=inquiry).original_name
        assert len(stored_name.encode()) > 255
        out = tmp_path / "export"
        call_command("export_person", "--email", "mira@example.invalid", "--out", str(out), verbosity=0)
        document = json.loads((out / "inquiries.json").read_text())[0]["documents"][0]
        assert document["name"] == stored_name  # the sender's name stays in the manifest
        assert document["file"] == f"documents/{inquiry.reference}/document-1.pdf"
        assert (out / document["file"]).read_bytes() == PDF_BYTES
        assert export_rows() == 1

    def test_the_admin_action_exports_it_too(self, client, superuser):
        import io
        import zipfile

        inquiry = make_inquiry(urgent_net_data(), files=[pdf(name=LONG_NAME), pdf(name="scan.html")])
        client.force_login(superuser)
        response = client.post(
            "/admin/inquiries/inquiry/", {"action": "export_people", "_selected_action": [inquiry.pk]}
        )
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="subject-access-export.zip"'
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        folder = f"person-1/documents/{inquiry.reference}"
        assert sorted(archive.namelist()) == sorted(
            ["person-1/inquiries.json", f"{folder}/document-1.pdf", f"{folder}/document-2.pdf"]
        )
        manifest = json.loads(archive.read("person-1/inquiries.json"))
        assert [document["name"] for document in manifest[0]["documents"]] == [
            Attachment.objects.get(inquiry=inquiry, original_name__startswith="Выписка").original_name,
            "scan.html",
        ]
        assert archive.read(f"{folder}/document-2.pdf") == PDF_BYTES
        assert AccessLogEntry.objects.filter(inquiry=inquiry, action="export", username="admin").count() == 1

    def test_a_failed_export_logs_nothing_and_leaves_no_files(self, tmp_path):
        make_inquiry(urgent_net_data(email="mira@example.invalid"), files=[pdf(name="befund.pdf")])
        broken = make_inquiry(urgent_net_data(email="mira@example.invalid"), files=[pdf(name=LONG_NAME)])
        attachment = Attachment.objects.get(inquiry=broken)
        attachment.file.storage.delete(attachment.file.name)
        out = tmp_path / "export"
        with pytest.raises(CommandError) as raised:
            call_command("export_person", "--email", "mira@example.invalid", "--out", str(out), verbosity=0)
        assert broken.reference in str(raised.value)
        assert "Выписка" not in str(raised.value)
        assert export_rows() == 0
        assert not [path for path in out.rglob("*") if path.is_file()] if out.exists() else True

    def test_the_admin_action_logs_nobody_when_one_person_fails(self, client, superuser):
        first = make_inquiry(urgent_net_data(email="a@example.invalid"), files=[pdf()])
        second = make_inquiry(urgent_net_data(email="b@example.invalid"), files=[pdf(name=LONG_NAME)])
        attachment = Attachment.objects.get(inquiry=second)
        attachment.file.storage.delete(attachment.file.name)
        client.force_login(superuser)
        response = client.post(
            "/admin/inquiries/inquiry/",
            {"action": "export_people", "_selected_action": [first.pk, second.pk]},
            follow=True,
        )
        assert response.status_code == 200
        messages = [str(message) for message in response.context["messages"]]
        assert any(second.reference in message and "nothing was exported" in message for message in messages)
        assert export_rows() == 0

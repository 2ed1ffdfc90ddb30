"""Documents that passed their checks survive another error on the form, for this session only."""

import hashlib
import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from inquiries import holding
from inquiries.models import Attachment, Inquiry
from tests.inquiries.helpers import HTML_BYTES, PDF_BYTES, PNG_BYTES, pdf, valid_data

pytestmark = pytest.mark.django_db

BAD_PHONE = "044 123 4567"


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Many posts from one test client: keep the rate limit's counter to this test.
    cache.clear()
    yield
    cache.clear()


def held_files(settings):
    folder = settings.MEDIA_ROOT / holding.FOLDER
    return sorted(folder.iterdir()) if folder.exists() else []


def held_ids(client):
    return [entry["id"] for entry in client.session.get(holding.SESSION_KEY, [])]


def test_a_checked_upload_is_held_when_another_answer_is_wrong(client, settings):
    response = client.post("/inquiry/", {**valid_data(phone=BAD_PHONE), "documents": [pdf(name="Befund Müller.pdf")]})
    html = response.content.decode()
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0
    assert "Already attached" in html
    assert "Befund Müller.pdf" in html
    assert f"({len(PDF_BYTES)}" in html  # the size, e.g. "(170 bytes)"
    assert 'name="remove_document"' in html
    assert "documents listed under “Already attached”" in html
    [stored] = held_files(settings)
    assert len(stored.name) == 32
    assert "Müller" not in stored.name
    assert stored.read_bytes() == PDF_BYTES
    assert oct(os.stat(stored).st_mode & 0o777) == oct(0o600)
    relative = f"{holding.FOLDER}/{stored.name}"
    for url in (f"/media/{relative}", f"{settings.MEDIA_URL}{relative}", f"/{relative}"):
        assert client.get(url).status_code == 404, url


def test_the_corrected_form_attaches_the_held_document_without_choosing_it_again(client, settings):
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="Befund.pdf")]})
    response = client.post("/inquiry/", {**data, "phone": "+48 22 123 45 67"})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Befund.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.file.read() == PDF_BYTES
    # Attached: the held copy and the session's note of it are gone.
    assert held_files(settings) == []
    assert held_ids(client) == []


def test_held_and_new_documents_are_attached_together(client):
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="first.pdf")]})
    client.post("/inquiry/", {**data, "documents": [pdf(name="second.png", content=PNG_BYTES)]})
    response = client.post("/inquiry/", {**data, "phone": "", "documents": [pdf(name="third.pdf")]})
    assert response.status_code == 302
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["first.pdf", "second.png", "third.pdf"]


def test_only_the_files_that_passed_are_held_and_the_refused_one_is_named(client, settings):
    response = client.post(
        "/inquiry/", {**valid_data(), "documents": [pdf(name="good.pdf"), pdf(name="page.pdf", content=HTML_BYTES)]}
    )
    html = response.content.decode()
    assert "“page.pdf” is not a PDF, JPEG or PNG file." in html
    assert "good.pdf" in html
    assert len(held_files(settings)) == 1


def test_a_ticked_document_is_removed_and_not_attached(client, settings):
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="keep.pdf"), pdf(name="wrong.pdf")]})
    wrong = next(entry["id"] for entry in client.session[holding.SESSION_KEY] if entry["name"] == "wrong.pdf")
    response = client.post("/inquiry/", {**data, "phone": "", "remove_document": [wrong]})
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["keep.pdf"]
    assert held_files(settings) == []


def test_removing_a_document_on_a_form_with_an_error_shows_the_rest(client, settings):
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="keep.pdf"), pdf(name="wrong.pdf")]})
    wrong = next(entry["id"] for entry in client.session[holding.SESSION_KEY] if entry["name"] == "wrong.pdf")
    html = client.post("/inquiry/", {**data, "remove_document": [wrong]}).content.decode()
    assert "keep.pdf" in html
    assert "wrong.pdf" not in html
    assert len(held_files(settings)) == 1


def test_held_documents_count_towards_the_number_of_files(client, settings):
    settings.INQUIRY_UPLOAD_MAX_FILES = 2
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="a.pdf"), pdf(name="b.pdf")]})
    response = client.post("/inquiry/", {**data, "phone": "", "documents": [pdf(name="c.pdf")]})
    assert response.status_code == 200
    assert "Please send at most 2 files at once." in response.content.decode()
    assert Inquiry.objects.count() == 0
    assert len(held_files(settings)) == 2  # the third was not held over the limit


def test_held_documents_count_towards_the_total_size(client, settings):
    settings.INQUIRY_UPLOAD_MAX_TOTAL_BYTES = len(PDF_BYTES) + 10
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="a.pdf")]})
    response = client.post("/inquiry/", {**data, "phone": "", "documents": [pdf(name="b.pdf")]})
    assert response.status_code == 200
    assert Inquiry.objects.count() == 0
    assert response.context["form"].errors["documents"][0].startswith("The files are larger than")


def test_a_held_file_changed_on_disk_is_refused_by_the_same_content_check(client, settings):
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="befund.pdf")]})
    [stored] = held_files(settings)
    stored.write_bytes(HTML_BYTES)
    response = client.post("/inquiry/", {**data, "phone": ""})
    assert response.status_code == 200
    assert "“befund.pdf” is not a PDF, JPEG or PNG file." in response.content.decode()
    assert Inquiry.objects.count() == 0


def test_another_browser_never_sees_or_sends_the_held_documents(client, settings):
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="Befund.pdf")]})
    stranger = Client()
    assert "Befund.pdf" not in stranger.get("/inquiry/").content.decode()
    stranger_id = held_ids(client)[0]
    response = stranger.post("/inquiry/", {**valid_data(), "remove_document": [stranger_id]})
    assert response.status_code == 302
    assert Attachment.objects.count() == 0
    assert len(held_files(settings)) == 1  # the stranger's "remove" did nothing either


def test_the_form_page_lists_the_held_documents_when_opened_again(client):
    client.post("/inquiry/", {**valid_data(phone=BAD_PHONE), "documents": [pdf(name="Befund.pdf")]})
    html = client.get("/inquiry/").content.decode()
    assert "Already attached" in html
    assert "Befund.pdf" in html


def test_held_documents_expire(client, settings, _pinned_clock):
    settings.INQUIRY_UPLOAD_HOLD_HOURS = 2
    client.post("/inquiry/", {**valid_data(phone=BAD_PHONE), "documents": [pdf(name="Befund.pdf")]})
    _pinned_clock.shift(timedelta(hours=3))
    assert "Befund.pdf" not in client.get("/inquiry/").content.decode()
    assert held_files(settings) == []
    assert held_ids(client) == []


def test_the_form_promises_the_shorter_of_the_hold_and_the_session(client, settings):
    settings.INQUIRY_UPLOAD_HOLD_HOURS = 24
    settings.SESSION_COOKIE_AGE = 8 * 60 * 60
    assert "stay attached for 8 hours" in client.get("/inquiry/").content.decode()
    settings.INQUIRY_UPLOAD_HOLD_HOURS = 4
    assert "stay attached for 4 hours" in client.get("/inquiry/").content.decode()


def test_a_session_entry_outside_the_holding_folder_is_ignored(client, settings):
    attachment_path = settings.MEDIA_ROOT / "inquiry-documents" / ("a" * 32)
    attachment_path.parent.mkdir(parents=True)
    attachment_path.write_bytes(PDF_BYTES)
    session = {
        holding.SESSION_KEY: [
            {
                "id": "x",
                "name": "other.pdf",
                "size": 1,
                "stored": f"inquiry-documents/{'a' * 32}",
                "held_at": timezone.now().isoformat(),
            },
            {"id": "y", "stored": 5},
        ]
    }
    assert holding.held_documents(session) == []
    assert attachment_path.exists()


def test_the_retention_job_deletes_held_documents_older_than_the_hold(client, settings):
    settings.INQUIRY_UPLOAD_HOLD_HOURS = 24
    data = valid_data(phone=BAD_PHONE)
    client.post("/inquiry/", {**data, "documents": [pdf(name="old.pdf")]})
    [old] = held_files(settings)
    Client().post("/inquiry/", {**data, "documents": [pdf(name="new.pdf")]})
    [new] = [path for path in held_files(settings) if path != old]
    # The files' times come from the real clock, the test's "now" from the pinned one: set both.
    long_ago = (timezone.now() - timedelta(hours=25)).timestamp()
    recently = (timezone.now() - timedelta(hours=23)).timestamp()
    os.utime(old, (long_ago, long_ago))
    os.utime(new, (recently, recently))
    call_command("purge_closed_inquiries", verbosity=0)
    assert held_files(settings) == [new]


def test_the_retention_job_clears_expired_sessions_that_name_held_documents(client):
    from django.contrib.sessions.models import Session

    client.post("/inquiry/", {**valid_data(phone=BAD_PHONE), "documents": [pdf(name="Befund.pdf")]})
    assert Session.objects.count() == 1
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    call_command("purge_closed_inquiries", verbosity=0)
    assert Session.objects.count() == 0

"""The follow-up page: personal links, the patient's replies, re-triage, staff messages, one promise."""

import io
import logging
import re
from datetime import timedelta

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import formats, timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from inquiries import followup, links
from inquiries.models import AccessLogEntry, Inquiry, InquiryMessage, Notification, PriorityOverride
from inquiries.services import inquiry_change_status, inquiry_override_priority, promise_text, response_due
from portal.errors import PrivateExceptionReporter
from tests.inquiries.helpers import HTML_BYTES, checked_pdf, pdf, urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db

PAGE = "/inquiry/follow-up/your-inquiry/"
OPEN = "/inquiry/follow-up/open/"
REQUEST = "/inquiry/follow-up/"
QUEUE = "/admin/inquiries/inquiry/"
URGENT_WORDS = "since yesterday he has strong abdominal pain and is vomiting blood"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # the rate limiter's counters live in the cache
    yield
    cache.clear()


def high_net_data(**overrides):
    """A high-priority oncology inquiry (a NET, nothing urgent), without the histology report."""
    return valid_data(
        **{
            "submitter_role": "relative",
            "diagnosis": "Neuroendokriner Tumor des Dünndarms, Lebermetastasen",
            "is_cancer": "yes",
            "tumour_type": "neuroendocrine",
            "metastases": "yes",
            **overrides,
        }
    )


def net_inquiry(**overrides):
    return make_inquiry(high_net_data(**overrides))


def open_link(client, inquiry):
    response = client.get(OPEN, {"token": links.token_for(inquiry)})
    assert response.status_code == 302, response.status_code
    return response


def run_tasks():
    """Run the jobs that are due in this process, as the worker would (tests/inquiries/test_worker.py
    runs the real worker; here the test's transaction stays open)."""
    while True:
        job = DBTaskResult.objects.ready().first()
        if job is None:
            return
        DBTaskResult.objects.filter(pk=job.pk).delete()
        import_string(job.task_path).call(*job.args_kwargs["args"], **job.args_kwargs["kwargs"])


def link_in(message) -> str:
    return re.search(r"https?://\S+/inquiry/follow-up/open/\?token=\S+", message.body).group(0)


# --- Links ------------------------------------------------------------------------------------


class TestLinks:
    def test_the_confirmation_email_carries_a_personal_link_that_opens_the_page(self, client):
        inquiry = net_inquiry()
        run_tasks()
        [message] = mail.outbox
        url = link_in(message)
        assert "Neuroendokriner" not in message.body and "Alex Example" not in message.body
        response = client.get(url.split("127.0.0.1:8000", 1)[1])
        # The token is left behind: the page's own address has none, and no Referer carries it.
        assert response.status_code == 302 and response["Location"] == PAGE
        assert response["Referrer-Policy"] == "no-referrer"
        page = client.get(PAGE)
        assert page.status_code == 200 and inquiry.reference in page.content.decode()
        # The page's own address holds no token; no-referrer would make its form posts fail CSRF.
        assert page["Referrer-Policy"] == "same-origin"
        assert client.get(OPEN, {"token": "nonsense"})["Referrer-Policy"] == "no-referrer"
        assert "no-store" in page["Cache-Control"]

    def test_a_tampered_token_opens_nothing(self, client):
        inquiry = net_inquiry()
        token = links.token_for(inquiry)
        tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
        response = client.get(OPEN, {"token": tampered})
        assert response.status_code == 404
        assert client.get(PAGE).status_code == 403

    def test_a_token_signed_for_another_inquiry_with_this_key_opens_nothing(self, client):
        first, second = net_inquiry(), net_inquiry()
        forged = signing.dumps({"i": second.pk, "k": first.follow_up_key}, salt=links.SALT)
        assert client.get(OPEN, {"token": forged}).status_code == 404
        # A token is bound to its own inquiry: the first's opens the first only.
        open_link(client, first)
        assert first.reference in client.get(PAGE).content.decode()
        assert second.reference not in client.get(PAGE).content.decode()

    def test_a_token_expires_after_the_configured_days(self, client, settings, _pinned_clock):
        settings.INQUIRY_FOLLOW_UP_LINK_DAYS = 90
        inquiry = net_inquiry()
        token = links.token_for(inquiry)
        _pinned_clock.shift(timedelta(days=89))
        assert client.get(OPEN, {"token": token}).status_code == 302
        _pinned_clock.shift(timedelta(days=2))
        assert client.get(OPEN, {"token": token}).status_code == 404

    def test_staff_revoke_every_link_and_an_open_session(self, client, triage_user):
        inquiry = net_inquiry()
        token = links.token_for(inquiry)
        open_link(client, inquiry)
        followup.follow_up_links_revoke(inquiry=inquiry, by=triage_user)
        assert client.get(PAGE).status_code == 403
        assert client.get(OPEN, {"token": token}).status_code == 404
        entry = AccessLogEntry.objects.filter(detail="follow-up links revoked").get()
        assert (entry.username, entry.actor) == ("triage", "staff")

    def test_a_re_issued_link_works_and_reaches_only_the_inquiry_address(self, client, settings):
        inquiry = net_inquiry()
        run_tasks()
        mail.outbox.clear()
        followup.follow_up_links_revoke(inquiry=inquiry, by=None)
        response = client.post(
            REQUEST, {"reference": inquiry.reference.lower().replace("-", ""), "email": "ALEX@example.invalid"}
        )
        assert response.status_code == 200
        run_tasks()
        [message] = mail.outbox
        assert message.to == [inquiry.email]
        assert client.get(link_in(message).split("127.0.0.1:8000", 1)[1]).status_code == 302
        assert client.get(PAGE).status_code == 200

    def test_the_answer_is_the_same_whether_or_not_the_pair_exists(self, client):
        inquiry = net_inquiry()
        right = client.post(REQUEST, {"reference": inquiry.reference, "email": inquiry.email})
        wrong_email = client.post(REQUEST, {"reference": inquiry.reference, "email": "someone@example.invalid"})
        unknown = client.post(REQUEST, {"reference": "2222-3333-4444", "email": inquiry.email})

        def text(response):
            return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

        assert right.status_code == wrong_email.status_code == unknown.status_code == 200
        assert text(right) == text(wrong_email) == text(unknown)
        run_tasks()
        assert [m for m in mail.outbox if "new link" in m.subject.lower() or "link to inquiry" in m.subject] != []
        assert Inquiry.objects.get(pk=inquiry.pk).follow_up_link_requested_at is not None

    def test_asking_again_at_once_sends_one_link(self, client):
        inquiry = net_inquiry()
        run_tasks()
        mail.outbox.clear()
        for _ in range(3):
            client.post(REQUEST, {"reference": inquiry.reference, "email": inquiry.email})
        run_tasks()
        assert len(mail.outbox) == 1

    def test_link_requests_are_rate_limited_and_keep_what_was_typed(self, client, settings):
        settings.INQUIRY_RATE_LIMIT = (2, 3600)
        for _ in range(2):
            assert (
                client.post(REQUEST, {"reference": "2222-3333-4444", "email": "a@example.invalid"}).status_code == 200
            )
        response = client.post(REQUEST, {"reference": "2222-3333-4444", "email": "a@example.invalid"})
        assert response.status_code == 429
        assert 'value="2222-3333-4444"' in response.content.decode()

    def test_the_session_is_short_lived(self, client, settings, _pinned_clock):
        settings.INQUIRY_FOLLOW_UP_SESSION_MINUTES = 30
        open_link(client, net_inquiry())
        _pinned_clock.shift(timedelta(minutes=29))
        assert client.get(PAGE).status_code == 200
        _pinned_clock.shift(timedelta(minutes=2))
        response = client.get(PAGE)
        assert response.status_code == 403 and "open the link" in response.content.decode()

    def test_without_a_link_the_page_shows_nothing(self, client):
        net_inquiry()
        response = client.get(PAGE)
        assert response.status_code == 403
        assert "Neuroendokriner" not in response.content.decode()

    def test_staff_pages_are_not_opened_by_a_patient_session(self, client):
        open_link(client, net_inquiry())
        assert client.get(QUEUE).status_code == 302  # to the admin login


class TestNoTokenInLogs:
    def test_no_token_in_log_lines_access_log_or_error_reports(self, client, settings):
        inquiry = net_inquiry()
        token = links.token_for(inquiry)
        root = logging.getLogger()
        console = next(h for h in root.handlers if type(h) is logging.StreamHandler)
        stream = io.StringIO()
        old_stream = console.setStream(stream)
        try:
            open_link(client, inquiry)
            client.get(OPEN, {"token": token + "x"})  # an invalid one is logged as a 404
            logging.getLogger("django.server").info('"GET %s?token=%s HTTP/1.1" 302 0', OPEN, token)
            logging.getLogger("inquiries").warning("Referer was http://x%s?token=%s", OPEN, token)
            logging.getLogger("inquiries").error("bare %s", token)
        finally:
            console.setStream(old_stream)
        written = stream.getvalue()
        assert OPEN in written  # the lines were written …
        assert token not in written and token.split(":")[-1] not in written  # … without the token
        assert "[removed]" in written
        assert not any(token in " ".join([e.detail, e.reference]) for e in AccessLogEntry.objects.all())

        request = RequestFactory().get(OPEN, {"token": token}, HTTP_REFERER=f"http://x{OPEN}?token={token}")
        try:
            raise ValueError("boom")
        except ValueError as error:
            reporter = PrivateExceptionReporter(request, type(error), error, error.__traceback__)
            report = reporter.get_traceback_text() + reporter.get_traceback_html()
        assert token not in report
        assert token.split(":")[-1] not in report

    def test_the_access_log_records_the_patient_as_actor(self, client):
        inquiry = net_inquiry()
        open_link(client, inquiry)
        client.get(PAGE)
        client.post(PAGE, {"message": "Here is the report", "documents": [pdf()]})
        entries = AccessLogEntry.objects.filter(actor="patient").order_by("pk")
        assert [(e.action, e.username) for e in entries] == [
            ("view", "patient"),
            ("view", "patient"),
            ("upload", "patient"),
            ("message", "patient"),
        ]
        assert all(e.ip_address == "127.0.0.1" for e in entries)
        assert "Here is the report" not in " ".join(e.detail for e in AccessLogEntry.objects.all())


# --- One promise -------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [valid_data, urgent_net_data, high_net_data])
def test_the_confirmation_its_email_and_the_follow_up_page_promise_the_staff_deadline(client, settings, data):
    settings.TRIAGE_FIRST_RESPONSE_HOURS = {"urgent": 4, "high": 24, "routine": 72}
    response = client.post("/inquiry/", data())
    inquiry = Inquiry.objects.with_deadline().get()
    staff_deadline = inquiry.first_response_due
    assert staff_deadline == inquiry.created_at + timedelta(
        hours=settings.TRIAGE_FIRST_RESPONSE_HOURS[inquiry.priority]
    )
    assert response_due(inquiry) == staff_deadline
    promised = formats.date_format(timezone.localtime(staff_deadline), "l, j F Y, H:i")
    assert promise_text(staff_deadline) == promised  # English: the weekday, the date and the time

    confirmation = client.get(response["Location"]).content.decode()
    run_tasks()
    email = next(m for m in mail.outbox if m.to == [inquiry.email])
    open_link(client, inquiry)
    page = client.get(PAGE).content.decode()
    for text in (confirmation, email.body, page):
        assert promised in text


def test_after_the_first_response_a_reply_is_promised_an_answer_within_the_same_hours(client, triage_user, settings):
    inquiry = net_inquiry()
    inquiry_change_status(inquiry=inquiry, status="contacted", by=triage_user)
    open_link(client, inquiry)
    assert "We have answered you" in client.get(PAGE).content.decode()
    followup.follow_up_reply(inquiry=inquiry, text="A question")
    inquiry = Inquiry.objects.with_deadline().get(pk=inquiry.pk)
    assert inquiry.next_answer_due == inquiry.patient_replied_at + timedelta(
        hours=settings.TRIAGE_FIRST_RESPONSE_HOURS[inquiry.priority]
    )
    promised = promise_text(inquiry.next_answer_due)
    assert promised in client.get(PAGE).content.decode()


# --- The page ----------------------------------------------------------------------------------


class TestPage:
    def test_it_shows_the_stage_missing_and_received_documents_and_messages(self, client, triage_user):
        inquiry = net_inquiry()
        inquiry_change_status(inquiry=inquiry, status="in_triage", by=triage_user)
        followup.follow_up_message_send(
            inquiry=inquiry, text="Please send the CT.", requested_documents=["ct_mri"], by=triage_user
        )
        open_link(client, inquiry)
        html = client.get(PAGE).content.decode()
        assert "Waiting for your documents" in html
        assert "Waiting for: Histology (pathology) report of the tumour" in html
        assert "Please send the CT." in html and "(we asked for it)" in html
        # Received documents by name, never as a link to the file.
        followup.follow_up_reply(inquiry=inquiry, documents=[checked_pdf("ct-2026.pdf")], documents_sent=["ct_mri"])
        html = client.get(PAGE).content.decode()
        assert "ct-2026.pdf" in html
        assert "private-media" not in html and "/documents/" not in html
        assert "Waiting for: Recent CT or MRI" not in html

    def test_it_speaks_german(self, client):
        inquiry = net_inquiry(contact_language="de")
        open_link(client, inquiry)  # the link sets the patient's language
        html = client.get(PAGE).content.decode()
        assert "Wo Ihre Anfrage steht" in html
        assert "Histologie-Befund (Pathologie) des Tumors" in html

    def test_a_reply_is_stored_and_shown(self, client):
        inquiry = net_inquiry()
        open_link(client, inquiry)
        response = client.post(
            PAGE, {"message": "Report attached", "documents": [pdf("histo.pdf")], "documents_sent": ["histology"]}
        )
        assert response.status_code == 302
        message = InquiryMessage.objects.get()
        assert (message.author_kind, message.text) == ("patient", "Report attached")
        assert [a.original_name for a in message.attachments.all()] == ["histo.pdf"]
        inquiry.refresh_from_db()
        assert inquiry.patient_replied_at is not None and inquiry.patient_documents_at is not None
        assert next(i for i in inquiry.document_checklist if i["code"] == "histology")["sent"] is True
        assert "Report attached" in client.get(PAGE).content.decode()

    def test_bad_files_are_refused_by_content_and_the_message_is_kept(self, client):
        inquiry = net_inquiry()
        open_link(client, inquiry)
        response = client.post(PAGE, {"message": "my words", "documents": [pdf("x.pdf", content=HTML_BYTES)]})
        assert response.status_code == 200
        html = response.content.decode()
        assert "is not a PDF, JPEG or PNG" in html and "my words" in html
        assert not InquiryMessage.objects.exists()

    def test_the_limits_count_what_was_sent_before(self, client, settings):
        settings.INQUIRY_UPLOAD_MAX_FILES = 2
        inquiry = make_inquiry(high_net_data(), files=[pdf()])
        open_link(client, inquiry)
        response = client.post(PAGE, {"documents": [pdf("a.pdf"), pdf("b.pdf")]})
        assert "You can send 1 more file" in response.content.decode()
        assert client.post(PAGE, {"documents": [pdf("a.pdf")]}).status_code == 302
        with pytest.raises(followup.FollowUpError):
            followup.follow_up_reply(inquiry=inquiry, documents=[checked_pdf()])

    def test_an_empty_reply_gets_a_clear_message(self, client):
        open_link(client, net_inquiry())
        response = client.post(PAGE, {"message": "  "})
        assert response.status_code == 200
        assert "Please write a message or choose a document." in response.content.decode()

    def test_replies_are_rate_limited_and_keep_the_text(self, client, settings):
        settings.INQUIRY_RATE_LIMIT = (1, 3600)
        open_link(client, net_inquiry())
        client.post(PAGE, {"message": "first"})
        response = client.post(PAGE, {"message": "second words"})
        assert response.status_code == 429 and "second words" in response.content.decode()

    def test_a_closed_inquiry_shows_its_state_and_takes_no_reply(self, client, triage_user):
        from inquiries.services import inquiry_close

        inquiry = net_inquiry()
        inquiry_close(inquiry=inquiry, reason="declined", by=triage_user)
        open_link(client, inquiry)
        html = client.get(PAGE).content.decode()
        assert "This inquiry is closed" in html and "<textarea" not in html
        client.post(PAGE, {"message": "hello"})
        assert not InquiryMessage.objects.exists()

    def test_the_page_has_a_pinned_query_count(
        self, client, triage_user, django_assert_max_num_queries, page_cache_schedule
    ):
        inquiry = net_inquiry()
        page_cache_schedule()  # the kept site notices' time bound, computed once per content version
        for number in range(4):
            followup.follow_up_reply(inquiry=inquiry, text=f"reply {number}", documents=[checked_pdf()])
            followup.follow_up_message_send(inquiry=inquiry, text=f"answer {number}", by=triage_user)
        open_link(client, inquiry)
        # Session, inquiry, access-log row, its transaction, documents (form and list), messages and their documents.
        with django_assert_max_num_queries(10):
            assert client.get(PAGE).status_code == 200


# --- Services: replies, awaiting documents, staff messages ---------------------------------------


class TestServices:
    def test_documents_bring_an_awaiting_documents_inquiry_back_to_triage(self, triage_user):
        inquiry = net_inquiry()
        followup.follow_up_message_send(inquiry=inquiry, requested_documents=["histology"], by=triage_user)
        inquiry.refresh_from_db()
        assert inquiry.status == "awaiting_documents" and inquiry.first_response_at is not None
        followup.follow_up_reply(inquiry=inquiry, text="only words")
        assert Inquiry.objects.get(pk=inquiry.pk).status == "awaiting_documents"
        followup.follow_up_reply(inquiry=inquiry, documents=[checked_pdf()], documents_sent=["histology"])
        inquiry.refresh_from_db()
        assert inquiry.status == "in_triage" and inquiry.status_changed_at is not None

    def test_a_staff_message_emails_only_that_a_message_waits(self, triage_user):
        inquiry = net_inquiry()
        run_tasks()
        mail.outbox.clear()
        followup.follow_up_message_send(inquiry=inquiry, text="Your CT shows progression", by=triage_user)
        run_tasks()
        run_tasks()
        [message] = mail.outbox
        assert "progression" not in message.body and "Your CT" not in message.subject
        assert "/inquiry/follow-up/open/?token=" in message.body
        assert Notification.objects.get(inquiry=inquiry, kind="patient_message").status == "sent"
        # A second message sends a second e-mail.
        followup.follow_up_message_send(inquiry=inquiry, text="And another", by=triage_user)
        run_tasks()
        assert len(mail.outbox) == 2

    def test_answering_or_marking_as_seen_clears_patient_replied(self, triage_user):
        inquiry = net_inquiry()
        followup.follow_up_reply(inquiry=inquiry, text="hello", documents=[checked_pdf()])
        followup.follow_up_message_send(inquiry=inquiry, text="Thanks", by=triage_user)
        inquiry.refresh_from_db()
        assert inquiry.patient_replied_at is None and inquiry.patient_documents_at is None
        followup.follow_up_reply(inquiry=inquiry, text="again")
        followup.follow_up_reply_acknowledge(inquiry=inquiry, by=triage_user)
        assert Inquiry.objects.get(pk=inquiry.pk).patient_replied_at is None
        with pytest.raises(followup.FollowUpError.__mro__[1]):
            followup.follow_up_reply_acknowledge(inquiry=inquiry, by=triage_user)

    def test_staff_may_ask_only_for_missing_documents(self, triage_user):
        inquiry = make_inquiry(high_net_data(documents_sent=["histology"]))
        with pytest.raises(followup.TriageError):
            followup.follow_up_message_send(inquiry=inquiry, requested_documents=["histology"], by=triage_user)
        with pytest.raises(followup.TriageError):
            followup.follow_up_message_send(inquiry=inquiry, text=" ", by=triage_user)

    def test_anonymising_removes_the_conversation(self, triage_user):
        from inquiries.services import inquiry_anonymise

        inquiry = net_inquiry()
        followup.follow_up_reply(inquiry=inquiry, text="he is bleeding", documents=[checked_pdf()])
        inquiry_anonymise(inquiry=inquiry)
        assert not InquiryMessage.objects.exists()
        assert not inquiry.attachments.exists()
        assert links.inquiry_for(links.token_for(inquiry)) is None


# --- Re-triage ----------------------------------------------------------------------------------


class TestRetriage:
    def test_urgent_words_raise_the_priority_quote_them_and_alert_once(self, settings):
        settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
        inquiry = net_inquiry()
        assert inquiry.priority == "high"
        run_tasks()
        mail.outbox.clear()
        followup.follow_up_reply(inquiry=inquiry, text=URGENT_WORDS)
        inquiry.refresh_from_db()
        assert (inquiry.priority, inquiry.triage_priority) == ("urgent", "high")
        override = PriorityOverride.objects.get(inquiry=inquiry)
        assert override.automatic and override.created_by is None
        assert (override.from_priority, override.to_priority) == ("high", "urgent")
        assert "“strong abdominal pain”" in override.reason and "“vomiting blood”" in override.reason
        assert AccessLogEntry.objects.filter(detail="priority: high → urgent (automatic re-triage)").exists()
        followup.follow_up_reply(inquiry=inquiry, text="and he is bleeding again")
        run_tasks()
        run_tasks()
        assert [m.to for m in mail.outbox] == [["oncall@example.invalid"]]
        assert "vomiting" not in mail.outbox[0].body

    def test_it_never_lowers_a_priority(self):
        inquiry = make_inquiry(urgent_net_data())
        assert inquiry.priority == "urgent"
        followup.follow_up_reply(inquiry=inquiry, text="Everything is fine now, no pain at all.")
        assert Inquiry.objects.get(pk=inquiry.pk).priority == "urgent"
        assert not PriorityOverride.objects.exists()

    def test_words_without_a_new_signal_change_nothing(self):
        inquiry = net_inquiry()
        followup.follow_up_reply(inquiry=inquiry, text="Here is the CT report from March.")
        assert Inquiry.objects.get(pk=inquiry.pk).priority == "high"

    def test_a_priority_staff_lowered_is_not_raised_again_by_old_words(self, triage_user):
        inquiry = make_inquiry(urgent_net_data())
        inquiry_override_priority(inquiry=inquiry, priority="high", reason="Stable, checked by phone", by=triage_user)
        followup.follow_up_reply(inquiry=inquiry, text="Here is the CT report.")
        assert Inquiry.objects.get(pk=inquiry.pk).priority == "high"
        followup.follow_up_reply(inquiry=inquiry, text="Now he is vomiting blood.")
        assert Inquiry.objects.get(pk=inquiry.pk).priority == "urgent"

    def test_a_routine_non_cancer_inquiry_stays_routine_like_on_arrival(self):
        inquiry = make_inquiry(valid_data())
        followup.follow_up_reply(inquiry=inquiry, text=URGENT_WORDS)
        assert Inquiry.objects.get(pk=inquiry.pk).priority == "routine"


# --- Staff side ---------------------------------------------------------------------------------


class TestStaffSide:
    def test_a_reply_moves_the_inquiry_to_the_top_of_its_priority_group_with_badges(self, client, triage_user):
        older = net_inquiry()
        newer = net_inquiry()
        Inquiry.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=2))
        client.force_login(triage_user)
        assert [i.reference for i in client.get(QUEUE).context["cl"].result_list][:2] == [
            older.reference,
            newer.reference,
        ]
        followup.follow_up_reply(inquiry=newer, text="A question", documents=[checked_pdf()])
        response = client.get(QUEUE)
        assert [i.reference for i in response.context["cl"].result_list][:2] == [newer.reference, older.reference]
        html = response.content.decode()
        assert "badge-replied" in html and "badge-documents" in html
        assert [i.reference for i in client.get(f"{QUEUE}?replied=yes").context["cl"].result_list] == [newer.reference]
        assert [i.reference for i in client.get(f"{QUEUE}?replied=documents").context["cl"].result_list] == [
            newer.reference
        ]
        assert [i.reference for i in Inquiry.objects.queue()][:2] == [newer.reference, older.reference]

    def test_the_queue_query_count_stays_pinned_with_replies(self, client, triage_user, django_assert_max_num_queries):
        for _ in range(4):
            followup.follow_up_reply(inquiry=net_inquiry(), text="hello", documents=[checked_pdf()])
        client.force_login(triage_user)
        with django_assert_max_num_queries(10):
            assert client.get(QUEUE).status_code == 200
        with django_assert_max_num_queries(10):
            assert client.get(f"{QUEUE}?replied=yes").status_code == 200

    def test_the_dashboard_counts_replies_waiting(self, client, triage_user):
        followup.follow_up_reply(inquiry=net_inquiry(), text="hello")
        net_inquiry()
        client.force_login(triage_user)
        html = client.get("/admin/").content.decode()
        assert re.search(r'<span class="count count-alert">1</span> replies waiting', html)

    def test_the_reading_page_shows_the_conversation_with_documents_and_sends_requests(self, client, triage_user):
        inquiry = net_inquiry()
        followup.follow_up_reply(inquiry=inquiry, text=URGENT_WORDS, documents=[checked_pdf("histo.pdf")])
        client.force_login(triage_user)
        url = f"{QUEUE}{inquiry.pk}/change/"
        html = client.get(url).content.decode()
        attachment = inquiry.attachments.get()
        assert URGENT_WORDS in html
        assert f"{QUEUE}{inquiry.pk}/documents/{attachment.pk}/" in html
        assert "automatic re-triage" in html
        client.post(
            url, {"form": "message", "message-text": "Please send the CT", "message-requested_documents": ["ct_mri"]}
        )
        message = InquiryMessage.objects.get(author_kind="staff")
        assert (message.author, message.requested_documents) == (triage_user, ["ct_mri"])
        html = client.get(url).content.decode()
        assert html.index(URGENT_WORDS) < html.index("Please send the CT")
        client.post(url, {"form": "revoke_links"})
        assert Inquiry.objects.get(pk=inquiry.pk).follow_up_revoked_at is not None

    @pytest.mark.parametrize("role", ["editor", "medical_reviewer", "directory_maintainer"])
    def test_other_roles_cannot_message_revoke_or_acknowledge(self, client, request, role):
        inquiry = net_inquiry()
        followup.follow_up_reply(inquiry=inquiry, text="hello")
        client.force_login(request.getfixturevalue(role))
        url = f"{QUEUE}{inquiry.pk}/change/"
        for data in (
            {"form": "message", "message-text": "hi"},
            {"form": "revoke_links"},
            {"form": "reply_seen"},
        ):
            assert client.post(url, data).status_code == 403
        inquiry.refresh_from_db()
        assert inquiry.patient_replied_at is not None and inquiry.follow_up_revoked_at is None
        assert not InquiryMessage.objects.filter(author_kind="staff").exists()

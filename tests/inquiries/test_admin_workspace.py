"""The triage workspace in the admin: queue, filters, actions, detail page, downloads, access control."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.signals import got_request_exception
from django.utils import timezone
from django.views.debug import SafeExceptionReporterFilter

from inquiries import followup, services
from inquiries.models import AccessLogEntry, Inquiry, Notification
from tests.factories import StaffUserFactory
from tests.inquiries.helpers import PDF_BYTES, checked_pdf, pdf, urgent_net_data, valid_data
from tests.inquiries.test_admin import make_inquiry

pytestmark = pytest.mark.django_db

QUEUE = "/admin/inquiries/inquiry/"


def aged(inquiry, hours):
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    inquiry.refresh_from_db()
    return inquiry


def references(response):
    return [inquiry.reference for inquiry in response.context["cl"].result_list]


@pytest.fixture
def queue(triage_user):
    routine = aged(make_inquiry(valid_data(country="KZ")), 100)  # overdue (72 h)
    urgent = aged(make_inquiry(urgent_net_data(email="net@example.invalid", patient_name="Mira Net")), 1 / 60)
    high = aged(make_inquiry(valid_data(is_cancer="yes", diagnosis="Brustkrebs")), 2 / 60)
    closed = make_inquiry(urgent_net_data())
    services.inquiry_close(inquiry=closed, reason="duplicate", by=triage_user)
    services.inquiry_assign(inquiry=high, assignee=triage_user, by=triage_user)
    return {"routine": routine, "urgent": urgent, "high": high, "closed": closed}


class TestQueue:
    def test_open_first_then_priority_then_age_with_bounded_queries(
        self, client, triage_user, queue, django_assert_max_num_queries
    ):
        client.force_login(triage_user)
        with django_assert_max_num_queries(10):
            response = client.get(QUEUE)
        assert response.status_code == 200
        assert references(response) == [
            queue["urgent"].reference,
            queue["high"].reference,
            queue["routine"].reference,
            queue["closed"].reference,
        ]
        html = response.content.decode()
        assert 'class="badge-priority badge-priority-urgent">urgent</span>' in html
        assert "Oncology case with an urgent signal" in html
        assert "overdue by" in html

    def test_the_query_count_does_not_grow_with_the_rows(self, client, triage_user, django_assert_max_num_queries):
        for _ in range(12):
            services.inquiry_assign(inquiry=make_inquiry(urgent_net_data()), assignee=triage_user, by=triage_user)
        client.force_login(triage_user)
        with django_assert_max_num_queries(10):
            assert client.get(QUEUE).status_code == 200

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("priority__exact=urgent", ["urgent", "closed"]),
            ("status__exact=closed", ["closed"]),
            ("assigned=me", ["high"]),
            ("assigned=none", ["urgent", "routine", "closed"]),
            ("overdue=yes", ["routine"]),
            ("country=KZ", ["routine"]),
            ("q=net@example.invalid", ["urgent"]),
            ("q=Mira", ["urgent"]),
        ],
    )
    def test_filters_and_search(self, client, triage_user, queue, query, expected):
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}?{query}")
        assert response.status_code == 200
        assert references(response) == [queue[name].reference for name in expected]

    def test_filter_by_requested_treatment_and_preferred_hospital(self, client, triage_user, queue):
        from tests.factories import TreatmentFactory
        from tests.hospitals.factories import HospitalFactory

        treatment = TreatmentFactory(slug="lutetium-177-prrt")
        hospital = HospitalFactory(slug="klinik-nord")
        wanted = make_inquiry(
            urgent_net_data(requested_treatment=str(treatment.pk), preferred_hospital=str(hospital.pk))
        )
        client.force_login(triage_user)
        for query in (
            f"requested_treatment__id__exact={treatment.pk}",
            f"preferred_hospital__id__exact={hospital.pk}",
        ):
            assert references(client.get(f"{QUEUE}?{query}")) == [wanted.reference], query

    def test_search_by_reference(self, client, triage_user, queue):
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}?q={queue['high'].reference}")
        assert references(response) == [queue["high"].reference]

    def test_escalated_inquiries_are_marked(self, client, triage_user, queue):
        Inquiry.objects.filter(pk=queue["urgent"].pk).update(escalated_at=timezone.now())
        client.force_login(triage_user)
        assert 'class="badge-escalated"' in client.get(QUEUE).content.decode()


class TestActions:
    def post_action(self, client, action, inquiries, follow=False, **data):
        return client.post(
            QUEUE, {"action": action, "_selected_action": [i.pk for i in inquiries], **data}, follow=follow
        )

    def test_assign_to_me_tells_the_loser_who_has_it(self, client, triage_user, queue):
        colleague = StaffUserFactory(username="colleague", roles=["Triage staff"])
        client.force_login(colleague)
        response = self.post_action(client, "assign_to_me", [queue["urgent"], queue["high"]], follow=True)
        text = response.content.decode()
        assert "1 inquiry assigned to you." in text
        assert f"{queue['high'].reference} is already assigned to triage." in text
        assert Inquiry.objects.get(pk=queue["urgent"].pk).assigned_to == colleague

    def test_mark_contacted_records_the_first_response(self, client, triage_user, queue):
        client.force_login(triage_user)
        self.post_action(client, "mark_contacted", [queue["urgent"]])
        urgent = Inquiry.objects.get(pk=queue["urgent"].pk)
        assert urgent.status == "contacted"
        assert urgent.first_response_at is not None

    def test_close_asks_for_a_reason_first(self, client, triage_user, queue):
        client.force_login(triage_user)
        response = self.post_action(client, "close_with_reason", [queue["routine"]])
        assert response.status_code == 200
        assert 'name="reason"' in response.content.decode()
        response = self.post_action(client, "close_with_reason", [queue["routine"]], apply="1", reason="")
        assert Inquiry.objects.get(pk=queue["routine"].pk).status == "new"
        self.post_action(client, "close_with_reason", [queue["routine"]], apply="1", reason="no_reply")
        routine = Inquiry.objects.get(pk=queue["routine"].pk)
        assert (routine.status, routine.closing_reason) == ("closed", "no_reply")

    def test_change_priority_needs_a_reason(self, client, triage_user, queue):
        client.force_login(triage_user)
        self.post_action(client, "change_priority", [queue["routine"]], apply="1", priority="high", reason="")
        assert Inquiry.objects.get(pk=queue["routine"].pk).priority == "routine"
        self.post_action(
            client, "change_priority", [queue["routine"]], apply="1", priority="high", reason="Doctor's letter"
        )
        routine = Inquiry.objects.get(pk=queue["routine"].pk)
        assert (routine.priority, routine.triage_priority) == ("high", "routine")

    def test_assign_to_a_colleague(self, client, triage_user, queue):
        colleague = StaffUserFactory(username="colleague", roles=["Triage staff"])
        client.force_login(triage_user)
        self.post_action(client, "assign_to_colleague", [queue["high"]], apply="1", assignee=colleague.pk)
        assert Inquiry.objects.get(pk=queue["high"].pk).assigned_to == colleague

    def test_the_csv_export_has_no_health_data_and_is_logged(self, client, triage_user, queue):
        client.force_login(triage_user)
        response = self.post_action(client, "export_csv", list(queue.values()))
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0][:3] == ["reference", "priority", "triage_priority"]
        assert len(rows) == 5
        text = response.content.decode()
        for private in ("Mira", "net@example.invalid", "Neuroendokriner", "Brustkrebs", "Oncology"):
            assert private not in text
        exported = AccessLogEntry.objects.filter(action="export", username="triage")
        assert set(exported.values_list("reference", flat=True)) == {i.reference for i in queue.values()}


class TestDetailPage:
    def test_reading_page_with_reasons_documents_and_logged_view(self, client, triage_user):
        inquiry = make_inquiry(urgent_net_data(), files=[pdf(name="Befund.pdf")])
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}{inquiry.pk}/change/", REMOTE_ADDR="10.1.2.3")
        html = response.content.decode()
        assert "Oncology case with an urgent signal" in html
        assert "Neuroendokriner Tumor des Dünndarms" in html
        attachment = inquiry.attachments.get()
        assert f"{QUEUE}{inquiry.pk}/documents/{attachment.pk}/" in html
        entry = AccessLogEntry.objects.get(action="view")
        assert (entry.username, entry.ip_address, entry.reference) == ("triage", "10.1.2.3", inquiry.reference)
        assert "10.1.2.3" in html  # the access log is shown on the page

    def test_the_page_and_the_dashboard_have_pinned_query_counts(
        self, client, triage_user, django_assert_max_num_queries
    ):
        inquiry = make_inquiry(urgent_net_data(), files=[pdf(), pdf(name="second.pdf")])
        for number in range(3):
            services.note_add(inquiry=inquiry, text=f"note {number}", by=triage_user)
            services.contact_log_add(inquiry=inquiry, channel="phone", outcome="reached", by=triage_user)
        for number in range(3):
            followup.follow_up_reply(inquiry=inquiry, text=f"reply {number}", documents=[checked_pdf()])
        followup.follow_up_message_send(inquiry=inquiry, text="Thank you", by=triage_user)
        client.force_login(triage_user)
        # 16 (was 14): the conversation with the patient, one query for the messages and one for
        # their documents, however many there are.
        with django_assert_max_num_queries(16):
            assert client.get(f"{QUEUE}{inquiry.pk}/change/").status_code == 200
        # 9: the dashboard's two counts, and two for the task worker (its last heartbeat, the oldest
        # waiting urgent alert), on top of the session, the user and the admin's own.
        with django_assert_max_num_queries(9):
            assert client.get("/admin/").status_code == 200

    def test_notes_and_contacts_are_added_from_the_page(self, client, triage_user):
        inquiry = make_inquiry()
        client.force_login(triage_user)
        url = f"{QUEUE}{inquiry.pk}/change/"
        client.post(url, {"form": "note", "note-text": "Asked for the CT report"})
        client.post(url, {"form": "contact", "contact-channel": "phone", "contact-outcome": "no_answer"})
        client.post(url, {"form": "assign_me"})
        html = client.get(url).content.decode()
        assert "Asked for the CT report" in html
        assert "no answer" in html
        assert inquiry.notes.get().author == triage_user
        assert Inquiry.objects.get(pk=inquiry.pk).assigned_to == triage_user

    def test_follow_up_by_hand_is_marked_done_from_the_page(self, client, triage_user):
        inquiry = make_inquiry()
        Inquiry.objects.filter(pk=inquiry.pk).update(needs_follow_up=True)
        client.force_login(triage_user)
        url = f"{QUEUE}{inquiry.pk}/change/"
        assert "Done: sender contacted" in client.get(url).content.decode()
        client.post(url, {"form": "follow_up_done"})
        assert not Inquiry.objects.get(pk=inquiry.pk).needs_follow_up
        assert AccessLogEntry.objects.filter(detail="follow-up done").exists()

    def test_an_error_report_hides_what_was_posted(self, client, triage_user, monkeypatch):
        inquiry = make_inquiry()
        client.force_login(triage_user)
        seen = {}
        receiver = lambda sender, request, **kwargs: seen.setdefault("request", request)  # noqa: E731
        got_request_exception.connect(receiver)

        def broken(**kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(services, "note_add", broken)
        client.raise_request_exception = False
        try:
            response = client.post(f"{QUEUE}{inquiry.pk}/change/", {"form": "note", "note-text": "Lebermetastasen"})
        finally:
            got_request_exception.disconnect(receiver)
        assert response.status_code == 500
        parameters = SafeExceptionReporterFilter().get_post_parameters(seen["request"])
        assert parameters["note-text"] != "Lebermetastasen"
        assert set(parameters["note-text"]) == {"*"}

    def test_the_queue_also_hides_posted_reasons_from_error_reports(self, client, triage_user, monkeypatch):
        inquiry = make_inquiry()
        client.force_login(triage_user)
        seen = {}
        receiver = lambda sender, request, **kwargs: seen.setdefault("request", request)  # noqa: E731
        got_request_exception.connect(receiver)
        monkeypatch.setattr(services, "inquiry_override_priority", lambda **kwargs: 1 / 0)
        client.raise_request_exception = False
        try:
            data = {"action": "change_priority", "_selected_action": [inquiry.pk], "apply": "1", "priority": "high"}
            response = client.post(QUEUE, {**data, "reason": "Lebermetastasen"})
        finally:
            got_request_exception.disconnect(receiver)
        assert response.status_code == 500
        assert set(SafeExceptionReporterFilter().get_post_parameters(seen["request"])["reason"]) == {"*"}

    def test_the_download_is_an_attachment_with_a_safe_type_and_is_logged(self, client, triage_user):
        inquiry = make_inquiry(urgent_net_data(), files=[pdf(name="Befund <1>.pdf")])
        attachment = inquiry.attachments.get()
        client.force_login(triage_user)
        response = client.get(f"{QUEUE}{inquiry.pk}/documents/{attachment.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert AccessLogEntry.objects.filter(action="download", reference=inquiry.reference).exists()

    def test_a_document_of_another_inquiry_is_not_found(self, client, triage_user):
        first = make_inquiry(files=[pdf()])
        second = make_inquiry()
        client.force_login(triage_user)
        assert client.get(f"{QUEUE}{second.pk}/documents/{first.attachments.get().pk}/").status_code == 404


def inquiry_urls(inquiry):
    attachment = inquiry.attachments.get()
    return [
        QUEUE,
        f"{QUEUE}?overdue=yes",
        f"{QUEUE}{inquiry.pk}/change/",
        f"{QUEUE}{inquiry.pk}/history/",
        f"{QUEUE}{inquiry.pk}/documents/{attachment.pk}/",
        "/admin/inquiries/accesslogentry/",
    ]


@pytest.mark.parametrize("role_fixture", ["editor", "directory_maintainer", "medical_reviewer"])
def test_other_roles_get_403_on_every_inquiry_url(client, request, role_fixture):
    inquiry = make_inquiry(urgent_net_data(), files=[pdf()])
    client.force_login(request.getfixturevalue(role_fixture))
    for url in inquiry_urls(inquiry):
        assert client.get(url).status_code in (403,), url
    post = client.post(f"{QUEUE}{inquiry.pk}/change/", {"form": "note", "note-text": "x"})
    assert post.status_code == 403
    # Django's app index answers 404 to a role that sees none of the app's models; it shows nothing.
    assert client.get("/admin/inquiries/").status_code == 404
    assert not AccessLogEntry.objects.filter(action__in=["view", "download"]).exists()


@pytest.mark.parametrize("role_fixture", ["triage_user", "superuser"])
def test_triage_staff_and_superusers_open_every_inquiry_url(client, request, role_fixture):
    inquiry = make_inquiry(urgent_net_data(), files=[pdf()])
    client.force_login(request.getfixturevalue(role_fixture))
    for url in inquiry_urls(inquiry):
        assert client.get(url).status_code == 200, url


def test_anonymous_visitors_are_sent_to_the_login(client):
    inquiry = make_inquiry(urgent_net_data(), files=[pdf()])
    for url in inquiry_urls(inquiry):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/admin/login/" in response["Location"]


def test_the_access_log_cannot_be_edited_or_deleted_in_the_admin(client, superuser):
    inquiry = make_inquiry()
    entry = services.access_log_record(inquiry=inquiry, user=superuser, action="view")
    client.force_login(superuser)
    assert client.get(f"/admin/inquiries/accesslogentry/{entry.pk}/change/").status_code == 200
    client.post(f"/admin/inquiries/accesslogentry/{entry.pk}/change/", {"detail": "rewritten"})
    assert client.get(f"/admin/inquiries/accesslogentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/inquiries/accesslogentry/add/").status_code == 403
    assert AccessLogEntry.objects.get(pk=entry.pk).detail == ""


def test_the_dashboard_counts_what_matters_now(client, triage_user, queue):
    Notification.objects.create(inquiry=queue["urgent"], kind="oncall", status="failed", attempts=5)
    client.force_login(triage_user)
    html = client.get("/admin/").content.decode()
    assert "Triage now" in html
    assert references(client.get(f"{QUEUE}?email_failed=yes")) == [queue["urgent"].reference]
    today_link = html.split("?created_at__gte=")[1].split('"')[0]
    assert len(references(client.get(f"{QUEUE}?created_at__gte={today_link}"))) == 3  # the closed one too
    from inquiries.admin import dashboard_counts

    counts = dashboard_counts()
    assert counts.pop("today").startswith(timezone.localdate().isoformat())
    assert counts.pop("worker")["last_seen"] is None
    assert counts == {
        "urgent_open": 1,
        "overdue": 1,
        "unassigned": 2,
        "new_today": 2,
        "failed_notifications": 1,
        "replies_waiting": 0,
    }


def test_the_dashboard_warns_when_no_task_worker_reports_in(client, triage_user, settings):
    from inquiries.models import WorkerHeartbeat
    from inquiries.worker import heartbeat_record

    settings.TRIAGE_WORKER_SILENT_SECONDS = 120
    client.force_login(triage_user)
    html = client.get("/admin/").content.decode()
    assert "no task worker has reported in" in html
    assert "E-mails and urgent alerts are not being sent." in html
    heartbeat_record(worker_id="w1", hostname="h", started_at=timezone.now(), jobs_done=0)
    html = client.get("/admin/").content.decode()
    assert "E-mails and urgent alerts are not being sent." not in html
    assert "since a task worker last reported in" in html
    WorkerHeartbeat.objects.update(last_seen_at=timezone.now() - timedelta(minutes=7))
    html = client.get("/admin/").content.decode()
    assert '<span class="count count-alert">7 min</span> since a task worker last reported in' in html
    assert "E-mails and urgent alerts are not being sent." in html


def test_the_dashboard_shows_how_long_the_oldest_urgent_alert_has_waited(client, triage_user, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TRIAGE_ONCALL_EMAILS = ["oncall@example.invalid"]
    make_inquiry(urgent_net_data())
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(minutes=3, seconds=5))
    client.force_login(triage_user)
    html = client.get("/admin/").content.decode()
    assert '<span class="count count-alert">3 min</span> oldest urgent alert waiting to be sent' in html


def test_the_dashboard_is_hidden_from_other_roles(client, editor):
    client.force_login(editor)
    assert "Triage now" not in client.get("/admin/").content.decode()

"""The triage workflow, deadlines and overrides, through the services (issue 6)."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from inquiries import services
from inquiries.models import AccessLogEntry, Inquiry, PriorityOverride
from tests.factories import StaffUserFactory
from tests.inquiries.helpers import urgent_net_data, valid_data
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db


def received(data=None, *, hours_ago=0):
    inquiry, _ = submit(data or valid_data())
    created_at = timezone.now() - timedelta(hours=hours_ago)
    Inquiry.objects.filter(pk=inquiry.pk).update(created_at=created_at)
    inquiry.refresh_from_db()
    return inquiry


class TestDeadlines:
    @pytest.mark.parametrize(("data", "hours"), [(urgent_net_data, 4), (valid_data, 72)])
    def test_the_deadline_is_the_receipt_plus_the_priority_hours(self, data, hours):
        inquiry = received(data())
        assert inquiry.deadline == inquiry.created_at + timedelta(hours=hours)
        annotated = Inquiry.objects.with_deadline().get(pk=inquiry.pk)
        assert annotated.first_response_due == inquiry.created_at + timedelta(hours=hours)

    def test_the_hours_come_from_settings(self, settings):
        settings.TRIAGE_FIRST_RESPONSE_HOURS = {"urgent": 1, "high": 2, "routine": 3}
        inquiry = received(urgent_net_data())
        assert Inquiry.objects.with_deadline().get(pk=inquiry.pk).first_response_due == inquiry.created_at + timedelta(
            hours=1
        )

    def test_overdue_at_the_boundary_and_not_a_second_before(self):
        inquiry = received(urgent_net_data())
        deadline = inquiry.created_at + timedelta(hours=4)
        assert not Inquiry.objects.overdue(deadline - timedelta(seconds=1)).exists()
        assert not inquiry.is_overdue(deadline - timedelta(seconds=1))
        assert list(Inquiry.objects.overdue(deadline)) == [inquiry]
        assert inquiry.is_overdue(deadline)

    def test_an_answered_or_closed_inquiry_is_never_overdue(self, triage_user):
        answered = received(urgent_net_data(), hours_ago=10)
        services.inquiry_change_status(inquiry=answered, status="in_triage", by=triage_user)
        assert not Inquiry.objects.overdue(timezone.now()).exists()


class TestWorkflow:
    def test_the_first_move_out_of_new_records_the_first_response_once(self, triage_user):
        inquiry = received()
        services.inquiry_change_status(inquiry=inquiry, status="in_triage", by=triage_user)
        first = inquiry.first_response_at
        assert first is not None
        assert inquiry.first_response_time == first - inquiry.created_at
        services.inquiry_change_status(inquiry=inquiry, status="contacted", by=triage_user)
        services.inquiry_change_status(inquiry=inquiry, status="awaiting_documents", by=triage_user)
        services.inquiry_change_status(inquiry=inquiry, status="referred", by=triage_user)
        inquiry.refresh_from_db()
        assert inquiry.status == "referred"
        assert inquiry.first_response_at == first
        details = list(AccessLogEntry.objects.filter(inquiry=inquiry).values_list("detail", flat=True))
        assert "status: new → in_triage" in details

    def test_closing_needs_a_reason_and_ends_the_workflow(self, triage_user):
        inquiry = received()
        with pytest.raises(services.TriageError):
            services.inquiry_change_status(inquiry=inquiry, status="closed", by=triage_user)
        with pytest.raises(services.TriageError):
            services.inquiry_close(inquiry=inquiry, reason="", by=triage_user)
        services.inquiry_close(inquiry=inquiry, reason="no_reply", by=triage_user)
        assert inquiry.status == "closed"
        assert inquiry.closed_at is not None
        assert inquiry.first_response_at is not None
        with pytest.raises(services.TriageError):
            services.inquiry_change_status(inquiry=inquiry, status="contacted", by=triage_user)

    def test_back_to_new_is_refused(self, triage_user):
        inquiry = received()
        services.inquiry_change_status(inquiry=inquiry, status="contacted", by=triage_user)
        with pytest.raises(services.TriageError):
            services.inquiry_change_status(inquiry=inquiry, status="new", by=triage_user)

    def test_the_database_refuses_a_closed_inquiry_without_reason(self):
        from django.db import IntegrityError

        inquiry = received()
        with pytest.raises(IntegrityError), transaction.atomic():
            Inquiry.objects.filter(pk=inquiry.pk).update(status="closed")


class TestOverride:
    def test_the_override_keeps_the_automatic_triage_and_records_who_and_why(self, triage_user):
        inquiry = received(urgent_net_data())
        reasons = list(inquiry.triage_reasons)
        override = services.inquiry_override_priority(
            inquiry=inquiry, priority="high", reason="Spoke to the doctor: stable", by=triage_user
        )
        inquiry.refresh_from_db()
        assert inquiry.priority == "high"
        assert inquiry.triage_priority == "urgent"
        assert inquiry.triage_reasons == reasons
        assert (override.from_priority, override.to_priority, override.created_by) == ("urgent", "high", triage_user)
        assert override.reason == "Spoke to the doctor: stable"
        assert AccessLogEntry.objects.filter(inquiry=inquiry, detail="priority: urgent → high").exists()
        # The deadline follows the working priority.
        assert inquiry.deadline == inquiry.created_at + timedelta(hours=24)

    @pytest.mark.parametrize("reason", ["", "   "])
    def test_an_override_without_a_reason_is_refused(self, triage_user, reason):
        inquiry = received(urgent_net_data())
        with pytest.raises(services.TriageError):
            services.inquiry_override_priority(inquiry=inquiry, priority="routine", reason=reason, by=triage_user)
        assert PriorityOverride.objects.count() == 0
        inquiry.refresh_from_db()
        assert inquiry.priority == "urgent"


class TestAssignment:
    def test_assign_to_me_then_a_colleague_is_told_it_is_taken(self, triage_user):
        colleague = StaffUserFactory(username="colleague")
        inquiry = received()
        stale = Inquiry.objects.get(pk=inquiry.pk)
        services.inquiry_assign(inquiry=inquiry, assignee=triage_user, by=triage_user)
        with pytest.raises(services.AssignmentConflict, match="already assigned to triage"):
            services.inquiry_assign(inquiry=stale, assignee=colleague, by=colleague)
        assert Inquiry.objects.get(pk=inquiry.pk).assigned_to == triage_user

    def test_reassigning_to_a_colleague_is_explicit(self, triage_user):
        colleague = StaffUserFactory(username="colleague")
        inquiry = received()
        services.inquiry_assign(inquiry=inquiry, assignee=triage_user, by=triage_user)
        services.inquiry_assign(inquiry=inquiry, assignee=colleague, by=triage_user, replace=True)
        assert Inquiry.objects.get(pk=inquiry.pk).assigned_to == colleague
        assert AccessLogEntry.objects.filter(detail="assigned: triage → colleague").exists()

    def test_the_sqlite_fallback_decides_by_the_conditional_update(self, triage_user, monkeypatch):
        """Even if the row lock did not see the owner (SQLite has none), the UPDATE … WHERE NULL decides."""
        colleague = StaffUserFactory(username="colleague")
        inquiry = received()
        original = services._locked

        def lock_then_lose(instance):
            locked = original(instance)
            Inquiry.objects.filter(pk=instance.pk).update(assigned_to=triage_user)  # the other request won
            return locked

        monkeypatch.setattr(services, "_locked", lock_then_lose)
        with pytest.raises(services.AssignmentConflict):
            services.inquiry_assign(inquiry=inquiry, assignee=colleague, by=colleague)
        # (The simulated winner's update was in this same transaction, so it rolled back too.)
        assert Inquiry.objects.get(pk=inquiry.pk).assigned_to != colleague


class TestNotesAndContacts:
    def test_a_note_and_a_contact_are_recorded_without_their_text_in_the_log(self, triage_user):
        inquiry = received()
        services.note_add(inquiry=inquiry, text="Lebermetastasen laut Befund", by=triage_user)
        services.contact_log_add(
            inquiry=inquiry, channel="phone", outcome="reached", summary="Daughter called", by=triage_user
        )
        assert inquiry.notes.get().author == triage_user
        assert inquiry.contact_log.get().outcome == "reached"
        log = " ".join(AccessLogEntry.objects.values_list("detail", flat=True))
        assert "Lebermetastasen" not in log
        assert "Daughter" not in log

    def test_an_empty_note_is_refused(self, triage_user):
        with pytest.raises(services.TriageError):
            services.note_add(inquiry=received(), text="  ", by=triage_user)


class TestAccessLog:
    def test_entries_cannot_be_changed_or_deleted(self, triage_user):
        inquiry = received()
        entry = services.access_log_record(inquiry=inquiry, user=triage_user, action="view")
        entry.detail = "rewritten"
        with pytest.raises(PermissionError):
            entry.save()
        with pytest.raises(PermissionError):
            entry.delete()
        with pytest.raises(PermissionError):
            AccessLogEntry.objects.all().delete()
        with pytest.raises(PermissionError):
            AccessLogEntry.objects.update(detail="x")


def test_the_queue_puts_open_first_then_priority_then_age(triage_user):
    old_routine = received(valid_data(), hours_ago=30)
    new_urgent = received(urgent_net_data(), hours_ago=1)
    old_urgent = received(urgent_net_data(), hours_ago=2)
    high = received(valid_data(is_cancer="yes", diagnosis="Brustkrebs"), hours_ago=50)
    closed_urgent = received(urgent_net_data(), hours_ago=3)
    services.inquiry_close(inquiry=closed_urgent, reason="duplicate", by=triage_user)
    assert list(Inquiry.objects.queue()) == [old_urgent, new_urgent, high, old_routine, closed_urgent]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger is PostgreSQL's")
def test_the_database_refuses_to_rewrite_or_delete_the_access_log(triage_user):
    inquiry = received()
    entry = services.access_log_record(inquiry=inquiry, user=triage_user, action="view")
    for sql in (
        "UPDATE inquiries_accesslogentry SET detail = 'rewritten' WHERE id = %s",
        "UPDATE inquiries_accesslogentry SET actor = 'patient' WHERE id = %s",
        "DELETE FROM inquiries_accesslogentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    # Unlinking on erasure stays possible.
    inquiry.delete()
    assert AccessLogEntry.objects.get(pk=entry.pk).inquiry is None

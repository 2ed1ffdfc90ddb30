"""Two staff assign the same inquiry at the same moment: one owner, the other is told (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from inquiries import services
from inquiries.models import Inquiry
from tests.factories import StaffUserFactory
from tests.inquiries.test_services import submit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite: test_workspace")
def test_two_simultaneous_assignments_give_one_owner_and_one_conflict():
    inquiry, _ = submit()
    users = [StaffUserFactory(username="anna"), StaffUserFactory(username="ben")]
    barrier = threading.Barrier(2)
    outcomes = {}

    def assign(user):
        try:
            barrier.wait(timeout=10)
            services.inquiry_assign(inquiry=Inquiry.objects.get(pk=inquiry.pk), assignee=user, by=user)
            outcomes[user.username] = "owner"
        except services.AssignmentConflict as conflict:
            outcomes[user.username] = str(conflict)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=assign, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert list(outcomes.values()).count("owner") == 1
    owner = Inquiry.objects.get(pk=inquiry.pk).assigned_to.username
    loser = next(name for name in outcomes if name != owner)
    assert f"already assigned to {owner}" in outcomes[loser]

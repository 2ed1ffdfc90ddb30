import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.utils import timezone

from hospitals.models import AdmissionStatus, Hospital
from hospitals.services import admission_status_record
from tests.hospitals.factories import HospitalCertificationFactory, HospitalFactory, record_status

pytestmark = pytest.mark.django_db

Status = AdmissionStatus.Status
DAY = datetime.timedelta(days=1)
CHANGELIST = "/admin/hospitals/hospital/"


def record_action(client, hospitals, **data):
    payload = {
        "action": "record_new_status",
        ACTION_CHECKBOX_NAME: [h.pk for h in hospitals],
        "status": Status.URGENT_ONLY,
        "effective_from": timezone.localdate().isoformat(),
        "note": "Cancer care after review of records",
        "reason": AdmissionStatus.Reason.LOCKDOWN,
        "valid_until": "",
        "source": AdmissionStatus.Source.PHONE,
        "source_reference": "Call with the international office",
        "verified_at": "",
        **data,
    }
    return client.post(CHANGELIST, payload)


def test_the_bulk_action_records_one_event_per_hospital_attributed_to_the_user(client, directory_maintainer):
    hospitals = [HospitalFactory() for _ in range(3)]
    untouched = HospitalFactory()
    previous = record_status(hospitals[0], Status.ACCEPTING, effective_from=timezone.localdate() - 3 * DAY)
    client.force_login(directory_maintainer)
    confirm = client.post(CHANGELIST, {"action": "record_new_status", ACTION_CHECKBOX_NAME: [h.pk for h in hospitals]})
    assert confirm.status_code == 200
    assert "Record a new admission status" in confirm.text

    response = record_action(client, hospitals, apply="1")
    assert response.status_code == 302
    events = AdmissionStatus.objects.filter(hospital__in=hospitals, status=Status.URGENT_ONLY)
    assert events.count() == 3
    assert {event.hospital_id for event in events} == {h.pk for h in hospitals}
    assert all(event.recorded_by == directory_maintainer for event in events)
    assert not untouched.admission_statuses.exists()
    previous.refresh_from_db()
    assert previous.status == Status.ACCEPTING
    for hospital in hospitals:
        assert Hospital.objects.get(pk=hospital.pk).current_status.effective_status == Status.URGENT_ONLY


def test_the_bulk_action_refuses_invalid_input_and_records_nothing(client, directory_maintainer):
    hospitals = [HospitalFactory() for _ in range(2)]
    client.force_login(directory_maintainer)
    response = record_action(
        client, hospitals, apply="1", status=Status.ACCEPTING, reason=AdmissionStatus.Reason.STAFF
    )
    assert response.status_code == 200
    assert "A reason is only recorded for" in response.text
    assert not AdmissionStatus.objects.exists()


def test_the_status_service_is_all_or_nothing(monkeypatch, directory_maintainer):
    hospitals = [HospitalFactory() for _ in range(3)]
    original_save = AdmissionStatus.save
    calls = []

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise RuntimeError("database hiccup")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(AdmissionStatus, "save", failing_save)
    with pytest.raises(RuntimeError):
        admission_status_record(
            hospitals=hospitals,
            status=Status.NOT_ACCEPTING,
            effective_from=timezone.localdate(),
            source=AdmissionStatus.Source.EMAIL,
            recorded_by=directory_maintainer,
        )
    assert not AdmissionStatus.objects.exists()


def test_the_admin_refuses_to_edit_or_delete_past_events(client, directory_maintainer, superuser):
    event = record_status(HospitalFactory(), Status.ACCEPTING, note="Original")
    url = f"/admin/hospitals/admissionstatus/{event.pk}/change/"
    for user in (directory_maintainer, superuser):
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200  # a read-only view
        assert 'name="note"' not in page.text
        assert client.post(url, {"status": Status.NOT_ACCEPTING, "note": "Rewritten"}).status_code == 403
        assert client.post(f"/admin/hospitals/admissionstatus/{event.pk}/delete/", {"post": "yes"}).status_code == 403
        bulk_delete = client.post(
            "/admin/hospitals/admissionstatus/",
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [event.pk], "post": "yes"},
        )
        assert bulk_delete.status_code in (200, 302)
    event.refresh_from_db()
    assert (event.status, event.note) == (Status.ACCEPTING, "Original")
    assert AdmissionStatus.objects.count() == 1


def test_the_history_inline_on_the_hospital_is_read_only(client, directory_maintainer):
    hospital = HospitalFactory()
    record_status(hospital, Status.ACCEPTING, note="First")
    client.force_login(directory_maintainer)
    page = client.get(f"/admin/hospitals/hospital/{hospital.pk}/change/")
    assert page.status_code == 200
    assert "First" in page.text
    for field in ("status", "note", "effective_from", "verified_at", "DELETE"):
        assert f'name="admission_statuses-0-{field}"' not in page.text


def test_a_hospital_with_a_status_history_cannot_be_deleted_in_the_admin(client, superuser):
    hospital = HospitalFactory()
    record_status(hospital)
    client.force_login(superuser)
    assert client.post(f"/admin/hospitals/hospital/{hospital.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Hospital.objects.filter(pk=hospital.pk).exists()


def test_adding_a_status_in_the_admin_goes_through_the_service(client, directory_maintainer):
    hospital = HospitalFactory()
    client.force_login(directory_maintainer)
    # Verified a minute ago, on the Berlin wall clock the admin form is filled in with.
    verified = timezone.localtime() - datetime.timedelta(minutes=1)
    response = client.post(
        "/admin/hospitals/admissionstatus/add/",
        {
            "hospital": hospital.pk,
            "status": Status.NOT_ACCEPTING,
            "effective_from": timezone.localdate().isoformat(),
            "note": "",
            "reason": AdmissionStatus.Reason.CAPACITY,
            "valid_until": "",
            "source": AdmissionStatus.Source.WEBSITE,
            "source_reference": "https://klinik.example/news",
            "verified_at_0": verified.date().isoformat(),
            "verified_at_1": verified.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code == 302, response.text
    event = hospital.admission_statuses.get()
    assert event.recorded_by == directory_maintainer
    assert event.status == Status.NOT_ACCEPTING


@pytest.mark.parametrize("role_fixture", ["editor", "triage_user"])
def test_editors_and_triage_staff_cannot_change_hospitals(client, request, role_fixture):
    hospital = HospitalFactory()
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"/admin/hospitals/hospital/{hospital.pk}/change/").status_code == 403
    assert record_action(client, [hospital], apply="1").status_code == 403
    assert not AdmissionStatus.objects.exists()
    # The public directory is open to them like to anyone.
    assert client.get("/hospitals/").status_code == 200


def test_the_changelist_filters_stale_and_lists_hospitals_due_for_a_check(client, directory_maintainer):
    fresh = HospitalFactory(name="Fresh")
    record_status(fresh, Status.ACCEPTING)
    stale = HospitalFactory(name="Stale")
    record_status(
        stale, Status.ACCEPTING, effective_from=timezone.localdate() - 30 * DAY, verified_at=timezone.now() - 30 * DAY
    )
    never = HospitalFactory(name="Never")
    client.force_login(directory_maintainer)
    page = client.get(CHANGELIST)
    assert "2 hospitals are due for a status check." in page.text

    def listed(query):
        return {h.name for h in client.get(f"{CHANGELIST}?{query}").context["cl"].result_list}

    assert listed("check_due=stale") == {"Stale"}
    assert listed("check_due=never") == {"Never"}
    assert listed("check_due=due") == {"Stale", "Never"}
    assert listed("current_status=unknown") == {"Stale", "Never"}
    assert listed("current_status=accepting") == {"Fresh"}
    assert never.pk


@pytest.mark.parametrize("count", [5, 60])
def test_the_changelist_runs_a_fixed_number_of_queries(
    client, superuser, make_many_hospitals, django_assert_max_num_queries, count
):
    make_many_hospitals(count)
    client.force_login(superuser)
    with django_assert_max_num_queries(9):
        response = client.get(f"{CHANGELIST}?check_due=due")
    assert response.status_code == 200


def test_certification_expiry_warnings(client, directory_maintainer):
    today = timezone.localdate()
    soon = HospitalCertificationFactory(valid_until=today + 20 * DAY)
    HospitalCertificationFactory(hospital=soon.hospital, valid_from=today - 400 * DAY, valid_until=today - DAY)
    client.force_login(directory_maintainer)
    page = client.get(f"/admin/hospitals/hospital/{soon.hospital.pk}/change/")
    assert "expires on" in page.text
    assert "expired on" in page.text
    listing = client.get("/admin/hospitals/hospitalcertification/")
    assert "1 certification expires within 90 days." in listing.text
    expiring = client.get("/admin/hospitals/hospitalcertification/?validity=expiring")
    assert list(expiring.context["cl"].result_list) == [soon]


def test_site_notice_admin_stamps_the_author(client, directory_maintainer):
    client.force_login(directory_maintainer)
    response = client.post(
        "/admin/hospitals/sitenotice/add/",
        {
            "title_en": "Lockdown",
            "message_en": "Many hospitals admit urgent cases only.",
            "title_de": "",
            "message_de": "",
            "level": "warning",
            "starts_at_0": timezone.localdate().isoformat(),
            "starts_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.text
    from hospitals.models import SiteNotice

    assert SiteNotice.objects.get().created_by == directory_maintainer


def test_the_hospital_page_links_to_recording_a_status_for_it(client, directory_maintainer):
    hospital = HospitalFactory()
    client.force_login(directory_maintainer)
    page = client.get(f"/admin/hospitals/hospital/{hospital.pk}/change/")
    link = f"/admin/hospitals/admissionstatus/add/?hospital={hospital.pk}"
    assert link in page.text
    form = client.get(link)
    assert form.context["adminform"].form.initial["hospital"] == str(hospital.pk)


def test_the_bulk_action_explains_a_date_before_the_current_status(client, directory_maintainer):
    hospital = HospitalFactory()
    record_status(hospital, Status.ACCEPTING, effective_from=timezone.localdate() - 2 * DAY)
    client.force_login(directory_maintainer)
    response = record_action(
        client, [hospital], apply="1", effective_from=(timezone.localdate() - 7 * DAY).isoformat()
    )
    assert response.status_code == 200
    assert "is already in force" in response.text
    assert hospital.admission_statuses.count() == 1

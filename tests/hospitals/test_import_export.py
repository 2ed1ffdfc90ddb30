import datetime
import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hospitals.models import AdmissionStatus, Hospital
from hospitals.resources import AdmissionStatusResource, HospitalResource
from tests.factories import TreatmentFactory
from tests.hospitals.factories import HospitalFactory, record_status

pytestmark = pytest.mark.django_db

HEADER = "slug,name,kind,street_address,postcode,city,state,international_office_email,treatments\n"
GOOD_ROW = (
    "klinik-eins,Klinik Eins,public,Musterweg 1,80331,Munich,BY,io@klinik-eins.example,surgery|lutetium-177-prrt\n"
)


@pytest.fixture(autouse=True)
def treatments():
    return [TreatmentFactory(slug="surgery"), TreatmentFactory(slug="lutetium-177-prrt")]


def dataset(text):
    return tablib.Dataset().load(text, format="csv")


def just_verified():
    """A verification time a minute ago on the Berlin wall clock, as a maintainer's file writes it."""
    return (timezone.localtime() - datetime.timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S")


def row_errors(result):
    """(row number, message) for every invalid row, as the dry run reports them."""
    errors = []
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            errors.extend((row.number, f"{field}: {message}") for message in messages)
    for number, row_errors_ in result.row_errors():
        errors.extend((number, str(error.error)) for error in row_errors_)
    return errors


def test_a_valid_hospital_file_imports_with_treatments():
    result = HospitalResource().import_data(dataset(HEADER + GOOD_ROW), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()
    hospital = Hospital.objects.get(slug="klinik-eins")
    assert {t.slug for t in hospital.treatments.all()} == {"surgery", "lutetium-177-prrt"}


@pytest.mark.parametrize(
    ("bad_row", "reason"),
    [
        ("klinik-zwei,Klinik Zwei,public,Weg 2,8033,Munich,BY,io@zwei.example,surgery\n", "postcode"),
        ("klinik-zwei,Klinik Zwei,public,Weg 2,80331,Munich,XX,io@zwei.example,surgery\n", "state"),
        ("klinik-zwei,Klinik Zwei,castle,Weg 2,80331,Munich,BY,io@zwei.example,surgery\n", "kind"),
        ("klinik-zwei,Klinik Zwei,public,Weg 2,80331,Munich,BY,not-an-email,surgery\n", "international_office_email"),
        (
            "klinik-zwei,Klinik Zwei,public,Weg 2,80331,Munich,BY,io@zwei.example,homeopathy\n",
            "Unknown treatment: homeopathy",
        ),
    ],
)
def test_an_import_with_a_bad_row_changes_nothing_and_names_the_row_and_reason(bad_row, reason):
    existing = HospitalFactory(slug="klinik-eins", name="Old name")
    text = (
        HEADER
        + GOOD_ROW
        + bad_row
        + GOOD_ROW.replace("klinik-eins", "klinik-drei").replace("Klinik Eins", "Klinik Drei")
    )
    for dry_run in (True, False):
        result = HospitalResource().import_data(dataset(text), dry_run=dry_run)
        errors = row_errors(result)
        assert errors, errors
        assert {number for number, _ in errors} == {2}
        assert any(reason in message for _, message in errors), errors
        existing.refresh_from_db()
        assert existing.name == "Old name"
        assert not Hospital.objects.filter(slug__in=["klinik-zwei", "klinik-drei"]).exists()


def test_the_admin_dry_run_reports_the_bad_row_and_offers_no_confirmation(client, directory_maintainer):
    client.force_login(directory_maintainer)
    text = HEADER + GOOD_ROW + "klinik-zwei,Klinik Zwei,public,Weg 2,80331,Munich,XX,io@zwei.example,surgery\n"
    response = client.post(
        "/admin/hospitals/hospital/import/",
        {
            "resource": "0",
            "format": "0",
            "import_file": SimpleUploadedFile("hospitals.csv", text.encode(), content_type="text/csv"),
        },
    )
    assert response.status_code == 200
    assert "Some rows failed to validate" in response.text
    assert re.search(r"<td>\s*2\s*</td>", response.text)  # the row number
    assert "Value &#x27;XX&#x27; is not a valid choice." in response.text
    assert "Confirm import" not in response.text
    assert not Hospital.objects.exists()


def test_the_admin_import_of_a_good_file_is_confirmed_then_applied(client, directory_maintainer):
    client.force_login(directory_maintainer)
    response = client.post(
        "/admin/hospitals/hospital/import/",
        {"resource": "0", "format": "0", "import_file": SimpleUploadedFile("h.csv", (HEADER + GOOD_ROW).encode())},
    )
    assert response.status_code == 200
    assert "Confirm import" in response.text
    assert not Hospital.objects.exists()  # the dry run changed nothing
    confirm = response.context["confirm_form"]
    response = client.post("/admin/hospitals/hospital/process_import/", {**confirm.initial, "resource": "0"})
    assert response.status_code == 302
    assert Hospital.objects.filter(slug="klinik-eins").exists()


def test_export_of_hospitals_round_trips(treatments):
    HospitalFactory(slug="klinik-x", treatments=treatments)
    exported = HospitalResource().export()
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["slug"] == "klinik-x"
    assert set(row["treatments"].split("|")) == {"surgery", "lutetium-177-prrt"}
    result = HospitalResource().import_data(tablib.Dataset().load(exported.csv, format="csv"), dry_run=False)
    assert not result.has_errors() and not result.has_validation_errors()


STATUS_HEADER = "hospital,status,effective_from,note,reason,valid_until,source,source_reference,verified_at\n"


def test_status_import_only_adds_events_and_stamps_the_user(directory_maintainer):
    hospital = HospitalFactory(slug="klinik-eins")
    first = record_status(hospital, AdmissionStatus.Status.ACCEPTING, note="Before")
    today = timezone.localdate().isoformat()
    verified = just_verified()
    text = STATUS_HEADER + f"klinik-eins,urgent_only,{today},Cancer care only,lockdown,,phone,call,{verified}\n"
    # An "id" column pointing at an existing event must not turn the import into an edit.
    text = "id," + text.replace("\nklinik", f"\n{first.pk},klinik")
    result = AdmissionStatusResource().import_data(dataset(text), dry_run=False, user=directory_maintainer)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    first.refresh_from_db()
    assert (first.status, first.note) == (AdmissionStatus.Status.ACCEPTING, "Before")
    new = hospital.admission_statuses.exclude(pk=first.pk).get()
    assert new.recorded_by == directory_maintainer
    assert Hospital.objects.get(pk=hospital.pk).current_status.effective_status == AdmissionStatus.Status.URGENT_ONLY


def test_a_status_import_with_an_unknown_hospital_or_broken_rule_adds_nothing(directory_maintainer):
    HospitalFactory(slug="klinik-eins")
    today = timezone.localdate().isoformat()
    verified = just_verified()
    text = (
        STATUS_HEADER
        + f"klinik-eins,urgent_only,{today},,lockdown,,phone,,{verified}\n"
        + f"no-such-klinik,accepting,{today},,,,phone,,{verified}\n"
        + f"klinik-eins,accepting,{today},,capacity,,phone,,{verified}\n"
    )
    result = AdmissionStatusResource().import_data(dataset(text), dry_run=False, user=directory_maintainer)
    numbers = {number for number, _ in row_errors(result)}
    assert numbers == {2, 3}
    assert not AdmissionStatus.objects.exists()

import pytest

from people.models import Person
from tests.factories import ImageFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    return {
        "honorific_prefix": "Dr. med.",
        "name": "Anna Probe",
        "slug": "anna-probe",
        "role": "physician",
        "portrait": "",
        "job_title_en": "Specialist in radiation oncology",
        "job_title_de": "Fachärztin für Strahlentherapie",
        "job_title_ru": "",
        "specialties_en": "Radiation oncology",
        "specialties_de": "",
        "specialties_ru": "",
        "registration": "Approbation 2011, Ärztekammer Hamburg",
        "languages": "German, English",
        "biography_en": "",
        "biography_de": "",
        "biography_ru": "",
        "user": "",
        "is_listed": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("editor", True), ("medical_reviewer", True), ("triage_user", False), ("directory_maintainer", False)],
)
def test_who_may_keep_the_team(client, request, role, allowed):
    client.force_login(request.getfixturevalue(role))
    response = client.post("/admin/people/person/add/", _form())
    assert Person.objects.exists() is allowed
    assert response.status_code == (302 if allowed else 403)


def test_a_person_gets_a_portrait_from_the_library_and_an_account(client, editor, medical_reviewer):
    portrait = ImageFactory()
    client.force_login(editor)
    response = client.post(
        "/admin/people/person/add/", _form(portrait=str(portrait.pk), user=str(medical_reviewer.pk))
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.portrait, person.user, person.languages) == (portrait, medical_reviewer, "de, en")


def test_the_changelist_runs_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries):
    for _number in range(10):
        PersonFactory(portrait=ImageFactory(size=(200, 200)))
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get("/admin/people/person/").status_code == 200

"""A person's profile goes through the shared review workflow: editors write, medical reviewers publish."""

import json
import re

import pytest

from editorial.workflow import TransitionNotAllowed
from images.renditions import largest_url
from people import services
from people.models import Person, PersonTransition
from tests.factories import ArticleFactory, ImageFactory, PersonFactory
from tests.pagecache.test_invalidation import cached

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _form(**overrides):
    return {
        "honorific_prefix": "Dr. med.",
        "name": "Anna Probe",
        "slug": "anna-probe",
        "role": "physician",
        "portrait": "",
        "job_title_en": "Specialist in radiation oncology",
        "job_title_de": "",
        "job_title_ru": "",
        "specialties_en": "Radiation oncology",
        "specialties_de": "",
        "specialties_ru": "",
        "registration": "Approbation 2011, Ärztekammer Hamburg",
        "languages": "de, en",
        "biography_en": "",
        "biography_de": "",
        "biography_ru": "",
        "user": "",
        "is_listed": "on",
        **overrides,
    }


def _json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)[1])


def _change(person):
    return f"/admin/people/person/{person.pk}/change/"


def test_an_editor_writes_and_submits_but_cannot_publish(client, editor):
    client.force_login(editor)
    assert client.post("/admin/people/person/add/", _form(_workflow="submit_for_review")).status_code == 302
    person = Person.objects.get()
    assert person.status == "in_review" and person.created_by == editor
    html = client.get(_change(person)).text
    assert 'value="publish"' not in html and 'value="return_to_draft"' in html
    # Not by a forged button either: the workflow refuses on the server.
    client.post(_change(person), _form(_workflow="publish"))
    person.refresh_from_db()
    assert person.status == "in_review"
    with pytest.raises(TransitionNotAllowed):
        services.person_publish(person=person, user=editor)
    assert client.get("/team/anna-probe/").status_code == 404


def test_a_medical_reviewer_publishes_and_the_team_page_shows_it_on_the_next_request(
    client, editor, medical_reviewer, commit
):
    cached(client, "/team/")
    staff = client.__class__()
    staff.force_login(editor)
    staff.post("/admin/people/person/add/", _form(_workflow="submit_for_review"))
    person = Person.objects.get()
    assert "Anna Probe" not in client.get("/team/").text
    staff.force_login(medical_reviewer)
    assert 'value="publish"' in staff.get(_change(person)).text
    with commit():
        assert staff.post(_change(person), _form(_workflow="publish")).status_code == 302
    person.refresh_from_db()
    assert (person.status, person.reviewed_by, person.is_public) == ("published", medical_reviewer, True)
    response = client.get("/team/")
    assert response.get("X-Page-Cache") != "hit" and "Anna Probe" in response.text
    actions = list(
        PersonTransition.objects.filter(person=person).order_by("at", "pk").values_list("action", flat=True)
    )
    assert actions == ["submit_for_review", "publish"]


def test_an_unpublished_person_is_named_nowhere_and_the_change_shows_at_once(client, medical_reviewer, commit):
    person = PersonFactory(
        name="Jonas Muster", slug="jonas", user=medical_reviewer, portrait=ImageFactory(size=(400, 400))
    )
    medical_reviewer.first_name, medical_reviewer.last_name = "Jonas", "Muster"
    medical_reviewer.save()
    ArticleFactory(published=True, slug="prrt", medical_reviewer=medical_reviewer)
    portrait_url = largest_url(person.portrait, "square")
    cached(client, "/team/", "/team/jonas/", "/articles/prrt/")
    assert client.get(portrait_url).status_code == 200
    with commit():
        services.person_return_to_draft(person=person, user=medical_reviewer)
    assert "Jonas Muster" not in client.get("/team/").text
    assert client.get("/team/jonas/").status_code == 404
    article = client.get("/articles/prrt/").text
    # The byline falls back to the account's plain name, without a link or credentials.
    assert "/team/jonas/" not in article and "Jonas Muster" in article
    reviewer = _json_ld(article)["reviewedBy"]
    assert reviewer == {"@type": "Person", "name": "Jonas Muster"}
    assert client.get(portrait_url).status_code == 404
    assert "/team/jonas/" not in client.get("/sitemap.xml").text


def test_published_credentials_are_open_to_medical_reviewers_only(client, editor, medical_reviewer):
    person = PersonFactory(slug="anna-probe", job_title_en="Old position")
    client.force_login(editor)
    client.post(_change(person), _form(job_title_en="Invented credentials"))
    person.refresh_from_db()
    assert person.job_title_en == "Old position" and person.status == "published"
    client.force_login(medical_reviewer)
    client.post(_change(person), _form(job_title_en="New position"))
    person.refresh_from_db()
    assert (person.job_title_en, person.status, person.reviewed_by) == ("New position", "published", medical_reviewer)


def test_history_shows_who_changed_what_and_restores_as_a_draft(client, medical_reviewer, editor):
    client.force_login(medical_reviewer)
    client.post("/admin/people/person/add/", _form(registration="Approbation 2011"))
    person = Person.objects.get()
    services.person_submit_for_review(person=person, user=medical_reviewer)
    services.person_publish(person=person, user=medical_reviewer)
    client.post(_change(person), _form(registration="Approbation 2012", job_title_en="Head of radiation oncology"))
    html = client.get(f"/admin/people/person/{person.pk}/history/").text
    assert "Approbation 2011 → Approbation 2012" in html
    assert "<del>Specialist in</del>" in html and "<ins>Head of</ins>" in html
    assert "reviewer" in html and "Workflow steps" in html
    first = person.history.order_by("history_date", "history_id").first()
    # An editor may not take a published profile down by restoring an old version.
    client.force_login(editor)
    client.post(f"/admin/people/person/{person.pk}/history/{first.history_id}/restore/")
    person.refresh_from_db()
    assert person.status == "published"
    client.force_login(medical_reviewer)
    response = client.post(f"/admin/people/person/{person.pk}/history/{first.history_id}/restore/")
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.registration, person.job_title_en, person.status) == (
        "Approbation 2011",
        "Specialist in radiation oncology",
        "draft",
    )
    assert PersonTransition.objects.filter(person=person, action="restore_revision").exists()


def test_staff_preview_a_draft_profile(client, editor):
    person = PersonFactory(slug="draft-doctor", status="draft", publish_at=None)
    url = f"/team/preview/{person.pk}/"
    assert client.get(url).status_code == 302  # to the admin's login
    client.force_login(editor)
    html = client.get(url).text
    assert "preview-banner" in html and 'content="noindex, nofollow"' in html and person.name in html
    assert client.get("/team/draft-doctor/").status_code == 404


def test_the_history_page_runs_a_fixed_number_of_queries(client, medical_reviewer, django_assert_max_num_queries):
    person = PersonFactory(portrait=ImageFactory(size=(200, 200)), user=medical_reviewer)
    for number in range(8):
        person.job_title_en = f"Position {number}"
        person.portrait = ImageFactory(size=(200, 200))
        person.save()
    client.force_login(medical_reviewer)
    with django_assert_max_num_queries(12):
        html = client.get(f"/admin/people/person/{person.pk}/history/").text
    assert "<del>6</del>" in html and "<ins>7</ins>" in html

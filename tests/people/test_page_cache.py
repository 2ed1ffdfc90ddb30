"""Team pages and bylines are cached for visitors and fresh on the next request after staff edit them."""

import pytest

from tests.factories import ArticleFactory, ImageFactory, PersonFactory
from tests.pagecache.test_invalidation import cached

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_reviewer_editing_a_published_person_refreshes_the_team_and_article_pages(client, medical_reviewer, commit):
    person = PersonFactory(slug="jonas", name="Jonas Muster", user=medical_reviewer, job_title_en="Old position")
    ArticleFactory(published=True, slug="prrt", medical_reviewer=medical_reviewer)
    cached(client, "/team/", "/team/jonas/", "/articles/prrt/")
    staff = client.__class__()
    staff.force_login(medical_reviewer)  # published credentials are open to medical reviewers only
    form = {
        "honorific_prefix": "Dr. med.",
        "name": "Jonas Muster",
        "slug": "jonas",
        "role": "physician",
        "portrait": "",
        "job_title_en": "New position",
        "languages": "de",
        "user": str(medical_reviewer.pk),
        "is_listed": "on",
    }
    with commit():
        assert staff.post(f"/admin/people/person/{person.pk}/change/", form).status_code == 302
    for url in ("/team/", "/team/jonas/", "/articles/prrt/"):
        response = client.get(url)
        assert response.get("X-Page-Cache") != "hit" and "New position" in response.text, url


def test_new_alt_text_shows_on_the_next_request(client, editor, commit):
    image = ImageFactory(alt_text_en="Old description")
    ArticleFactory(published=True, slug="pictured", lead_image=image)
    cached(client, "/articles/pictured/")
    staff = client.__class__()
    staff.force_login(editor)
    form = {"title": image.title, "alt_text_en": "New description", "focal_x": "50", "focal_y": "50"}
    with commit():
        assert staff.post(f"/admin/images/image/{image.pk}/change/", form).status_code == 302
    assert 'alt="New description"' in client.get("/articles/pictured/").text


def test_the_image_changelist_runs_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries):
    for _number in range(15):
        ImageFactory(size=(200, 200))
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert client.get("/admin/images/image/").status_code == 200


def test_a_person_disappears_from_every_cached_page_when_the_profile_expires(client, _pinned_clock, medical_reviewer):
    import datetime

    from django.utils import timezone

    # Well within the page lifetime, so only the registered change can end the cached entries.
    expires_at = timezone.now() + datetime.timedelta(minutes=2)
    PersonFactory(slug="leaving", name="Lena Leaving", user=medical_reviewer, expires_at=expires_at)
    ArticleFactory(published=True, slug="reviewed", medical_reviewer=medical_reviewer)
    cached(client, "/team/", "/team/leaving/", "/articles/reviewed/")
    assert "Lena Leaving" in client.get("/articles/reviewed/").text
    _pinned_clock.move_to(expires_at + datetime.timedelta(seconds=1))
    assert "Lena Leaving" not in client.get("/team/").text
    assert client.get("/team/leaving/").status_code == 404
    assert "Lena Leaving" not in client.get("/articles/reviewed/").text

"""The preferred-hospital choice: a plain select (no JavaScript needed, validated by its field) whose
options are rendered once per language and kept until a hospital changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pagecache.versions import HOSPITALS, content_changed
from tests.hospitals.factories import HospitalFactory
from tests.inquiries.helpers import valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def hospital_queries(client, url="/inquiry/", **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries if '"hospitals_hospital"' in query["sql"]]


def test_the_options_are_rendered_once_then_kept(client, page_cache_schedule):
    HospitalFactory.create_batch(30)
    page_cache_schedule()
    first, read = hospital_queries(client)
    assert len(read) == 1 and first.text.count("<option value=") >= 31
    again, read = hospital_queries(client)
    assert read == []
    assert again.text.count("<option value=") == first.text.count("<option value=")


def test_a_new_hospital_is_offered_at_once(client, django_capture_on_commit_callbacks):
    client.get("/inquiry/")
    with django_capture_on_commit_callbacks(execute=True):
        hospital = HospitalFactory(name="Klinik am Neuen Ufer")
        content_changed(HOSPITALS)  # as the hospital admin does
    assert f'<option value="{hospital.pk}">Klinik am Neuen Ufer</option>' in client.get("/inquiry/").text


def test_names_are_escaped_and_nothing_is_chosen_by_default(client):
    HospitalFactory(name="Klinik <Nord> & Süd")
    html = client.get("/inquiry/").text
    assert "Klinik &lt;Nord&gt; &amp; Süd" in html and "<Nord>" not in html
    assert '<option value="" selected>No preference</option>' in html


def test_the_options_are_per_language(client):
    client.get("/inquiry/")
    german = client.get("/inquiry/", headers={"accept-language": "de"}).text
    assert '<option value="" selected>Keine Vorgabe</option>' in german


def test_a_refused_post_keeps_the_chosen_hospital_selected(client):
    chosen, other = HospitalFactory(name="Aaa Klinik"), HospitalFactory(name="Bbb Klinik")
    client.get("/inquiry/")  # the options are kept
    response = client.post("/inquiry/", valid_data(preferred_hospital=str(chosen.pk), email="not an address"))
    assert response.status_code == 200
    assert f'<option value="{chosen.pk}" selected>Aaa Klinik</option>' in response.text
    assert f'<option value="{other.pk}">Bbb Klinik</option>' in response.text
    assert '<option value="" selected>No preference</option>' not in response.text


def test_an_unknown_hospital_is_refused_by_the_field(client):
    response = client.post("/inquiry/", valid_data(preferred_hospital="999999"))
    assert response.status_code == 200
    assert "preferred_hospital" in response.context["form"].errors

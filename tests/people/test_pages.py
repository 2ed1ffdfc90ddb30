"""The team pages, the article byline and JSON-LD that name people with their credentials."""

import json
import re

import pytest

from images.renditions import largest_url
from tests.factories import ArticleFactory, ImageFactory, PersonFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def _json_ld(html):
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)[1])


@pytest.fixture
def reviewer_person(medical_reviewer):
    portrait = ImageFactory(size=(800, 800), alt_text_en="Portrait drawing of Dr. Muster")
    return PersonFactory(
        name="Jonas Muster",
        slug="jonas-muster",
        user=medical_reviewer,
        portrait=portrait,
        job_title_en="Specialist in nuclear medicine",
        job_title_de="Facharzt für Nuklearmedizin",
        biography_en="Twenty years of radionuclide therapy.",
    )


@pytest.fixture
def reviewed(reviewer_person, editor):
    article = ArticleFactory(
        published=True, slug="prrt", title="PRRT explained", medical_reviewer=reviewer_person.user
    )
    article.authors.set([editor])
    return article


def test_the_article_names_its_reviewer_with_credentials_and_a_link(client, reviewed):
    html = client.get("/articles/prrt/").text
    link = '<a class="reviewer-link" href="/team/jonas-muster/">Dr. med. Jonas Muster</a>'
    assert f"{link} (Specialist in nuclear medicine)" in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert "Dr. med. Jonas Muster</a> (Facharzt für Nuklearmedizin)" in client.get("/articles/prrt/").text


def test_article_json_ld_names_a_physician_with_credentials(client, reviewed, reviewer_person):
    data = _json_ld(client.get("/articles/prrt/").text)
    reviewer = data["reviewedBy"]
    assert reviewer["@type"] == "Physician"
    assert reviewer["name"] == "Jonas Muster" and reviewer["honorificPrefix"] == "Dr. med."
    assert reviewer["jobTitle"] == "Specialist in nuclear medicine"
    assert reviewer["medicalSpecialty"] == ["Nuclear medicine", "Oncology"]
    assert reviewer["hasCredential"]["name"] == "Approbation 2009, Ärztekammer Berlin"
    assert reviewer["url"] == "http://testserver/team/jonas-muster/"
    assert reviewer["image"] == f"http://testserver{largest_url(reviewer_person.portrait, 'square')}"
    # An author without a team profile stays a plain Person by full name.
    assert data["author"][0]["@type"] in {"Person", "Organization"}


def test_an_unlisted_person_is_named_nowhere(client, reviewed, reviewer_person):
    reviewer_person.is_listed = False
    reviewer_person.save()
    html = client.get("/articles/prrt/").text
    assert "/team/jonas-muster/" not in html
    assert client.get("/team/jonas-muster/").status_code == 404
    assert client.get(largest_url(reviewer_person.portrait, "square")).status_code == 404


def test_the_team_page_lists_people_with_portraits(
    client, reviewer_person, django_assert_max_num_queries, page_cache_schedule
):
    for _number in range(5):
        PersonFactory(portrait=ImageFactory(size=(300, 300)))
    page_cache_schedule()
    # The people with their portraits, and the site notices and the menus of the base layout.
    with django_assert_max_num_queries(3):
        html = client.get("/team/").text
    assert html.count('class="card h-100 person-card"') == 6
    assert '<a href="/team/jonas-muster/">Dr. med. Jonas Muster</a>' in html
    # Portraits of listed people are public.
    assert client.get(largest_url(reviewer_person.portrait, "square")).status_code == 200


def test_a_person_page_lists_what_they_reviewed_and_carries_json_ld(
    client, reviewed, django_assert_max_num_queries, page_cache_schedule
):
    ArticleFactory(slug="draft", title="Unpublished draft", medical_reviewer=reviewed.medical_reviewer)
    page_cache_schedule()
    # The person with the portrait, the articles reviewed, the articles written, the site notices,
    # the menus.
    with django_assert_max_num_queries(5):
        html = client.get("/team/jonas-muster/").text
    assert "Articles reviewed" in html and '<a href="/articles/prrt/" lang="en">PRRT explained</a>' in html
    assert "Unpublished draft" not in html
    data = _json_ld(html)
    assert data["@type"] == "Physician" and data["knowsLanguage"] == ["de", "en", "ru"]
    assert "Russian" in html  # languages in the reader's language


def test_article_page_query_count_with_people(client, reviewed, django_assert_max_num_queries, page_cache_schedule):
    for _number in range(3):
        author = StaffUserFactory()
        PersonFactory(user=author, portrait=ImageFactory(size=(300, 300)))
        reviewed.authors.add(author)
    page_cache_schedule()
    # However many authors have team profiles: the reviewer's comes with the article, the authors'
    # with the one authors query (then taxonomy, references, language versions, site notices, menus).
    with django_assert_max_num_queries(8):
        html = client.get("/articles/prrt/").text
    assert html.count('href="/team/') >= 4


def test_team_pages_in_german_and_russian(client, reviewer_person):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    html = client.get("/team/").text
    assert '<html lang="ru">' in html and "Specialist in nuclear medicine" in html  # falls back to English
    assert "Наша медицинская команда" in html and "Our medical team" not in html
    client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    html = client.get("/team/jonas-muster/").text
    assert "Facharzt für Nuklearmedizin" in html
    assert "Unser medizinisches Team" in html and "Our medical team" not in html


def test_the_sitemap_lists_the_team(client, reviewer_person):
    PersonFactory(slug="hidden", is_listed=False)
    xml = client.get("/sitemap.xml").text
    assert "<loc>http://testserver/team/</loc>" in xml and "<loc>http://testserver/team/jonas-muster/</loc>" in xml
    assert "/team/hidden/" not in xml

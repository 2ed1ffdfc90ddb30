"""The team page in the site's menus: a site page of kind "team" is its menu entry."""

import pytest

from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def test_a_team_menu_entry_links_the_team_page_from_every_page(client):
    make_page(published=True)
    make_page(published=True, title="Our medical team", slug="team", kind="team", body="", in_header=True)
    html = client.get("/faq/").text
    header = html.split("<header", 1)[1].split("</header>", 1)[0]
    assert '<a class="nav-link" href="/team/">Our medical team</a>' in header
    team = client.get("/team/").text
    assert 'href="/team/">Our medical team</a>' in team and 'aria-current="page"' in team


def test_a_team_entry_under_another_address_sends_readers_to_the_team_page(client):
    make_page(published=True, title="Doctors", slug="doctors", kind="team", body="")
    response = client.get("/doctors/")
    assert response.status_code == 301 and response["Location"] == "/team/"


def test_the_sitemap_lists_the_team_page_once(client):
    make_page(published=True, title="Our medical team", slug="team", kind="team", body="")
    assert client.get("/sitemap.xml").text.count("/team/</loc>") == 1

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.template.loader import render_to_string
from django.urls import reverse

from portal.views import server_error

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_pages")]


@pytest.mark.parametrize("url_name", ["home", "imprint", "privacy", "disclaimer"])
def test_site_pages_render_in_the_site_layout(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.text
    assert 'href="#main"' in html  # skip link
    assert 'id="main"' in html
    for footer_link in ("/imprint/", "/privacy/", "/medical-disclaimer/"):
        assert f'href="{footer_link}"' in html


def test_home_page_explains_the_service_and_the_three_things_to_do(client):
    html = client.get("/").text
    assert "Medical treatment in Germany" in html
    for task in ("Read about treatments", "Find a hospital that admits you now", "Ask us about your case"):
        assert task in html


def test_privacy_page_names_the_legal_basis_for_health_data(client):
    html = client.get("/privacy/").text
    assert "Art. 9(2)(a) GDPR" in html
    assert "Sample content" in html  # the operator details are marked as sample


@pytest.mark.parametrize(
    ("url", "german_heading"),
    [
        ("/imprint/", "Impressum"),
        ("/privacy/", "Datenschutzerklärung"),
        ("/medical-disclaimer/", "Medizinischer Hinweis"),
    ],
)
def test_site_pages_exist_in_german(client, url, german_heading):
    client.post(reverse("set_language"), {"language": "de", "next": url})
    html = client.get(url).text
    assert f">{german_heading}</h1>" in html
    assert '<html lang="de">' in html


def test_language_switcher_switches_the_base_layout_to_german(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    html = client.get("/").text
    assert "Zum Hauptinhalt springen" in html  # the skip link
    assert "Impressum" in html
    assert "Medizinische Behandlung in Deutschland" in html


def test_language_switcher_refuses_to_redirect_off_site(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_unknown_page_gets_the_friendly_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We could not find this page" in response.text
    assert 'href="/"' in response.text


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_pages_have_no_inline_scripts_or_styles(client):
    """Our CSP forbids them; a page that used them would break in the browser."""
    for url in ("/", "/imprint/", "/privacy/", "/medical-disclaimer/", "/missing/"):
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert " style=" not in html, url
        assert "<style" not in html, url


def test_no_page_loads_anything_from_another_origin(client):
    for url in ("/", "/privacy/"):
        # Canonical and language-alternate links name this site's own absolute address; they load nothing.
        html = re.sub(r'<link rel="(canonical|alternate)"[^>]*>', "", client.get(url).text)
        assert not re.search(r"""(src|href)=["']https?://""", html), url


def test_pages_query_the_database_a_bounded_number_of_times(
    client, django_assert_max_num_queries, page_cache_schedule
):
    page_cache_schedule()
    # The home page's content, its featured articles, the hospitals' admission summary, the site
    # notices and the header and footer menus (one query for both) of the base layout.
    with django_assert_max_num_queries(5):
        client.get("/")


def test_forbidden_page_is_friendly_and_in_the_site_look(client, editor):
    client.force_login(editor)
    response = client.get("/admin/auth/user/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.text


def test_bad_request_page_is_friendly(client):
    response = client.get("/", headers={"host": "attacker.example"})
    assert response.status_code == 400
    assert "We could not understand this request" in response.text


def test_server_error_page_is_friendly_and_shows_no_internals(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_messages_are_announced_politely_to_screen_readers(rf):
    request = rf.get("/")
    request.session = {}
    messages = FallbackStorage(request)
    messages.add(constants.SUCCESS, "Saved.")
    messages.add(constants.ERROR, "Not saved.")
    html = render_to_string("base.html", {"messages": messages}, request=request)
    assert 'role="status" aria-live="polite"' in html
    assert '<div class="alert alert-success">Saved.</div>' in html
    assert '<div class="alert alert-danger">Not saved.</div>' in html

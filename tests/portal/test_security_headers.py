"""Headers and error pages found in review (issue 10, defect 6)."""

import pytest
from django.test import Client
from django.utils import translation

from portal.views import server_error

pytestmark = pytest.mark.django_db

OFF = ("camera", "microphone", "geolocation", "payment", "usb")


def policy(response) -> dict[str, str]:
    parts = [part.strip() for part in response["Permissions-Policy"].split(",")]
    return dict(part.split("=", 1) for part in parts)


@pytest.mark.parametrize("url", ["/", "/no-such-page/", "/inquiry/", "/admin/login/", "/hospitals/"])
def test_pages_switch_off_powerful_browser_features_and_stay_same_origin(client, url):
    response = client.get(url)
    features = policy(response)
    for feature in OFF:
        assert features[feature] == "()", feature
    # Passkeys (a staff second factor) must stay possible on our own origin.
    assert "publickey-credentials-get" not in features
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.parametrize("url", ["/hospitals/status.json", "/hospitals/status.csv"])
def test_the_open_data_feeds_may_be_read_from_other_origins(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_csrf_failure_page_is_ours_and_translated(settings):
    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post("/inquiry/", {"patient_name": "x"})
    assert response.status_code == 403
    html = response.text
    assert "Error 403" in html
    assert "This form could not be sent" in html
    assert 'href="/"' in html  # our error layout, with the way home
    assert "CSRF verification failed" not in html  # Django's default page
    assert response["Content-Security-Policy"]
    german = Client(enforce_csrf_checks=True, headers={"accept-language": "de"})
    html = german.post("/inquiry/", {"patient_name": "x"}).text
    assert "Dieses Formular konnte nicht gesendet werden" in html
    assert '<html lang="de">' in html


@translation.override("en")
def test_the_500_page_only_says_someone_was_told_when_someone_is(rf, settings):
    settings.ADMINS = []
    text = server_error(rf.get("/")).content.decode()
    assert "We have been told" not in text
    assert "recorded" in text
    settings.ADMINS = ["ops@example.invalid"]
    text = server_error(rf.get("/")).content.decode()
    assert "We have been told about it" in text

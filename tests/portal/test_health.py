import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def take_database_down(monkeypatch):
    """From the call on, every use of the database fails as when the server is unreachable."""

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    def take_down():
        monkeypatch.setattr(BaseDatabaseWrapper, "ensure_connection", refuse)
        monkeypatch.setattr(BaseDatabaseWrapper, "_cursor", refuse)

    return take_down


def test_healthz_answers_while_the_process_is_alive(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_cache(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_503_when_the_database_is_down(client, take_database_down):
    take_database_down()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "failing", "cache": "ok"}


def test_readyz_is_503_when_the_cache_is_down(client, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failing"


def test_a_page_needing_the_database_gets_a_friendly_503_when_it_is_down(
    client, superuser, take_database_down, caplog
):
    client.raise_request_exception = False
    client.force_login(superuser)  # logged in before the outage; loading the user needs the database
    take_database_down()
    response = client.get("/admin/")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "The portal is briefly unavailable" in response.text
    assert "Traceback" not in response.text
    # The log names the failure, never the query or its parameters.
    assert "OperationalError" in caplog.text
    assert "Connection refused" not in caplog.text

"""The client address behind proxies: validated and normalised in one helper (issue 10, defect 2)."""

import pytest

from inquiries import network, ratelimit
from inquiries.models import AccessLogEntry
from tests.inquiries.test_admin import make_inquiry


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("1.2.3.4:5678", "1.2.3.4"),
        ("2001:db8::1", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
        ("::ffff:198.51.100.7", "198.51.100.7"),
        ("fe80::1%eth0", "fe80::1"),
        ("not-an-ip", None),
        ("999.1.1.1", None),
        ("1.2.3.4:notaport", None),
        ("[not-an-ip]:80", None),
        ("unknown", None),
        ("1.2.3.4\x00", None),
    ],
)
def test_the_forwarded_client_address_is_validated_and_normalised(rf, settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"10.0.0.1, {forwarded}")
    assert network.client_address(request) == expected


@pytest.mark.parametrize("remote", ["", "not-an-ip", "1.2.3.4:80"])
def test_the_connecting_address_is_validated_too(rf, settings, remote):
    settings.TRUSTED_PROXY_COUNT = 0
    expected = "1.2.3.4" if remote == "1.2.3.4:80" else None
    assert network.client_address(rf.get("/", REMOTE_ADDR=remote)) == expected


def test_clients_without_a_valid_address_share_one_rate_limit(rf, settings):
    """Garbage in the header must not buy a fresh limit per made-up value."""
    settings.TRUSTED_PROXY_COUNT = 1
    one = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-ip")
    two = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="also-not-an-ip")
    assert ratelimit.client_key(one) == ratelimit.client_key(two)
    ported = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7:5678")
    plain = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert ratelimit.client_key(ported) == ratelimit.client_key(plain)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("forwarded", "recorded"),
    [("not-an-ip", None), ("1.2.3.4:5678", "1.2.3.4"), ("999.1.1.1", None), ("[2001:db8::1]:443", "2001:db8::1")],
)
def test_staff_pages_record_an_invalid_address_as_unknown(client, settings, triage_user, forwarded, recorded):
    settings.TRUSTED_PROXY_COUNT = 1
    inquiry = make_inquiry()
    client.force_login(triage_user)
    response = client.get(f"/admin/inquiries/inquiry/{inquiry.pk}/change/", HTTP_X_FORWARDED_FOR=forwarded)
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(inquiry=inquiry, action="view")
    assert entry.ip_address == recorded

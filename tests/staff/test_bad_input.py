"""Bad input on the login and second-factor pages gets an answer, never a 500."""

import pytest

from tests.staff.helpers import give_second_factor, password_login

pytestmark = pytest.mark.django_db

BAD = ["a\x00b", "x" * 5000, "\uff11\uff12\uff13\uff14\uff15\uff16", "' OR 1=1 --", "\u00e9" * 30]


@pytest.mark.parametrize("value", BAD)
def test_login_with_bad_username_is_no_server_error(client, value):
    # A NUL byte or a name longer than any account's was a 500 on PostgreSQL (django-axes' tables).
    response = password_login(client, value, "wrong")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("value", BAD)
def test_second_factor_pages_refuse_bad_codes_without_server_error(client, editor, second_factor_required, value):
    client.force_login(editor)
    response = client.post("/admin/account/second-factor/enrol/", {"code": value, "next": value})
    assert response.status_code == 200
    give_second_factor(editor)
    response = client.post("/admin/account/second-factor/?next=" + "%00", {"code": value, "next": value})
    assert response.status_code == 200
    response = client.post("/admin/account/second-factor/manage/", {"remove": value})
    assert response.status_code in (200, 302)
    assert client.put("/admin/account/second-factor/").status_code == 405

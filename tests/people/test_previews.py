"""The staff previews of articles, site pages and team profiles share one rule (editorial.views.StaffPreviewMixin)."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, PersonFactory, StaffUserFactory
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def _article():
    return f"/articles/preview/{ArticleFactory(status='draft').pk}/"


def _page():
    return f"/site-pages/preview/{make_page(body='Draft words.').pk}/"


def _person():
    return f"/team/preview/{PersonFactory(status='draft', publish_at=None).pk}/"


PREVIEWS = pytest.mark.parametrize("preview_url", [_article, _page, _person], ids=["article", "page", "person"])


@PREVIEWS
def test_a_preview_is_never_kept_by_a_cache_nor_indexed(client, editor, preview_url):
    url = preview_url()
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


@PREVIEWS
def test_staff_without_their_second_factor_are_sent_to_give_it(client, editor, second_factor_required, preview_url):
    url = preview_url()
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:second_factor_enrol"))
    assert "next=" in response["Location"]


@PREVIEWS
def test_a_signed_in_user_without_the_right_gets_not_found_and_a_visitor_the_login(client, preview_url):
    url = preview_url()
    assert client.get(url)["Location"].startswith(reverse("admin:login"))
    client.force_login(StaffUserFactory(username="nobody", roles=[]))
    assert client.get(url).status_code == 404

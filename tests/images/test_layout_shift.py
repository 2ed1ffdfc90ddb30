"""No public page's layout shifts when its images load: every <img> states its width and height."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from articles.models import Article
from people.models import Person

pytestmark = pytest.mark.django_db

IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)


def _public_paths():
    yield from ("/", "/articles/", "/hospitals/", "/team/", "/imprint/", "/privacy/", "/inquiry/")
    yield from (article.get_absolute_url() for article in Article.objects.published())
    yield from (person.get_absolute_url() for person in Person.objects.listed())


def test_every_image_on_the_public_pages_has_width_and_height(client):
    call_command("load_demo_content", stdout=StringIO())
    images_seen = 0
    for language in ("en", "de", "ru"):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        for path in _public_paths():
            response = client.get(path)
            assert response.status_code == 200, path
            for tag in IMG.findall(response.text):
                images_seen += 1
                assert re.search(r'\swidth="\d+"', tag) and re.search(r'\sheight="\d+"', tag), (path, tag)
                assert re.search(r'\salt="', tag), (path, tag)
    assert images_seen >= 20  # the demo's lead images and portraits, in three languages

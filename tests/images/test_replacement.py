"""Replacing an image's file: new addresses, old files gone, and only publishers may change a public picture."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from images.models import Image
from images.renditions import picture, rendition_path
from tests.factories import ArticleFactory, ImageFactory, image_bytes
from tests.images.test_history import _form
from tests.pagecache.test_invalidation import cached

pytestmark = pytest.mark.django_db

SRC = re.compile(r'<img [^>]*src="([^"]+)"')


def _published_article(image, slug="pictured"):
    return ArticleFactory(
        slug=slug, lead_image=image, status="published", publish_at=timezone.now() - timezone.timedelta(hours=1)
    )


def _replace(client, image, colour, captured):
    upload = SimpleUploadedFile("new.png", image_bytes(size=(1600, 900), colour=colour), content_type="image/png")
    with captured(execute=True):
        return client.post(f"/admin/images/image/{image.pk}/change/", {**_form(image), "file": upload})


def _colour(response):
    with PILImage.open(io.BytesIO(b"".join(response.streaming_content))) as picture_file:
        return picture_file.convert("RGB").getpixel((10, 10))


def test_a_replaced_file_gets_new_addresses_and_the_old_files_are_deleted(
    client, medical_reviewer, django_capture_on_commit_callbacks
):
    image = ImageFactory(size=(1600, 900))
    _published_article(image)
    old_url = SRC.search(str(picture(image)))[1]
    assert _colour(client.get(old_url)) == (0, 128, 128)  # teal
    cached(client, "/articles/pictured/")
    old_key, old_original = image.key, Path(settings.MEDIA_ROOT) / image.file.name
    old_rendition = rendition_path(image, old_url.rsplit("/", 1)[1])
    assert old_original.exists() and old_rendition.exists()

    client.force_login(medical_reviewer)
    assert _replace(client, image, "red", django_capture_on_commit_callbacks).status_code == 302
    client.logout()

    image = Image.objects.get(pk=image.pk)
    assert image.key != old_key
    new_url = SRC.search(str(picture(image)))[1]
    assert new_url != old_url
    assert _colour(client.get(new_url)) == (255, 0, 0)
    article_page = client.get("/articles/pictured/").text  # the cached page shows the new addresses
    assert image.key in article_page and old_key not in article_page
    assert client.get(old_url).status_code == 404
    assert not old_original.exists() and not old_rendition.parent.exists()
    assert (Path(settings.MEDIA_ROOT) / image.file.name).exists()


def test_the_history_shows_the_file_change(client, medical_reviewer, django_capture_on_commit_callbacks):
    image = ImageFactory(size=(1600, 900))
    old_name = image.file.name
    client.force_login(medical_reviewer)
    _replace(client, image, "red", django_capture_on_commit_callbacks)
    html = client.get(f"/admin/images/image/{image.pk}/history/").text
    image.refresh_from_db()
    assert f"{old_name} → {image.file.name}" in html


def test_an_editor_may_not_replace_the_file_of_an_image_in_public_use(
    client, editor, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    _published_article(image)
    old_key = image.key
    client.force_login(editor)
    response = _replace(client, image, "red", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert "only someone who may publish that content" in response.text
    image.refresh_from_db()
    assert image.key == old_key and (Path(settings.MEDIA_ROOT) / image.file.name).exists()
    # Its text, and the file of an image no published page shows, stay the editor's to change.
    assert client.post(f"/admin/images/image/{image.pk}/change/", _form(image, credit="Own")).status_code == 302
    unused = ImageFactory()
    assert _replace(client, unused, "red", django_capture_on_commit_callbacks).status_code == 302


def test_public_renditions_have_a_short_lifetime_and_revalidate_cheaply(client):
    image = ImageFactory()
    _published_article(image)
    url = SRC.search(str(picture(image)))[1]
    response = client.get(url)
    assert response["Cache-Control"] == "public, max-age=300, stale-while-revalidate=60"
    assert "immutable" not in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again["Cache-Control"] == response["Cache-Control"]
    since = client.get(url, headers={"If-Modified-Since": response["Last-Modified"]})
    assert since.status_code == 304


def test_on_a_published_site_page_the_pages_reviewers_may_replace_the_file(
    client, editor, medical_reviewer, django_capture_on_commit_callbacks
):
    from tests.pages.factories import make_page

    faq_image, imprint_image = ImageFactory(), ImageFactory()
    make_page(published=True, body=f"![](image:{faq_image.pk})")
    make_page(
        published=True, slug="imprint", kind="imprint", review_role="legal", body=f"![](image:{imprint_image.pk})"
    )
    client.force_login(editor)
    assert _replace(client, faq_image, "red", django_capture_on_commit_callbacks).status_code == 200
    # Any reviewer publishes the FAQ; only legal reviewers (who do not manage images) the imprint.
    client.force_login(medical_reviewer)
    assert _replace(client, imprint_image, "red", django_capture_on_commit_callbacks).status_code == 200
    assert _replace(client, faq_image, "red", django_capture_on_commit_callbacks).status_code == 302

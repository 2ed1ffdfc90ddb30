"""Renditions: made once, served with long cache lifetimes, and only of images public content shows."""

import io
import re

import pytest
from django.utils import timezone
from PIL import Image as PILImage

from images.references import expand, to_placeholders
from images.renditions import picture
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

SRC = re.compile(r'src="([^"]+)"')


def _first_src(html):
    return SRC.search(html)[1]


def _publish(article):
    article.status, article.publish_at = "published", timezone.now() - timezone.timedelta(minutes=1)
    article.save()


def test_picture_markup_has_webp_and_original_srcsets_and_fixed_dimensions():
    image = ImageFactory(size=(1600, 900), alt_text_en="A ward with two beds")
    html = str(picture(image, sizes="100vw"))
    assert html.startswith('<picture><source type="image/webp" srcset="/media/images/')
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)"', html)[1]
    assert [entry.rsplit(" ", 1)[1] for entry in webp.split(", ")] == [
        "320w",
        "480w",
        "640w",
        "960w",
        "1280w",
        "1600w",
    ]
    assert all(".webp " in entry for entry in webp.split(", "))
    img = re.search(r"<img ([^>]+)>", html)[1]
    assert 'width="960" height="540"' in img  # the shape of the image, whatever the browser picks
    assert 'alt="A ward with two beds"' in img and 'loading="lazy"' in img
    assert ".png 320w" in img
    assert 'loading="lazy"' not in str(picture(image, lazy=False))


def test_a_small_image_is_never_enlarged_in_the_srcset():
    image = ImageFactory(size=(400, 300))
    html = str(picture(image))
    assert "400x300-50-50.png 400w" in html and "480w" not in html


def test_an_image_only_in_a_draft_is_not_served_until_the_article_is_published(client, editor):
    image = ImageFactory()
    article = ArticleFactory(lead_image=image)
    url = _first_src(str(picture(image)))
    assert client.get(url).status_code == 404
    client.force_login(editor)  # staff see it in the preview, never cached by a shared cache
    preview = client.get(url)
    assert preview.status_code == 200 and preview["Cache-Control"] == "private, no-store"
    client.logout()
    _publish(article)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300, stale-while-revalidate=60"
    with PILImage.open(io.BytesIO(b"".join(response.streaming_content))) as rendition:
        assert rendition.size == (960, 540) and rendition.format == "PNG"
    article.status = "archived"
    article.save()
    assert client.get(url).status_code == 404


def test_an_image_in_a_draft_body_is_public_only_once_the_body_is(client):
    image, other = ImageFactory(), ImageFactory()
    article = ArticleFactory(body=f"Intro.\n\n{image.reference}\n\nMore.")
    webp = re.search(r'srcset="([^ ]+) ', str(picture(image)))[1]
    assert webp.endswith(".webp")
    assert client.get(webp).status_code == 404
    _publish(article)
    response = client.get(webp)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    # Another image, in no published body, stays private.
    assert client.get(_first_src(str(picture(other)))).status_code == 404


def test_renditions_are_made_once_and_only_in_the_offered_sizes(client, settings):
    image = ImageFactory()
    _publish(ArticleFactory(lead_image=image))
    url = _first_src(str(picture(image)))
    client.get(url)
    stored = list((settings.IMAGES_RENDITIONS_ROOT / image.key).iterdir())
    assert [path.name for path in stored] == [url.rsplit("/", 1)[1]]
    modified = stored[0].stat().st_mtime_ns
    client.get(url)
    assert stored[0].stat().st_mtime_ns == modified
    for name in ("777x500-50-50.png", "960x540-10-10.png", "960x540-50-50.gif", "../x.png"):
        assert client.get(f"/media/images/{image.key}/{name}").status_code == 404


def test_the_focal_point_decides_the_crop(client):
    image = ImageFactory(size=(1600, 900), focal_x=0, focal_y=50)
    _publish(ArticleFactory(lead_image=image))
    square = re.search(r'src="([^"]+)"', str(picture(image, ratio="square")))[1]
    assert "/960x960-0-50.png" in square
    image.focal_x = 100
    image.save()
    assert client.get(square).status_code == 404  # the old address no longer names this picture
    assert client.get(_first_src(str(picture(image, ratio="square")))).status_code == 200


def test_body_references_become_pictures_and_unknown_ones_vanish():
    image = ImageFactory(alt_text_en="A PET scanner")
    html = expand(f"<p>Before</p>\n{to_placeholders(image.reference)}\n<p>x</p>".replace("\n\n", "\n"))
    assert "<picture>" in html and 'alt="A PET scanner"' in html
    assert "<p><picture>" not in html
    assert "/images/reference/" not in expand(f'<p><img src="/images/reference/{image.pk + 100}" alt=""></p>')

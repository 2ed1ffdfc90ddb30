"""Uploads to the image library: checked by content, size-limited, stored without metadata, private."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags
from PIL import Image as PILImage

from images.models import Image
from tests.factories import ImageFactory, image_bytes

pytestmark = pytest.mark.django_db


def _camera_exif():
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Serial 1234"
    gps = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
    }
    exif[ExifTags.IFD.GPSInfo] = gps
    return exif


def _form(file, **overrides):
    return {
        "title": "Ward photo",
        "file": file,
        "alt_text_en": "A bright hospital ward",
        "alt_text_de": "",
        "alt_text_ru": "",
        "focal_x": "50",
        "focal_y": "40",
        "credit": "",
        "licence": "",
        **overrides,
    }


def _upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_a_photo_is_stored_without_its_exif_and_gps_position(client, editor):
    photo = image_bytes(image_format="JPEG", exif=_camera_exif())
    assert b"PhoneMaker" in photo and PILImage.open(io.BytesIO(photo)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    client.force_login(editor)
    response = client.post("/admin/images/image/add/", _form(_upload("IMG_0001.jpg", photo)))
    assert response.status_code == 302, response.context["adminform"].form.errors
    image = Image.objects.get()
    stored = image.file.read()
    assert b"PhoneMaker" not in stored and b"Serial 1234" not in stored
    with PILImage.open(io.BytesIO(stored)) as reopened:
        assert reopened.format == "JPEG"
        assert not reopened.getexif()
        assert not reopened.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in reopened.info and "xmp" not in reopened.info
    # The uploader's file name is not kept either: it may name a patient.
    assert "IMG_0001" not in image.file.name
    assert image.uploaded_by == editor
    assert (image.width, image.height, image.format) == (1600, 900, "JPEG")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.jpg", b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF"),  # a PDF renamed to .jpg
        ("scan.png", b"GIF89a" + image_bytes(image_format="GIF")[6:]),  # a real GIF, not allowed
        ("broken.png", image_bytes()[:200]),  # cut off half-way
    ],
)
def test_a_file_that_is_not_an_accepted_image_is_refused_by_its_content(client, editor, name, data):
    client.force_login(editor)
    response = client.post("/admin/images/image/add/", _form(_upload(name, data)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["file"]
    assert errors == ["This file is not a JPEG, PNG or WebP image. Other formats (and renamed files) are refused."]
    assert not Image.objects.exists()


def test_a_too_large_file_is_refused_with_the_limit_named(client, editor, settings):
    settings.IMAGES_MAX_UPLOAD_BYTES = 10_000
    client.force_login(editor)
    response = client.post("/admin/images/image/add/", _form(_upload("big.png", b"\x89PNG" + b"0" * 20_000)))
    assert response.context["adminform"].form.errors["file"] == [
        "This image is 19.5\xa0KB; the library takes images up to 9.8\xa0KB. Save it smaller and try again."
    ]
    assert not Image.objects.exists()


def test_english_alt_text_is_required(client, editor):
    client.force_login(editor)
    response = client.post("/admin/images/image/add/", _form(_upload("a.png", image_bytes()), alt_text_en=""))
    assert "alt_text_en" in response.context["adminform"].form.errors
    assert not Image.objects.exists()


def test_webp_and_png_are_accepted_and_keep_their_format():
    assert ImageFactory(image_format="WEBP").format == "WEBP"
    png = ImageFactory(image_format="PNG")
    assert png.format == "PNG" and png.file.name.endswith(".png")


def test_the_original_is_private(client, settings):
    image = ImageFactory()
    path = image.file.path
    assert path.startswith(str(settings.MEDIA_ROOT))
    for url in (f"/media/{image.file.name}", f"{settings.MEDIA_URL}{image.file.name}", image.file.url):
        assert client.get(url).status_code == 404
    # Nor under the renditions' public folder.
    assert not path.startswith(str(settings.IMAGES_RENDITIONS_ROOT))


@pytest.mark.parametrize(
    ("role", "may_upload"),
    [("editor", True), ("medical_reviewer", True), ("triage_user", False), ("directory_maintainer", False)],
)
def test_who_may_upload(client, request, role, may_upload):
    client.force_login(request.getfixturevalue(role))
    response = client.post("/admin/images/image/add/", _form(_upload("a.png", image_bytes(), "image/png")))
    assert Image.objects.exists() is may_upload
    assert response.status_code == (302 if may_upload else 403)


def test_editors_may_change_but_not_delete(client, editor):
    image = ImageFactory()
    client.force_login(editor)
    assert client.get(f"/admin/images/image/{image.pk}/change/").status_code == 200
    assert client.post(f"/admin/images/image/{image.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Image.objects.filter(pk=image.pk).exists()

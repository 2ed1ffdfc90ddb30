"""Writes to the image library: every upload goes through `image_store_file`."""

from django.core.files.base import ContentFile

from images.processing import clean_image
from pagecache.versions import IMAGES, content_changed


def image_store_file(*, image, data: bytes) -> None:
    """Put the cleaned (metadata-free) upload on the image, to be saved with it.

    Raises `processing.NotAnImage` for anything but a JPEG, PNG or WebP image.
    """
    cleaned = clean_image(data)
    image.format = cleaned.format
    image.file.save("upload", ContentFile(cleaned.content), save=False)
    image.width, image.height = cleaned.width, cleaned.height


def image_save(*, image, user=None) -> None:
    """Save an image's details; pages that show it are refreshed (new focal point, new alt text)."""
    if image.uploaded_by_id is None and user is not None:
        image.uploaded_by = user
    image.full_clean()
    image.save()
    content_changed(IMAGES)

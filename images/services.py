"""Writes to the image library: every upload goes through `image_store_file`."""

import shutil

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from images import usage
from images.processing import clean_image
from images.renditions import renditions_folder
from pagecache.versions import IMAGES, content_changed

REPLACE_DENIED = _(
    "Published content shows this image, so only someone who may publish that content (a medical "
    "reviewer) may replace its file. Upload the new picture as a new image instead, or ask a reviewer."
)


def image_store_file(*, image, data: bytes) -> None:
    """Put the cleaned (metadata-free) upload on the image, to be saved with it.

    A new file gets a new key, so every address of the old picture (the original's name, the
    renditions) stops meaning the new one; `image_save` removes the old files once it is committed.
    Raises `processing.NotAnImage` for anything but a JPEG, PNG or WebP image.
    """
    cleaned = clean_image(data)
    stored = type(image).objects.filter(pk=image.pk).values_list("key", "file").first() if image.pk else None
    if stored:
        # The stored names: a form has already put the upload on `image.file`.
        image._replaced_files = stored
        image.key = image._meta.get_field("key").get_default()
    image.format = cleaned.format
    image.file.save("upload", ContentFile(cleaned.content), save=False)
    image.width, image.height = cleaned.width, cleaned.height


def image_save(*, image, user=None) -> None:
    """Save an image's details; pages that show it are refreshed (new focal point, new alt text, new file).

    Replacing the file of an image that published content shows needs that content's publish
    permission (`usage.may_replace_file`); raises PermissionDenied otherwise.
    """
    replaced = getattr(image, "_replaced_files", None)
    if replaced and user is not None and not usage.may_replace_file(user, image):
        raise PermissionDenied(REPLACE_DENIED)
    if image.uploaded_by_id is None and user is not None:
        image.uploaded_by = user
    with transaction.atomic():
        image.full_clean()
        image.save()
        if replaced:
            old_key, old_name = replaced
            storage = image.file.storage
            transaction.on_commit(lambda: _delete_old_files(storage, old_key, old_name))
            del image._replaced_files
        content_changed(IMAGES)


def _delete_old_files(storage, old_key, old_name) -> None:
    # The old original may hold what the uploader did not mean to keep; its renditions are unreachable.
    shutil.rmtree(renditions_folder(old_key), ignore_errors=True)
    storage.delete(old_name)

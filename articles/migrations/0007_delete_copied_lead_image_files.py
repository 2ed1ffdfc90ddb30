"""Delete the raw lead-image uploads that 0006 copied into the image library.

The uploads under `articles/lead-images/` kept their metadata (camera, GPS position) and nothing
refers to them since 0006. A file is deleted only when a library original holds exactly its cleaned
content, so a file 0006 skipped (broken) or that something else put there stays. Safe to run again;
backward does nothing, because 0006's backward step writes the files again from the library.
"""

import hashlib

from django.core.files.storage import default_storage
from django.db import migrations

from images.processing import NotAnImage, clean_image

FOLDER = "articles/lead-images"


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def delete_copied_files(apps, schema_editor):
    try:
        _folders, names = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return
    if not names:
        return
    Image = apps.get_model("images", "Image")
    in_library = set()
    for image in Image.objects.exclude(file="").only("file").iterator():
        try:
            with image.file.open("rb") as original:
                in_library.add(_digest(original.read()))
        except FileNotFoundError:
            continue
    for name in names:
        path = f"{FOLDER}/{name}"
        with default_storage.open(path, "rb") as upload:
            data = upload.read()
        try:
            cleaned = clean_image(data)
        except NotAnImage:
            continue
        if _digest(cleaned.content) in in_library:
            default_storage.delete(path)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_lead_image_from_library"), ("images", "0001_initial")]

    operations = [migrations.RunPython(delete_copied_files, migrations.RunPython.noop)]

"""Pillow work on uploaded images: the content check, re-encoding without metadata, renditions.

No Django models here, so the articles data migration can use `clean_image` too.
"""

import io
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

# Pillow's format name → the file extension and content type we store and serve.
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
# Decompression bombs: a small file that opens as a huge bitmap is refused like a non-image.
MAX_PIXELS = 40_000_000


class NotAnImage(ValueError):
    """The bytes are not a JPEG, PNG or WebP image we accept."""


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    format: str
    width: int
    height: int


def clean_image(data: bytes) -> CleanImage:
    """The image decoded from its content (never its name) and re-encoded without any metadata.

    EXIF (GPS positions, camera serials, dates), XMP, IPTC and comments do not survive: only the
    pixels are copied into a fresh image. The EXIF orientation is applied first, so the photo
    still stands the right way up.
    """
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            probe.verify()  # checks the file's structure; the image must be opened again after it
        image = PILImage.open(io.BytesIO(data))
        if image.format not in FORMATS:
            raise NotAnImage(image.format)
        if image.width * image.height > MAX_PIXELS:
            raise NotAnImage("too many pixels")
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, PILImage.DecompressionBombError) as error:
        raise NotAnImage(str(error)) from error
    source_format = image.format
    image = ImageOps.exif_transpose(image)
    mode = "RGBA" if image.mode in ("RGBA", "LA", "P") and source_format != "JPEG" else "RGB"
    pixels = PILImage.new(mode, image.size)
    pixels.paste(image.convert(mode))
    out = io.BytesIO()
    options = {"JPEG": {"quality": 90, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 90}}
    pixels.save(out, format=source_format, **options[source_format])
    return CleanImage(content=out.getvalue(), format=source_format, width=pixels.width, height=pixels.height)

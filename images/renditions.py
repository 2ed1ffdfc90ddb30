"""Renditions: the resized copies the public gets, made once with django-imagekit and kept on disk.

A rendition's name says everything needed to make it again: `<width>x<height>-<focal x>-<focal y>.<ext>`
under the image's random key. Only the sizes `Image` offers (`rendition_sizes`) are made, so a
visitor cannot fill the disk by asking for arbitrary ones. Files live under
`IMAGES_RENDITIONS_ROOT`, which holds no private data (the originals' metadata is already gone) and
which nginx may serve once the view has checked that the image is public (docs/deployment.md).
"""

import os
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from imagekit import ImageSpec
from imagekit.processors import ResizeToFill

# Widths offered in a srcset; an image never gets a rendition wider than itself.
WIDTHS = (320, 480, 640, 960, 1280, 1920)
# Shapes a page may ask for: None keeps the image's own; the others crop around the focal point.
RATIOS = {"original": None, "wide": (16, 9), "square": (1, 1), "portrait": (4, 5)}
_NAME = re.compile(r"^(\d{1,4})x(\d{1,4})-(\d{1,3})-(\d{1,3})\.(jpg|png|webp)$")


class Rendition(ImageSpec):
    """One size of one image, cropped around its focal point; metadata-free like its source."""

    options = {"quality": 82}

    def __init__(self, source, *, width, height, anchor, format):
        self.processors = [ResizeToFill(width, height, anchor=anchor)]
        self.format = format
        super().__init__(source=source)


def _height_for(image, width, ratio):
    across, down = ratio or (image.width, image.height)
    return max(1, round(width * down / across))


def widths_for(image) -> list[int]:
    return [width for width in WIDTHS if width < image.width] + [min(image.width, WIDTHS[-1])]


def rendition_sizes(image) -> set[tuple[int, int]]:
    return {(width, _height_for(image, width, ratio)) for ratio in RATIOS.values() for width in widths_for(image)}


def rendition_name(image, width, height, extension) -> str:
    return f"{width}x{height}-{image.focal_x}-{image.focal_y}.{extension}"


def rendition_url(image, width, height, extension) -> str:
    return reverse("images:rendition", args=[image.key, rendition_name(image, width, height, extension)])


def parse_name(image, name):
    """(width, height, Pillow format) when `name` is a rendition this image offers now, else None."""
    match = _NAME.match(name)
    if not match:
        return None
    width, height, focal_x, focal_y, extension = match.groups()
    size = (int(width), int(height))
    if (int(focal_x), int(focal_y)) != (image.focal_x, image.focal_y) or size not in rendition_sizes(image):
        return None
    if extension not in ("webp", image.extension):
        return None
    return (*size, "WEBP" if extension == "webp" else image.format)


def renditions_folder(key) -> Path:
    return Path(settings.IMAGES_RENDITIONS_ROOT) / key


def rendition_path(image, name) -> Path:
    return renditions_folder(image.key) / name


def ensure_rendition(image, name) -> Path | None:
    """The rendition file, made now if this is its first request; None when the name is not offered."""
    parsed = parse_name(image, name)
    if parsed is None:
        return None
    path = rendition_path(image, name)
    if path.exists():
        return path
    width, height, image_format = parsed
    with image.file.open("rb") as source:
        content = Rendition(
            source, width=width, height=height, anchor=(image.focal_x / 100, image.focal_y / 100), format=image_format
        ).generate()
        data = content.read()
    path.parent.mkdir(parents=True, exist_ok=True)
    # Two first requests at once both write a whole file; the rename makes either one complete.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    return path


def picture(image, *, ratio="original", sizes="100vw", lazy=True, css_class="") -> SafeString:
    """`<picture>` with a WebP and an original-format srcset, and width/height against layout shift."""
    shape = RATIOS[ratio]
    widths = widths_for(image)
    sizes_list = [(width, _height_for(image, width, shape)) for width in widths]

    def srcset(extension):
        return ", ".join(f"{rendition_url(image, w, h, extension)} {w}w" for w, h in sizes_list)

    fallback_width, fallback_height = sizes_list[min(len(sizes_list) - 1, 3)]
    attributes = {
        "src": rendition_url(image, fallback_width, fallback_height, image.extension),
        "srcset": srcset(image.extension),
        "sizes": sizes,
        "width": fallback_width,
        "height": fallback_height,
        "alt": image.alt_text or "",
        "decoding": "async",
    }
    if lazy:
        attributes["loading"] = "lazy"
    if css_class:
        attributes["class"] = css_class
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}"><img {}></picture>',
        srcset("webp"),
        sizes,
        format_html_join(" ", '{}="{}"', attributes.items()),
    )


def largest_url(image, ratio="original") -> str:
    """One address for feeds and social previews (og:image, JSON-LD)."""
    width = widths_for(image)[-1]
    return rendition_url(image, width, _height_for(image, width, RATIOS[ratio]), image.extension)

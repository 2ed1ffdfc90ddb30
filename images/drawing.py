"""Generated pictures for sample content: drawings made by Pillow, never photographs of anyone."""

import hashlib
import io

from PIL import Image as PILImage
from PIL import ImageDraw

PALETTE = [(32, 96, 128), (46, 125, 110), (120, 82, 150), (176, 96, 48), (60, 90, 160), (140, 60, 80)]


def portrait_drawing(initials: str, *, seed: str, size: int = 800) -> bytes:
    """A flat, abstract portrait: a head-and-shoulders silhouette and initials on a coloured ground (PNG)."""
    digest = hashlib.sha256(seed.encode()).digest()
    ground = PALETTE[digest[0] % len(PALETTE)]
    figure = tuple(min(255, channel + 90) for channel in ground)
    image = PILImage.new("RGB", (size, size), ground)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size * 0.33, size * 0.16, size * 0.67, size * 0.5), fill=figure)  # head
    draw.pieslice((size * 0.12, size * 0.55, size * 0.88, size * 1.3), 180, 360, fill=figure)  # shoulders
    draw.text((size * 0.5, size * 0.8), initials, fill=ground, font_size=size // 8, anchor="mm")
    return _png(image)


def illustration(*, seed: str, width: int = 1600, height: int = 900) -> bytes:
    """An abstract illustration for a sample article: overlapping circles on a calm gradient (PNG)."""
    digest = hashlib.sha256(seed.encode()).digest()
    image = PILImage.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top, bottom = PALETTE[digest[0] % len(PALETTE)], (235, 242, 246)
    for row in range(height):
        mix = row / height
        draw.line(
            [(0, row), (width, row)],
            fill=tuple(round(a * (1 - mix) + b * mix) for a, b in zip(top, bottom, strict=True)),
        )
    for index in range(6):
        x, y, radius = digest[index + 1] / 255 * width, digest[index + 7] / 255 * height, 60 + digest[index + 13]
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=(255, 255, 255), width=6)
    return _png(image)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()

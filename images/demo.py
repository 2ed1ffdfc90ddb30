"""A sample illustration in the library (drawn by Pillow when the demo loads; not a photo)."""

from images.drawing import illustration
from images.models import Image
from images.services import image_store_file

SAMPLE_ILLUSTRATIONS = [
    {
        "title": "Sample illustration: treatment planning",
        "alt_text_en": "Abstract drawing of white circles on a blue background",
        "alt_text_de": "Abstrakte Zeichnung: weiße Kreise auf blauem Grund",
        "alt_text_ru": "Абстрактный рисунок: белые круги на синем фоне",
        "focal_x": 40,
        "focal_y": 45,
    },
]


def sample_image(title: str, *, draw, **fields) -> Image:
    """The sample image with this title; `draw()` makes its picture the first time only (idempotent)."""
    image = Image.objects.filter(title=title, is_sample=True).first()
    if image is None:
        image = Image(title=title, is_sample=True, credit="Generated drawing", licence="Sample content")
        image_store_file(image=image, data=draw())
    for name, value in fields.items():
        setattr(image, name, value)
    image.save()
    return image


def load(*, stdout):
    for data in SAMPLE_ILLUSTRATIONS:
        fields = {name: value for name, value in data.items() if name != "title"}
        sample_image(data["title"], draw=lambda title=data["title"]: illustration(seed=title), **fields)
    stdout.write(f"Images: {len(SAMPLE_ILLUSTRATIONS)} sample illustration(s), drawn, not photographed.")

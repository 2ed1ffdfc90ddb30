"""Library images in site pages: references in the body and in block texts, public only once published."""

import pytest
from django.core.exceptions import ValidationError

from images.models import Image
from tests.factories import ImageFactory
from tests.pages.factories import make_page

pytestmark = pytest.mark.django_db


def test_a_published_page_shows_its_body_and_block_images_as_pictures(client):
    in_body, in_answer = ImageFactory(alt_text_en="Our office"), ImageFactory(alt_text_en="A consultation")
    faq = {"type": "faq", "items": [{"question": "Where?", "answer": f"Here.\n\n{in_answer.reference}"}]}
    make_page(published=True, body=f"Welcome.\n\n{in_body.reference}\n\nMore.", blocks=[faq])
    html = client.get("/faq/").text
    assert html.count("<picture>") == 2
    assert 'alt="Our office"' in html and 'alt="A consultation"' in html
    assert "image:" not in html and "/images/reference/" not in html


def test_only_the_published_copy_of_a_page_makes_an_image_public():
    shown, waiting, drafted = ImageFactory(), ImageFactory(), ImageFactory()
    page = make_page(published=True, body=f"Text.\n\n{shown.reference}")
    make_page(slug="costs", kind="costs", body=f"Draft.\n\n{drafted.reference}")
    # An editor's change to the published page waits for review: the public still reads the old copy.
    page.body = f"Changed.\n\n{waiting.reference}"
    page.save()
    assert set(Image.objects.public()) == {shown}
    page.take_live_copy()
    page.save()
    assert set(Image.objects.public()) == {waiting}
    page.status = "archived"
    page.save()
    assert not Image.objects.public().exists()


def test_a_published_block_text_makes_its_image_public():
    image = ImageFactory()
    make_page(published=True, body="", blocks=[{"type": "hero", "heading": "Hi", "text": image.reference}])
    assert list(Image.objects.public()) == [image]


@pytest.mark.parametrize("field", ["body", "blocks"])
def test_a_page_refuses_a_reference_to_an_image_the_library_lacks(field):
    page = make_page()
    if field == "body":
        page.body = "Text\n\n![](image:999)"
    else:
        page.blocks = [{"type": "hero", "heading": "Hi", "text": "![](image:999)"}]
    with pytest.raises(ValidationError) as refusal:
        page.full_clean()
    assert field in refusal.value.message_dict and "999" in str(refusal.value.message_dict[field])

"""The image library keeps every version of an image's details: who changed which description, and when."""

import pytest

from tests.factories import ImageFactory

pytestmark = pytest.mark.django_db


def _form(image, **overrides):
    return {
        "title": image.title,
        "alt_text_en": image.alt_text_en,
        "alt_text_de": "",
        "alt_text_ru": "",
        "focal_x": "50",
        "focal_y": "50",
        "credit": "",
        "licence": "",
        **overrides,
    }


def test_the_history_names_who_changed_the_alt_text_credit_and_focal_point(client, editor):
    image = ImageFactory(title="Clinic entrance", alt_text_en="A door")
    client.force_login(editor)
    response = client.post(
        f"/admin/images/image/{image.pk}/change/",
        _form(image, alt_text_en="The clinic's glass entrance door", credit="Own photo", focal_x="30"),
    )
    assert response.status_code == 302
    html = client.get(f"/admin/images/image/{image.pk}/history/").text
    assert "by editor" in html
    assert "<del>A</del>" in html and "<ins>The clinic&#x27;s glass entrance</ins>" in html
    assert "(empty) → Own photo" in html and "50 → 30" in html
    # No workflow: nothing to restore, no workflow log.
    assert "Restore this version" not in html and "Workflow steps" not in html


def test_only_library_staff_see_an_images_history(client, triage_user):
    image = ImageFactory()
    client.force_login(triage_user)
    assert client.get(f"/admin/images/image/{image.pk}/history/").status_code == 403

"""Library images in articles: lead image, body references, the insert control, the data migration."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image as PILImage

from tests.articles.test_admin import form_data
from tests.factories import ArticleFactory, ImageFactory, image_bytes


@pytest.mark.django_db
def test_an_image_in_the_body_is_shown_as_a_responsive_picture(client):
    image = ImageFactory(alt_text_en="The treatment room")
    ArticleFactory(published=True, slug="with-body-image", body=f"## Where\n\nIn a room.\n\n{image.reference}\n\nEnd.")
    html = client.get("/articles/with-body-image/").text
    body = html.split('<div class="prose article-body">', 1)[1].split("</div>", 1)[0]
    assert '<picture><source type="image/webp"' in body and 'alt="The treatment room"' in body
    assert 'loading="lazy"' in body and re.search(r'<img [^>]*width="\d+" height="\d+"', body)
    assert "image:" not in body


@pytest.mark.django_db
def test_a_written_image_address_is_not_a_way_round_the_library(client):
    ArticleFactory(
        published=True, slug="typed-url", body='![x](/media/images/abc/960x540-50-50.png)\n\n<img src="//evil">'
    )
    body = client.get("/articles/typed-url/").text.split('<div class="prose article-body">', 1)[1].split("</div>")[0]
    assert "<picture>" not in body and "//evil" not in body


@pytest.mark.django_db
def test_the_admin_refuses_a_reference_to_an_image_the_library_lacks(client, editor):
    client.force_login(editor)
    response = client.post("/admin/articles/article/add/", form_data(body="Text\n\n![](image:999)"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"] == [
        "The body refers to image 999, which is not in the image library."
    ]


@pytest.mark.django_db
def test_the_body_has_an_insert_control_fed_by_the_library(client, editor):
    image = ImageFactory(title="Ward photo")
    client.force_login(editor)
    html = client.get("/admin/articles/article/add/").text
    assert 'data-image-insert-for="id_body"' in html
    assert f'<option value="{image.pk}">Ward photo ({image.pk})</option>' in html
    assert "/static/images/insert-image.js" in html


@pytest.mark.django_db
def test_the_lead_image_is_chosen_from_the_library(client, editor):
    image = ImageFactory()
    client.force_login(editor)
    response = client.post("/admin/articles/article/add/", form_data(lead_image=str(image.pk)))
    assert response.status_code == 302
    assert image.lead_of_articles.get().slug == "lutetium-177-therapy-for-net"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


BEFORE = [("articles", "0005_language_versions"), ("images", "0001_initial")]
AFTER = [("articles", "0006_lead_image_from_library")]


@pytest.mark.django_db(transaction=True)
def test_existing_lead_images_move_into_the_library_without_metadata_and_back():
    old = migrate(BEFORE)
    Article = old.get_model("articles", "Article")
    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"
    article = Article(title="PRRT", slug="prrt", standfirst="s", body="b", language="de", lead_image_alt="Ein Scan")
    article.lead_image.save("scan.jpg", ContentFile(image_bytes(image_format="JPEG", exif=exif)), save=False)
    article.save()
    Article.objects.create(title="No image", slug="plain", standfirst="s", body="b", language="en")
    try:
        new = migrate(AFTER)
        moved = new.get_model("articles", "Article").objects.get(slug="prrt").lead_image
        assert (moved.alt_text_de, moved.alt_text_en, moved.format) == ("Ein Scan", "Ein Scan", "JPEG")
        assert b"PhoneMaker" not in moved.file.read()
        assert new.get_model("articles", "Article").objects.get(slug="plain").lead_image is None
        back = migrate(BEFORE).get_model("articles", "Article").objects.get(slug="prrt")
        assert back.lead_image_alt == "Ein Scan"
        with PILImage.open(io.BytesIO(back.lead_image.read())) as restored:
            assert restored.size == (1600, 900)
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_raw_lead_image_uploads_are_deleted_once_copied_into_the_library(settings):
    import importlib
    from pathlib import Path

    exif = PILImage.Exif()
    exif[0x010F] = "PhoneMaker"  # camera metadata, as a phone writes it
    Article = migrate(BEFORE).get_model("articles", "Article")
    article = Article(title="PRRT", slug="prrt", standfirst="s", body="b", language="de", lead_image_alt="Ein Scan")
    article.lead_image.save("scan.jpg", ContentFile(image_bytes(image_format="JPEG", exif=exif)), save=False)
    article.save()
    raw = Path(settings.MEDIA_ROOT) / article.lead_image.name
    other = raw.parent / "not-a-lead-image.txt"  # never copied (not an image): left alone
    other.write_text("notes")
    try:
        executor = MigrationExecutor(connection)
        apps = migrate(executor.loader.graph.leaf_nodes())
        assert not raw.exists() and other.exists()
        assert (Path(settings.MEDIA_ROOT) / apps.get_model("images", "Image").objects.get().file.name).exists()
        step = importlib.import_module("articles.migrations.0007_delete_copied_lead_image_files")
        step.delete_copied_files(apps, None)  # again: nothing left to do, nothing breaks
        assert other.exists()
    finally:
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_the_history_names_a_changed_lead_image(client, editor):
    first, second = ImageFactory(title="Scanner room"), ImageFactory(title="Day clinic")
    client.force_login(editor)
    client.post("/admin/articles/article/add/", form_data(lead_image=str(first.pk)))
    from articles.models import Article

    article = Article.objects.get()
    client.post(f"/admin/articles/article/{article.pk}/change/", form_data(lead_image=str(second.pk)))
    page = client.get(f"/admin/articles/article/{article.pk}/history/").text
    assert "Scanner room" in page and "Day clinic" in page


@pytest.mark.django_db
def test_restoring_a_version_whose_lead_image_was_deleted_since_restores_without_it(client, editor):
    gone, kept = ImageFactory(title="Old scanner"), ImageFactory(title="Day clinic")
    client.force_login(editor)
    client.post("/admin/articles/article/add/", form_data(lead_image=str(gone.pk), title="First title"))
    from articles.models import Article

    article = Article.objects.get()
    client.post(f"/admin/articles/article/{article.pk}/change/", form_data(lead_image=str(kept.pk)))
    gone_pk = gone.pk
    gone.delete()  # no article uses it any more; only the first version still names it
    history = client.get(f"/admin/articles/article/{article.pk}/history/")
    assert history.status_code == 200 and "Day clinic" in history.text and f"no. {gone_pk}" in history.text
    first = article.history.earliest("history_date")
    response = client.post(f"/admin/articles/article/{article.pk}/history/{first.history_id}/restore/", follow=True)
    article.refresh_from_db()
    assert (article.title, article.lead_image_id) == ("First title", None)
    shown = [str(message) for message in response.context["messages"]]
    assert any("left empty: lead image" in message for message in shown)

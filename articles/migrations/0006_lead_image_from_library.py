"""The lead image comes from the image library: each stored lead image becomes a library image.

Forward, every article's uploaded lead image is cleaned (metadata removed) into a library `Image`
whose description, in the article's language and in English, is the old `lead_image_alt`.
Backward, the library image's original is copied back into the article's own file field.
"""

import django.db.models.deletion
from django.core.files.base import ContentFile
from django.db import migrations, models

from images.processing import NotAnImage, clean_image


def to_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Image = apps.get_model("images", "Image")
    for article in Article.objects.exclude(lead_image_file=""):
        try:
            with article.lead_image_file.open("rb") as original:
                cleaned = clean_image(original.read())
        except (FileNotFoundError, NotAnImage):
            continue  # a missing or broken file was never shown; nothing to carry over
        alt = article.lead_image_alt or article.title
        image = Image(
            title=article.title[:200],
            alt_text=alt,
            alt_text_en=alt,
            format=cleaned.format,
        )
        setattr(image, f"alt_text_{article.language}", alt)
        image.file.save("upload", ContentFile(cleaned.content), save=False)
        image.width, image.height = cleaned.width, cleaned.height  # after the file: saving it resets them
        image.save()
        article.lead_image = image
        article.save(update_fields=["lead_image"])


def from_library(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(lead_image__isnull=False).select_related("lead_image"):
        image = article.lead_image
        with image.file.open("rb") as original:
            content = original.read()
        article.lead_image_file.save(
            f"{image.key}.{image.file.name.rsplit('.', 1)[-1]}", ContentFile(content), save=False
        )
        article.lead_image_alt = getattr(image, f"alt_text_{article.language}", None) or image.alt_text_en or ""
        article.save(update_fields=["lead_image_file", "lead_image_alt"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_language_versions"), ("images", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(model_name="article", name="article_lead_image_has_alt"),
        migrations.RenameField(model_name="article", old_name="lead_image", new_name="lead_image_file"),
        migrations.RenameField(model_name="historicalarticle", old_name="lead_image", new_name="lead_image_file"),
        migrations.AddField(
            model_name="article",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Optional. From the image library, which holds its description; shown at the top of the "
                    "article and public only once the article is published."
                ),
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="lead_of_articles",
                to="images.image",
                verbose_name="lead image",
            ),
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="lead_image",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                help_text=(
                    "Optional. From the image library, which holds its description; shown at the top of the "
                    "article and public only once the article is published."
                ),
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="images.image",
                verbose_name="lead image",
            ),
        ),
        migrations.RunPython(to_library, from_library),
        migrations.RemoveField(model_name="article", name="lead_image_file"),
        migrations.RemoveField(model_name="article", name="lead_image_alt"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image_file"),
        migrations.RemoveField(model_name="historicalarticle", name="lead_image_alt"),
    ]

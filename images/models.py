"""The image library: photos and drawings that pages show, with their description per language.

The uploaded original is private (under MEDIA_ROOT, never routed). The public only ever gets
renditions (`images/renditions.py`), and only of images that published content uses
(`Image.objects.public()`).
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from images import usage
from images.processing import FORMATS


def _original_path(image, filename):
    # Never the uploader's file name (it may name a patient): the random key and the real format.
    return f"images/originals/{image.key}.{FORMATS[image.format][0]}"


def _new_key():
    return secrets.token_hex(12)


class ImageQuerySet(models.QuerySet):
    def public(self):
        """Images that published content shows: the one definition of which renditions are served."""
        return self.filter(usage.public_condition())


class Image(models.Model):
    title = models.CharField(
        _("title"), max_length=200, help_text=_("For finding the image in the library; not shown to the public.")
    )
    file = models.ImageField(
        _("image file"),
        upload_to=_original_path,
        width_field="width",
        height_field="height",
        help_text=_("JPEG, PNG or WebP. Its metadata (camera, place, GPS position) is removed on upload."),
    )
    alt_text = models.CharField(
        _("description (alt text)"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it; in every language the site offers."),
    )
    focal_x = models.PositiveSmallIntegerField(
        _("focal point, across (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0 is the left edge, 100 the right. Cropped versions keep this point in view."),
    )
    focal_y = models.PositiveSmallIntegerField(
        _("focal point, down (%)"),
        default=50,
        validators=[MaxValueValidator(100)],
        help_text=_("0 is the top edge, 100 the bottom."),
    )
    credit = models.CharField(_("credit"), max_length=200, blank=True, help_text=_("Photographer or source."))
    licence = models.CharField(
        _("licence"), max_length=200, blank=True, help_text=_("e.g. “own photo”, “CC BY 4.0”, “licensed from …”.")
    )
    format = models.CharField(_("format"), max_length=8, editable=False)
    width = models.PositiveIntegerField(_("width"), default=0, editable=False)
    height = models.PositiveIntegerField(_("height"), default=0, editable=False)
    # Names the original and the renditions; random, so no address can be guessed from another.
    key = models.CharField(_("key"), max_length=32, unique=True, default=_new_key, editable=False)
    is_sample = models.BooleanField(
        _("sample content"), default=False, help_text=_("Generated for the demo; not a real photo.")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = ImageQuerySet.as_manager()

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(focal_x__lte=100, focal_y__lte=100), name="image_focal_point_in_picture"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def reference(self) -> str:
        """What an editor writes into a Markdown body to show this image."""
        return f"![](image:{self.pk})"

    @property
    def content_type(self) -> str:
        return FORMATS[self.format][1]

    @property
    def extension(self) -> str:
        return FORMATS[self.format][0]

    def is_public(self) -> bool:
        return Image.objects.public().filter(pk=self.pk).exists()

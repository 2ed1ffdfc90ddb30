from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from images.processing import NotAnImage, clean_image


class ImageUploadField(forms.FileField):
    """A file checked by its content: a JPEG, PNG or WebP image within the size limit.

    A plain FileField, not Django's ImageField: that one keeps the upload as it came; ours is
    decoded and re-encoded (services.image_store_file) so no metadata reaches the disk.
    """

    default_error_messages = {
        "not_an_image": _(
            "This file is not a JPEG, PNG or WebP image. Other formats (and renamed files) are refused."
        ),
        "too_large": _(
            "This image is %(size)s; the library takes images up to %(limit)s. Save it smaller and try again."
        ),
    }

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload or upload is initial:
            return upload
        limit = settings.IMAGES_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                self.error_messages["too_large"],
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        upload.seek(0)
        data = upload.read()
        try:
            clean_image(data)
        except NotAnImage:
            raise forms.ValidationError(self.error_messages["not_an_image"], code="not_an_image") from None
        upload.seek(0)
        return upload

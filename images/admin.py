from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from editorial.admin import RevisionHistoryAdminMixin
from editorial.revisions import revision_changes
from images import usage
from images.forms import ImageUploadField
from images.models import Image
from images.renditions import picture
from images.services import REPLACE_DENIED, image_save, image_store_file

# What the history page compares between two versions of an image (editorial/revisions.py).
TEXT_FIELDS = {"alt_text_en": "words", "alt_text_de": "words", "alt_text_ru": "words"}
# The file is shown by its name, which carries the key a replacement changes, and by its size.
VALUE_FIELDS = ("title", "file", "width", "height", "credit", "licence", "focal_x", "focal_y", "key", "is_sample")


@admin.register(Image)
class ImageAdmin(RevisionHistoryAdminMixin, TranslationAdmin):
    """The library, with every saved version of an image's details: who changed what, and when.

    Images need no review of their own: one becomes public only when published (reviewed) content
    shows it (images/usage.py), so its history is enough.
    """

    list_display = ["thumbnail", "title", "reference_text", "width", "height", "created_at"]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["uploaded_by"]
    search_fields = ["title", "alt_text_en", "alt_text_de", "alt_text_ru", "credit"]
    list_filter = ["format", "is_sample"]
    readonly_fields = ["preview", "reference_text", "format", "width", "height", "uploaded_by", "created_at"]
    fieldsets = [
        (None, {"fields": ["title", "file", "preview", "reference_text"]}),
        (
            _("Description"),
            {
                "fields": ["alt_text"],
                "description": _(
                    "Describe what the image shows, in every language. Pages in a language left empty "
                    "use the English text."
                ),
            },
        ),
        (
            _("Focal point"),
            {
                "fields": ["focal_x", "focal_y"],
                "description": _(
                    "The part that must stay in view when the image is cropped to a narrower shape. "
                    "Click that point in the preview, or type the percentages."
                ),
            },
        ),
        (_("Source"), {"fields": ["credit", "licence", "is_sample"]}),
        (_("Record"), {"fields": ["format", "width", "height", "uploaded_by", "created_at"]}),
    ]

    class Media:
        css = {"all": ["images/admin.css"]}
        js = ["images/focal-point.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "file":
            return ImageUploadField(
                label=db_field.verbose_name,
                help_text=db_field.help_text,
                required=kwargs.get("required", True),
                # A plain file input: labelled (the admin's file widget has only a legend), and no
                # link to the original, which has no address.
                widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None or usage.may_replace_file(request.user, obj):
            return form

        class ReplacementRefused(form):
            def clean_file(self):
                upload = self.cleaned_data.get("file")
                if "file" in self.changed_data and upload:
                    raise forms.ValidationError(REPLACE_DENIED, code="replace_denied")
                return upload

        return ReplacementRefused

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data and form.cleaned_data.get("file"):
            upload = form.cleaned_data["file"]
            upload.seek(0)
            image_store_file(image=obj, data=upload.read())
        image_save(image=obj, user=request.user)

    def revision_changes(self, previous, current):
        return revision_changes(previous, current, model=Image, text_fields=TEXT_FIELDS, value_fields=VALUE_FIELDS)

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return picture(obj, ratio="square", sizes="64px", css_class="image-library-thumbnail") if obj.file else ""

    @admin.display(description=_("preview"))
    def preview(self, obj):
        # Not lazy: the focal point script measures it; its width keeps the click maths simple.
        if not (obj.pk and obj.file):
            return "—"
        return picture(obj, sizes="480px", lazy=False, css_class="image-library-preview")

    @admin.display(description=_("reference for bodies"))
    def reference_text(self, obj):
        return format_html("<code>{}</code>", obj.reference) if obj.pk else "—"

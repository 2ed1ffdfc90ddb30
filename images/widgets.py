from django import forms
from django.utils.translation import gettext_lazy as _


class MarkdownWithImagesWidget(forms.Textarea):
    """A Markdown textarea with a control that inserts a library image's reference at the cursor.

    The control is written by static/images/insert-image.js (the CSP forbids inline script); without
    script the editor copies the reference shown in the library instead.
    """

    template_name = "images/widgets/markdown_with_images.html"

    class Media:
        js = ["images/insert-image.js"]

    def get_context(self, name, value, attrs):
        from images.models import Image

        context = super().get_context(name, value, attrs)
        context["widget"]["images"] = list(Image.objects.order_by("title").values_list("pk", "title"))
        context["widget"]["insert_label"] = _("Insert image")
        return context

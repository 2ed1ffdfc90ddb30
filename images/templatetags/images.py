from django import template

from images.renditions import largest_url
from images.renditions import picture as picture_markup

register = template.Library()


@register.simple_tag
def picture(image, ratio="original", sizes="100vw", lazy=True, css_class=""):
    """`{% picture image sizes="…" lazy=False %}`: the responsive `<picture>`, or nothing without an image."""
    if not image:
        return ""
    return picture_markup(image, ratio=ratio, sizes=sizes, lazy=lazy, css_class=css_class)


@register.simple_tag(takes_context=True)
def image_absolute_url(context, image, ratio="wide"):
    """The full address of an image's largest rendition, for og:image."""
    return context["request"].build_absolute_uri(largest_url(image, ratio))

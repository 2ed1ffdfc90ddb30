"""Images inside Markdown bodies, by reference: `![](image:12)` names library image 12.

A body never holds an image's address: renditions change with the focal point, and an address
would bypass the check that the image is public. Any body renderer (articles, site pages) calls
`to_placeholders` before Markdown and `expand` on the sanitised HTML it shows.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import ngettext

REFERENCE = re.compile(r"!\[[^\]]*\]\(image:(\d+)\)")
# What survives Markdown and the sanitiser (a relative <img>), replaced when the page is shown.
_PLACEHOLDER_PATH = "/images/reference/"
_PLACEHOLDER = re.compile(r'<img[^>]*src="/images/reference/(\d+)"[^>]*>')
BODY_SIZES = "(min-width: 992px) 720px, 100vw"


def referenced_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(number) for number in REFERENCE.findall(text or "")))


def reference_condition(field_name: str = "body") -> Q:
    """For `Model.objects.filter(...)`: the rows whose `field_name` refers to the outer image."""
    return Q(**{f"{field_name}__contains": Concat(Value("(image:"), Cast(OuterRef("pk"), CharField()), Value(")"))})


def used_in(queryset, field_name: str = "body") -> Q:
    """A condition on Image: referred to by a body of one of these rows."""
    return Q(Exists(queryset.filter(reference_condition(field_name))))


def to_placeholders(text: str) -> str:
    return REFERENCE.sub(lambda match: f'\n\n<img src="{_PLACEHOLDER_PATH}{match[1]}" alt="">\n\n', text)


def expand(html: str) -> SafeString:
    """The sanitised body with each reference turned into its `<picture>`; unknown ones vanish."""
    from images.models import Image
    from images.renditions import picture

    ids = {int(number) for number in _PLACEHOLDER.findall(html)}
    if not ids:
        return mark_safe(html)  # noqa: S308 - the caller passes sanitised HTML
    images = Image.objects.in_bulk(ids)

    def replace(match):
        image = images.get(int(match[1]))
        return str(picture(image, sizes=BODY_SIZES, css_class="body-image")) if image else ""

    html = _PLACEHOLDER.sub(replace, html)
    # The placeholder stood alone in its paragraph; a <picture> may not sit inside a <p>.
    html = re.sub(r"<p>\s*(<picture\b.*?</picture>)\s*</p>", r"\1", html, flags=re.DOTALL)
    html = re.sub(r"<p>\s*</p>", "", html)
    return mark_safe(html)  # noqa: S308 - sanitised HTML plus markup built with format_html


def validate_references(text: str) -> None:
    """Refuses a body that refers to images the library does not have."""
    from images.models import Image

    ids = referenced_ids(text)
    missing = sorted(set(ids) - set(Image.objects.filter(pk__in=ids).values_list("pk", flat=True)))
    if missing:
        raise ValidationError(
            ngettext(
                "The body refers to image %(numbers)s, which is not in the image library.",
                "The body refers to images %(numbers)s, which are not in the image library.",
                len(missing),
            )
            % {"numbers": ", ".join(str(number) for number in missing)},
            code="unknown_image_reference",
        )

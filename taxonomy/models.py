"""The shared medical vocabulary: conditions and treatments, named in English and German.

Articles, hospitals and inquiries all point at these rows, which is what links an article on
Lutetium-177 therapy to the hospitals that offer it and to the inquiries that ask for it.
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def ordered_by_name(self):
        """Alphabetical in the active language."""
        return self.order_by("name_de" if get_language() == "de" else "name_en")


class Term(models.Model):
    slug = models.SlugField(
        _("slug"),
        unique=True,
        help_text=_("Used in addresses and links, e.g. “lutetium-177-therapy”. Do not change once in use."),
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120)
    description_en = models.TextField(
        _("short description (English)"), blank=True, help_text=_("One or two plain-language sentences.")
    )
    description_de = models.TextField(
        _("short description (German)"), blank=True, help_text=_("One or two plain-language sentences.")
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_de if get_language() == "de" else self.name_en

    @property
    def description(self) -> str:
        return (self.description_de if get_language() == "de" else self.description_en) or self.description_en


class Condition(Term):
    class Meta(Term.Meta):
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")


class Treatment(Term):
    class Meta(Term.Meta):
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")

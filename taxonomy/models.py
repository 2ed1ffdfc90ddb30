"""The shared medical vocabulary: conditions and treatments, named in every site language.

Articles, hospitals and inquiries all point at these rows, which is what links an article on
Lutetium-177 therapy to the hospitals that offer it and to the inquiries that ask for it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from languages.fallback import translated


class TermQuerySet(models.QuerySet):
    def ordered_by_name(self):
        """Alphabetical in the active language."""
        return self.order_by(translated("name"), "slug")


class Term(models.Model):
    slug = models.SlugField(
        _("slug"),
        unique=True,
        help_text=_("Used in addresses and links, e.g. “lutetium-177-therapy”. Do not change once in use."),
    )
    # Translated (taxonomy/translation.py): name_en, name_de, name_ru …; `name` reads the reader's
    # language with the fallback of settings.MODELTRANSLATION_FALLBACK_LANGUAGES.
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(
        _("short description"), blank=True, help_text=_("One or two plain-language sentences.")
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self):
        return self.name


class Condition(Term):
    class Meta(Term.Meta):
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")


class Treatment(Term):
    class Meta(Term.Meta):
        verbose_name = _("treatment")
        verbose_name_plural = _("treatments")

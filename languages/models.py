"""Language versions: one record per language, linked to the version it was translated from.

Articles (and the site pages that follow them) are written in one language each. A translation
points at its source with `translation_of`; the source points at nothing. From that one link come
the "Also available in" line, the `hreflang` alternates in the page head and in the sitemap, and
the admin's view of which languages are missing and which translations are out of date. A model
uses it by inheriting `LanguageVersion`, naming in `translation_date_field` the date that says how
current a version is (an article's last medical review), and calling `language_versions()` with
its own public queryset. docs/translations.md describes it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _


def language_choices():
    return [(code, name) for code, name in settings.LANGUAGES]


class LanguageVersionQuerySet(models.QuerySet):
    def outdated_translations(self):
        """Translations whose date is older than their source's (or missing while the source has one)."""
        field = self.model.translation_date_field
        return self.filter(translation_of__isnull=False).filter(
            Q(**{f"{field}__lt": F(f"translation_of__{field}")})
            | Q(**{f"{field}__isnull": True, f"translation_of__{field}__isnull": False})
        )

    def lacking_a_language(self):
        """Sources (and untranslated records) that have no version in at least one site language."""
        codes = [code for code, _name in settings.LANGUAGES]
        sources = self.filter(translation_of__isnull=True).annotate(
            versions=models.Count("translations__language", filter=Q(translations__language__in=codes), distinct=True)
        )
        return sources.filter(versions__lt=len(codes) - 1)


class LanguageVersion(models.Model):
    """Abstract: a record in one language, with `translation_of` pointing at the version it translates."""

    # The date field (a `DateField` or `DateTimeField` on the model) compared to tell an out-of-date
    # translation: older than its source's means the source changed since.
    translation_date_field = "updated_at"

    language = models.CharField(
        _("language"),
        max_length=8,
        choices=language_choices,
        default="en",
        help_text=_("The language this version is written in."),
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_(
            "For a translation: the version it was translated from (the source). Leave empty on the source itself."
        ),
    )

    class Meta:
        abstract = True
        constraints = [
            # Partial: only translations are indexed, so the index never competes with the search
            # indexes for "language = …" conditions.
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(translation_of__isnull=False),
                name="%(app_label)s_%(class)s_one_version_per_language",
            ),
        ]

    def clean(self):
        super().clean()
        source = self.translation_of
        if source is None:
            return
        if source.translation_of_id is not None:
            raise ValidationError(
                {
                    "translation_of": ValidationError(
                        _("Choose the source itself, not another translation of it."),
                        code="translation_of_translation",
                    )
                }
            )
        if source.pk == self.pk:
            raise ValidationError(
                {
                    "translation_of": ValidationError(
                        _("A version cannot be a translation of itself."), code="own_translation"
                    )
                }
            )
        if source.language == self.language:
            raise ValidationError(
                {
                    "language": ValidationError(
                        _("A translation is in another language than its source."), code="same_language"
                    )
                }
            )
        if self.pk and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": ValidationError(
                        _("This version has translations of its own, so it is a source."),
                        code="source_cannot_be_translation",
                    )
                }
            )

    @property
    def source(self):
        return self.translation_of or self

    @property
    def source_id(self):
        return self.translation_of_id or self.pk

    def language_versions(self, queryset) -> list:
        """Every version of this text in `queryset` (e.g. the public ones), this one included, in site order."""
        versions = queryset.filter(Q(pk=self.source_id) | Q(translation_of_id=self.source_id))
        order = [code for code, _name in settings.LANGUAGES]
        return sorted(versions, key=lambda version: order.index(version.language) if version.language in order else 99)

    def is_outdated_translation(self) -> bool:
        """A translation older than its source's date (see `translation_date_field`)."""
        if self.translation_of is None:
            return False
        field = self.translation_date_field
        mine, sources = getattr(self, field), getattr(self.translation_of, field)
        return sources is not None and (mine is None or mine < sources)


def language_name_local(code: str) -> str:
    """The language's name in itself ("Deutsch", "Русский"), as a language switch shows it."""
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code

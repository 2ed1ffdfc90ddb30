"""Admin helpers for language versions (languages/models.py): a column and a list filter.

A model admin for a `LanguageVersion` model adds `TranslationStateFilter` to `list_filter` and
`translation_state` (from `LanguageVersionAdminMixin`) to `list_display`, and prefetches
`translations` through `get_queryset` (the mixin does it).
"""

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class TranslationStateFilter(admin.SimpleListFilter):
    title = _("translations")
    parameter_name = "translations"

    def lookups(self, request, model_admin):
        return [
            ("missing", _("Lacks a language")),
            ("outdated", _("Translation older than its source")),
            ("sources", _("Sources only")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.lacking_a_language()
        if self.value() == "outdated":
            return queryset.outdated_translations()
        if self.value() == "sources":
            return queryset.filter(translation_of__isnull=True)
        return queryset


class LanguageVersionAdminMixin:
    """Adds the "translations" column; use with a model inheriting `LanguageVersion`."""

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("translation_of")
            .prefetch_related("translations", "translation_of__translations")
        )

    @admin.display(description=_("translations"))
    def translation_state(self, obj):
        """Each site language: present, out of date (older than the source) or missing."""
        source = obj.translation_of or obj
        versions = {source.language: source, **{t.language: t for t in source.translations.all()}}
        items = []
        for code, _name in settings.LANGUAGES:
            version = versions.get(code)
            if version is None:
                items.append(("translation-missing", gettext("%(language)s missing") % {"language": code}))
            elif version.is_outdated_translation():
                items.append(("translation-outdated", gettext("%(language)s out of date") % {"language": code}))
            elif version.pk == source.pk:
                items.append(("translation-source", gettext("%(language)s source") % {"language": code}))
            else:
                items.append(("translation-current", code))
        return format_html("{}", format_html_join(" · ", '<span class="{}">{}</span>', items))

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from images.renditions import picture
from pagecache.admin import RefreshesPublicPages
from pagecache.versions import ARTICLES, PEOPLE
from people.models import Person


@admin.register(Person)
class PersonAdmin(RefreshesPublicPages, TranslationAdmin):
    # Bylines on article pages name the person too.
    page_cache_domains = (PEOPLE, ARTICLES)
    list_display = ["portrait_thumbnail", "display_name", "role", "job_title", "user", "is_listed", "is_sample"]
    list_display_links = ["portrait_thumbnail", "display_name"]
    list_select_related = ["portrait", "user"]
    list_filter = ["role", "is_listed", "is_sample"]
    search_fields = ["name", "job_title_en", "job_title_de", "specialties_en"]
    prepopulated_fields = {"slug": ["name"]}
    fieldsets = [
        (None, {"fields": ["honorific_prefix", "name", "slug", "role", "portrait"]}),
        (
            _("Credentials"),
            {
                "fields": ["job_title", "specialties", "registration", "languages"],
                "description": _("Shown with the person's name wherever they are named as an author or reviewer."),
            },
        ),
        (_("Biography"), {"fields": ["biography"]}),
        (
            _("Account and visibility"),
            {
                "fields": ["user", "is_listed", "is_sample"],
                "description": _(
                    "Link the staff account the person uses: the articles that account writes or reviews then "
                    "name this person, with a link to their page."
                ),
            },
        ),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            users = get_user_model().objects
            kwargs["queryset"] = users.filter(Q(is_staff=True) | Q(person__isnull=False)).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("portrait"))
    def portrait_thumbnail(self, obj):
        return picture(obj.portrait, ratio="square", sizes="48px") if obj.portrait_id else ""

    @admin.display(description=_("name"), ordering="name")
    def display_name(self, obj):
        return obj.display_name

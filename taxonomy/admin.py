from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from pagecache.admin import RefreshesPublicPages
from pagecache.versions import TAXONOMY
from taxonomy.models import Condition, Treatment


@admin.register(Condition, Treatment)
class TermAdmin(RefreshesPublicPages, TranslationAdmin):
    page_cache_domains = (TAXONOMY,)
    list_display = ["name_en", "name_de", "name_ru", "slug"]
    search_fields = ["name_en", "name_de", "name_ru", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

from django.contrib import admin

from pagecache.admin import RefreshesPublicPages
from pagecache.versions import TAXONOMY
from taxonomy.models import Condition, Treatment


@admin.register(Condition, Treatment)
class TermAdmin(RefreshesPublicPages, admin.ModelAdmin):
    page_cache_domains = (TAXONOMY,)
    list_display = ["name_en", "name_de", "slug"]
    search_fields = ["name_en", "name_de", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

from django.contrib import admin

from taxonomy.models import Condition, Treatment


@admin.register(Condition, Treatment)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_de", "slug"]
    search_fields = ["name_en", "name_de", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

"""A mixin for admin classes whose models the public pages show: every save or delete refreshes them."""

from pagecache.versions import content_changed


class RefreshesPublicPages:
    """Add, change and delete (one or a selection) make the given domains' cached pages fresh.

    The admin saves an object and its inlines in one transaction; the refresh happens when it
    commits, so it covers the inlines too.
    """

    page_cache_domains: tuple[str, ...] = ()

    def changes_public_pages(self, obj) -> bool:
        return True

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if self.changes_public_pages(obj):
            content_changed(*self.page_cache_domains)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        content_changed(*self.page_cache_domains)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        content_changed(*self.page_cache_domains)

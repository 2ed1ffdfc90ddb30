"""Admin views of append-only records (logs, histories): shown to those who may see them, never edited."""


class AppendOnlyAdminMixin:
    """Nobody adds, changes or deletes a row through the admin, not even a superuser.

    For a ModelAdmin or an inline (Django passes `obj` to an inline's `has_add_permission`).
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

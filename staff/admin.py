"""The security log, login lockouts and second factors, for superusers."""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff import services
from staff.models import SecurityEvent
from staff.readonly import AppendOnlyAdminMixin


class SuperuserOnly:
    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser


@admin.register(SecurityEvent)
class SecurityEventAdmin(SuperuserOnly, AppendOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "username", "kind", "ip_address", "detail", "by", "notified_at"]
    list_filter = ["kind", "created_at"]
    list_select_related = ["by"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class LoginLockoutAdmin(SuperuserOnly, AccessAttemptAdmin):
    """Failed logins per account and address; "Unlock" lifts a lock and writes the security log."""

    actions = ["unlock"]

    def has_delete_permission(self, request, obj=None):
        return False  # unlocking goes through the action, which is recorded

    @admin.action(description=_("Unlock these accounts"))
    def unlock(self, request, queryset):
        usernames = sorted({attempt.username for attempt in queryset if attempt.username})
        for username in usernames:
            services.account_unlock(username=username, by=request.user, request=request)
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", len(usernames))
            % {"count": len(usernames)},
            messages.SUCCESS,
        )


# Devices are managed through the owner's pages and the user action below, which are recorded.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    actions = ["remove_second_factor", "unlock_login"]

    @admin.action(description=_("Remove the second factor (lost phone)"), permissions=["change"])
    def remove_second_factor(self, request, queryset):
        for user in queryset:
            services.second_factor_remove(user=user, by=request.user, request=request)
        message = _("Removed. They set up a new second factor at their next login.")
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Unlock the login"), permissions=["change"])
    def unlock_login(self, request, queryset):
        for user in queryset:
            services.account_unlock(username=user.get_username(), by=request.user, request=request)
        self.message_user(request, _("Unlocked."), messages.SUCCESS)

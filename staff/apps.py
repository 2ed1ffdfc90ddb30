from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Staff accounts")

    def ready(self):
        from staff import receivers  # noqa: F401 - connects the login signals to the security log

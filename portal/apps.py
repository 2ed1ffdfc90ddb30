from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from django.core.signals import request_finished

        from portal import logs

        request_finished.connect(logs.forget_request_id, dispatch_uid="portal.logs.forget_request_id")

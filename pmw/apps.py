from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PmwConfig(AppConfig):
    name = "pmw"
    verbose_name = _("Platform")

    def ready(self):
        from pmw import auth_events  # noqa: F401 — connects the login-event receivers

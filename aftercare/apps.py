from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = _("Nazorg")

    def ready(self):
        from aftercare.services import follow_ups_schedule
        from cases.services import CASE_CLOSE_STEPS

        if follow_ups_schedule not in CASE_CLOSE_STEPS:
            CASE_CLOSE_STEPS.append(follow_ups_schedule)

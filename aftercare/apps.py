from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = _("Nazorg")

    def ready(self):
        from aftercare.reminders import REMINDER_SOURCES
        from aftercare.reminders.sources import BUILT_IN_SOURCES
        from aftercare.selectors import client_export_aftercare, reminders_health
        from aftercare.services import aftercare_texts_anonymise, follow_ups_schedule
        from cases.hooks import CASE_CLOSE_STEPS
        from pmw.hooks import HEALTH_REPORTS
        from profiles.hooks import CLIENT_ANONYMISE_STEPS, CLIENT_EXPORT_SECTIONS

        HEALTH_REPORTS.register(reminders_health)
        CASE_CLOSE_STEPS.register(follow_ups_schedule)
        CLIENT_ANONYMISE_STEPS.register(aftercare_texts_anonymise)
        CLIENT_EXPORT_SECTIONS.register(client_export_aftercare)
        for source in BUILT_IN_SOURCES:
            REMINDER_SOURCES.register(source)

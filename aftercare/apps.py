from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "aftercare"
    verbose_name = _("Nazorg")

    def ready(self):
        from aftercare.selectors import client_export_aftercare
        from aftercare.services import aftercare_texts_anonymise, follow_ups_schedule
        from cases.services import CASE_CLOSE_STEPS
        from profiles.selectors import CLIENT_EXPORT_SECTIONS
        from profiles.services import CLIENT_ANONYMISE_STEPS

        if follow_ups_schedule not in CASE_CLOSE_STEPS:
            CASE_CLOSE_STEPS.append(follow_ups_schedule)
        # GDPR erasure blanks the aftercare texts too (see profiles.services.client_anonymise).
        if aftercare_texts_anonymise not in CLIENT_ANONYMISE_STEPS:
            CLIENT_ANONYMISE_STEPS.append(aftercare_texts_anonymise)
        if client_export_aftercare not in CLIENT_EXPORT_SECTIONS:
            CLIENT_EXPORT_SECTIONS.append(client_export_aftercare)

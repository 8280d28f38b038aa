from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Trajecten")

    def ready(self):
        from cases.selectors import client_export_cases
        from cases.services import case_texts_anonymise
        from profiles.selectors import CLIENT_EXPORT_SECTIONS
        from profiles.services import CLIENT_ANONYMISE_STEPS

        if case_texts_anonymise not in CLIENT_ANONYMISE_STEPS:
            CLIENT_ANONYMISE_STEPS.append(case_texts_anonymise)
        if client_export_cases not in CLIENT_EXPORT_SECTIONS:
            CLIENT_EXPORT_SECTIONS.append(client_export_cases)

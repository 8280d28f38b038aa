from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Trajecten")

    def ready(self):
        from cases.selectors import client_export_cases
        from cases.services import case_texts_anonymise
        from profiles.hooks import CLIENT_ANONYMISE_STEPS, CLIENT_EXPORT_SECTIONS

        CLIENT_ANONYMISE_STEPS.register(case_texts_anonymise)
        CLIENT_EXPORT_SECTIONS.register(client_export_cases)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Trajecten")

    def ready(self):
        from cases.selectors import (
            client_access_through_cases,
            client_export_cases,
            client_page_cases,
        )
        from cases.services import case_texts_anonymise
        from profiles.hooks import (
            CLIENT_ACCESS_PATHS,
            CLIENT_ANONYMISE_STEPS,
            CLIENT_EXPORT_SECTIONS,
            CLIENT_PAGE_SECTIONS,
        )

        CLIENT_ACCESS_PATHS.register(client_access_through_cases)
        CLIENT_PAGE_SECTIONS.register(client_page_cases)
        CLIENT_ANONYMISE_STEPS.register(case_texts_anonymise)
        CLIENT_EXPORT_SECTIONS.register(client_export_cases)

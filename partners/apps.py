from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Netwerk")

    def ready(self):
        from cases.hooks import CASE_CLOSE_STEPS, CASE_PAGE_SECTIONS
        from partners.selectors import client_export_network
        from partners.services import referral_texts_anonymise, referrals_cancel_for_case
        from partners.views import case_page_section
        from profiles.hooks import CLIENT_ANONYMISE_STEPS, CLIENT_EXPORT_SECTIONS

        CASE_CLOSE_STEPS.register(referrals_cancel_for_case)
        CASE_PAGE_SECTIONS.register(case_page_section)
        CLIENT_ANONYMISE_STEPS.register(referral_texts_anonymise)
        CLIENT_EXPORT_SECTIONS.register(client_export_network)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Netwerk")

    def ready(self):
        from cases.services import CASE_CLOSE_STEPS
        from cases.views import CASE_PAGE_SECTIONS
        from partners.selectors import client_export_network
        from partners.services import referral_texts_anonymise, referrals_cancel_for_case
        from partners.views import case_page_section
        from profiles.selectors import CLIENT_EXPORT_SECTIONS
        from profiles.services import CLIENT_ANONYMISE_STEPS

        # Closing a case cancels its open referrals, in the same transaction (see cases.services).
        if referrals_cancel_for_case not in CASE_CLOSE_STEPS:
            CASE_CLOSE_STEPS.append(referrals_cancel_for_case)
        # Referrals, consent and transfer on the case page, without cases importing partners.
        if case_page_section not in CASE_PAGE_SECTIONS:
            CASE_PAGE_SECTIONS.append(case_page_section)
        # GDPR erasure blanks the referral texts too (see profiles.services.client_anonymise).
        if referral_texts_anonymise not in CLIENT_ANONYMISE_STEPS:
            CLIENT_ANONYMISE_STEPS.append(referral_texts_anonymise)
        # ... and the GDPR export holds the consents, referrals and transfers.
        if client_export_network not in CLIENT_EXPORT_SECTIONS:
            CLIENT_EXPORT_SECTIONS.append(client_export_network)

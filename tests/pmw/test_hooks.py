from django.apps import apps

from aftercare.reminders import REMINDER_SOURCES
from cases.hooks import CASE_CLOSE_STEPS, CASE_PAGE_SECTIONS
from pmw.hooks import HEALTH_REPORTS
from profiles.hooks import (
    CLIENT_ACCESS_PATHS,
    CLIENT_ANONYMISE_STEPS,
    CLIENT_EXPORT_SECTIONS,
    CLIENT_PAGE_SECTIONS,
)

HOOKS = [
    CASE_CLOSE_STEPS,
    CASE_PAGE_SECTIONS,
    CLIENT_ACCESS_PATHS,
    CLIENT_ANONYMISE_STEPS,
    CLIENT_EXPORT_SECTIONS,
    CLIENT_PAGE_SECTIONS,
    HEALTH_REPORTS,
    REMINDER_SOURCES,
]


def _registered():
    return {hook.name: [getattr(item, "__qualname__", item) for item in hook] for hook in HOOKS}


def test_every_hook_has_the_apps_that_take_part_in_it():
    assert _registered() == {
        "case close steps": ["referrals_cancel_for_case", "follow_ups_schedule"],
        "case page sections": ["case_page_section"],
        "client access paths": ["client_access_through_cases"],
        "client page sections": ["client_page_cases"],
        "health reports": ["reminders_health"],
        "client anonymise steps": [
            "case_texts_anonymise",
            "referral_texts_anonymise",
            "aftercare_texts_anonymise",
        ],
        "client export sections": [
            "client_export_cases",
            "client_export_network",
            "client_export_aftercare",
        ],
        "reminder sources": list(REMINDER_SOURCES),
    }
    kinds = [source.kind for source in REMINDER_SOURCES]
    assert kinds == [
        "check_in",
        "follow_up",
        "reflection_period",
        "referral_unanswered",
        "consent_expiring",
    ]


def test_ready_running_again_registers_nothing_twice():
    before = _registered()
    for config in apps.get_app_configs():
        config.ready()
    assert _registered() == before

"""Journey 1 in a real browser: a worker from login to a case in aftercare.

Runs in Dutch and English, on a desktop and at phone width; every page is checked by
axe-core and the Nu Html Checker (see conftest). Selectors use field names and URLs, not
visible text, so the same steps work in both languages.
"""

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case, Phase
from pmw.models import User
from profiles.models import Client
from tests.factories import PASSWORD


def _submit(page):
    page.locator("main form[method=post] button[type=submit]").last.click()


def _login(page, checker, username):
    device = TOTPDevice.objects.create(
        user=User.objects.get(username=username), name="browser", confirmed=True
    )
    page.goto("/")
    checker.check("login")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    _submit(page)
    # Every account has a second factor (issue 5).
    page.wait_for_url("**/accounts/2fa/**")
    checker.check("second step")
    page.fill("#id_token", f"{TOTP(device.bin_key).token():06d}")
    _submit(page)
    page.wait_for_url("**/cases/")
    checker.check("caseload empty")


@pytest.mark.parametrize(("language", "phone"), [("nl", False), ("en", True)])
def test_worker_journey(open_checked_page, worker, language, phone):
    page, checker = open_checked_page("worker", language, phone)
    _login(page, checker, "worker")

    page.goto("/clients/new/")
    checker.check("register client")
    _submit(page)  # empty: the error is shown next to the field
    assert page.locator("#id_working_name.is-invalid").count() == 1
    checker.check("register client errors")
    page.fill("#id_working_name", "Roxy")
    page.select_option("#id_profile", "multiple_needs")
    page.check("input[name=sectors][value=window]")
    page.fill("#id_safe_channels", "WhatsApp")
    _submit(page)
    client = Client.objects.get(working_name="Roxy")
    page.wait_for_url(f"**/cases/open/{client.number}/")
    checker.check("open case")
    page.select_option("#id_contact_route", "ggd")
    page.fill("#id_opened_on", (timezone.localdate() - datetime.timedelta(days=5)).isoformat())
    _submit(page)
    case = Case.objects.get(client=client)
    page.wait_for_url(f"**/cases/{case.reference}/")
    checker.check("case page")

    page.click(f"a[href='/cases/{case.reference}/contact/']")
    checker.check("log contact")
    page.select_option("#id_kind", "face_to_face")
    page.fill("#id_duration_minutes", "45")
    page.fill("#id_note", "Eerste gesprek.")
    _submit(page)
    page.wait_for_url(f"**/cases/{case.reference}/")

    for to in [Phase.ORIENTATION, Phase.EXECUTION]:
        page.click(f"a[href='/cases/{case.reference}/phase/']")
        if to == Phase.ORIENTATION:
            checker.check("change phase")
        page.select_option("#id_to", to)
        _submit(page)
        page.wait_for_url(f"**/cases/{case.reference}/")
    checker.check("case page with history")
    assert page.locator(".timeline > li").count() == 4

    case.refresh_from_db()
    assert case.phase == Phase.EXECUTION
    checker.validate_html()

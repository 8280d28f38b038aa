"""Journey 2 in a real browser: a coordinator assigns a referral from the queue, reassigns a
case (and sees the warning for a client with signs of exploitation), downloads the client's
GDPR export and access log (watching their progress), and accepts a transfer.
"""

import datetime
import json

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from partners.models import ReferralStatus, Transfer, TransferStatus
from partners.services import referral_request, transfer_propose
from profiles.models import Profile
from tests.browser.test_municipal_journey import download_with_progress
from tests.browser.test_worker_journey import _login, _submit
from tests.factories import CaseFactory, NeedFactory
from tests.partners.factories import PartnerFactory


@pytest.mark.parametrize(("language", "phone"), [("nl", False), ("en", True)])
def test_coordinator_journey(
    open_checked_page,
    worker,
    colleague,
    coordinator,
    outsider,
    outsider_coordinator,
    language,
    phone,
):
    page, checker = open_checked_page("coordinator", language, phone)
    case = CaseFactory(
        worker=worker,
        client__working_name="Bella",
        client__profile=Profile.EXPLOITATION,
        client__safety_flag=True,
    )
    need = NeedFactory(case=case)
    referral = referral_request(case=case, need=need, partner=PartnerFactory(), by=worker)
    incoming = CaseFactory(worker=outsider, client__working_name="Dani")
    transfer_propose(
        case=incoming,
        to_organisation=coordinator.organisation,
        reason="Verhuist naar Amsterdam.",
        by=outsider_coordinator,
        consent_given_on=timezone.localdate() - datetime.timedelta(days=1),
    )

    _login(page, checker, "coordinator")

    page.goto("/partners/referrals/queue/")
    checker.check("referral queue")
    page.click(f"form[action='/partners/referrals/{referral.reference}/approve/'] button")
    page.wait_for_load_state("load")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ASSIGNED
    checker.check("referral queue after assigning")

    page.goto(f"/cases/{case.reference}/reassign/")
    assert page.locator(".alert-danger").count() == 1  # avoid a change of worker
    checker.check("reassign with warning")
    page.select_option("#id_to_worker", str(colleague.pk))
    page.fill("#id_reason", "Langdurig ziek.")
    _submit(page)
    # The answer to the submit may still be on its way: wait for it (up to the timeout).
    expect(page.locator("#id_extra_care_confirmed.is-invalid")).to_have_count(1)
    checker.check("reassign needs confirmation")
    page.check("#id_extra_care_confirmed")
    _submit(page)
    page.wait_for_url(f"**/cases/{case.reference}/")
    case.refresh_from_db()
    assert case.worker == colleague

    number = case.client.number
    page.goto(f"/clients/{number}/export/")
    path, direct = download_with_progress(page, page.locator("a[href$='.json'][data-export]"))
    exported = json.loads(path.read_text(encoding="utf-8"))
    served = direct.json()
    # Every download is logged, so only the access log differs from a second request.
    assert exported.pop("access_log") and served.pop("access_log")
    assert exported == served
    checker.check("GDPR export after the download")

    page.goto(f"/clients/{number}/")
    path, _direct = download_with_progress(page, page.locator("a[href$='access-log.csv']"))
    assert path.read_text(encoding="utf-8").startswith("tijdstip_utc,gebruiker,")
    checker.check("client after downloading the access log")

    page.goto("/partners/transfers/")
    checker.check("transfers")
    transfer = Transfer.objects.get(case=incoming)
    page.click(f"a[href='/partners/transfers/{transfer.reference}/']")
    checker.check("decide transfer")
    page.select_option("#id_new_worker", str(worker.pk))
    page.locator("form:has(input[name=decision][value=accept]) button[type=submit]").click()
    page.wait_for_load_state("load")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED
    assert Case.objects.get(pk=incoming.pk).organisation == coordinator.organisation
    checker.check("after accepting the transfer")
    checker.validate_html()

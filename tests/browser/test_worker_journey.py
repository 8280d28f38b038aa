"""Journey 1 in a real browser: a worker from login to a check-in in aftercare.

Runs in Dutch on a desktop and in English at phone width; every page is checked by axe-core
and the Nu Html Checker (see conftest). A third run does the whole journey with the keyboard
only. Selectors use field names and URLs, not visible text, so the steps work in any language.
"""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from aftercare.models import AftercarePlan, CheckIn
from cases.models import Case, LifeDomain, Need, Phase
from partners.models import Referral
from pmw.models import User
from profiles.models import Client
from tests.factories import PASSWORD
from tests.partners.factories import PartnerFactory

PHASES = [Phase.ORIENTATION, Phase.EXECUTION, Phase.ORIENTATION, Phase.EXECUTION]


def _submit(page):
    page.locator("main form[method=post] button[type=submit]").last.click()


def _login(page, checker, username, how=None, landing="**/cases/"):
    """Password, then the second factor (every account has one)."""
    how = how or Mouse(page)
    device = TOTPDevice.objects.create(
        user=User.objects.get(username=username), name="browser", confirmed=True
    )
    page.goto("/")
    checker.check("login")
    how.fill("#id_username", username)
    how.fill("#id_password", PASSWORD)
    how.submit()
    page.wait_for_url("**/accounts/2fa/**")
    checker.check("second step")
    how.fill("#id_token", f"{TOTP(device.bin_key).token():06d}")
    how.submit()
    page.wait_for_url(landing)
    checker.check("home")


class Mouse:
    """Steps done the usual way: click and fill."""

    def __init__(self, page):
        self.page = page

    def go(self, href):
        links = self.page.locator(f"a[href='{href}']:visible")
        if links.count() == 0:  # on a phone the menu is folded away
            self.page.click(".navbar-toggler")
        links.first.click()

    def fill(self, selector, text):
        self.page.fill(selector, text)

    def choose(self, selector, value):
        self.page.select_option(selector, value)

    def tick(self, selector):
        self.page.check(selector)

    def submit(self):
        _submit(self.page)


class Keyboard(Mouse):
    """The same steps with Tab, typing, arrows, Space and Enter only."""

    def focus(self, selector, limit=120):
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} cannot be reached with Tab")

    def go(self, href):
        self.focus(f"a[href='{href}']")
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")

    def fill(self, selector, text):
        self.focus(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)

    def choose(self, selector, value):
        self.focus(selector)
        target = self.page.evaluate(
            "([s, v]) => [...document.querySelector(s).options].findIndex(o => o.value === v)",
            [selector, value],
        )
        current = self.page.evaluate("(s) => document.querySelector(s).selectedIndex", selector)
        key = "ArrowDown" if target > current else "ArrowUp"
        for _ in range(abs(target - current)):
            self.page.keyboard.press(key)
        assert self.page.eval_on_selector(selector, "e => e.value") == value

    def tick(self, selector):
        self.focus(selector)
        self.page.keyboard.press("Space")

    def submit(self):
        self.focus("main form[method=post] button[type=submit]")
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def _journey(page, checker, user, how):
    partner = PartnerFactory(name="Woningcorporatie Oost")
    _login(page, checker, "worker", how)

    how.go("/clients/new/")
    checker.check("register client")
    how.submit()  # empty: the error is shown next to the field
    expect(page.locator("#id_working_name.is-invalid")).to_have_count(1)
    checker.check("register client errors")
    how.fill("#id_working_name", "Roxy")
    how.choose("#id_profile", "multiple_needs")
    how.tick("input[name=sectors][value=window]")
    how.submit()
    client = Client.objects.get(working_name="Roxy")
    page.wait_for_url(f"**/cases/open/{client.number}/")
    checker.check("open case")
    how.choose("#id_contact_route", "ggd")
    how.submit()
    case = Case.objects.get(client=client)
    detail = f"/cases/{case.reference}/"
    page.wait_for_url(f"**{detail}")
    checker.check("case page")

    how.go(f"{detail}contact/")
    checker.check("log contact")
    how.choose("#id_kind", "face_to_face")
    how.fill("#id_duration_minutes", "45")
    how.fill("#id_note", "Eerste gesprek over wonen en inkomen.")
    how.submit()
    page.wait_for_url(f"**{detail}")

    how.go(f"{detail}needs/new/")
    checker.check("add need")
    how.choose("#id_domain", str(LifeDomain.objects.get(code="housing").pk))
    how.fill("#id_description", "Een eigen kamer, niet meer op de werkplek slapen.")
    how.submit()
    page.wait_for_url(f"**{detail}")
    need = Need.objects.get(case=case)

    how.go(f"/partners/case/{case.reference}/referral/")
    checker.check("request referral")
    how.choose("#id_need", str(need.pk))
    how.choose("#id_partner", str(partner.pk))
    how.submit()
    referral = Referral.objects.get(case=case, need=need)
    page.wait_for_url(f"**/partners/referrals/{referral.reference}/")
    checker.check("referral requested")
    page.goto(detail)

    for index, to in enumerate(PHASES):
        how.go(f"{detail}phase/")
        if index == 0:
            checker.check("change phase")
        how.choose("#id_to", to)
        how.fill("#id_note", f"Besproken: {to}.")
        how.submit()
        page.wait_for_url(f"**{detail}")
    checker.check("case page with history")

    how.go(f"/aftercare/{case.reference}/start/")
    checker.check("start aftercare")
    how.submit()
    page.wait_for_url(f"**/aftercare/{case.reference}/")
    checker.check("aftercare plan")
    how.go(f"/aftercare/{case.reference}/check-in/")
    checker.check("log check-in")
    how.choose("#id_result", "good")
    how.fill("#id_note", "Gaat goed met het nieuwe werk.")
    how.submit()
    page.wait_for_url(f"**/aftercare/{case.reference}/")

    case.refresh_from_db()
    assert case.phase == Phase.AFTERCARE
    assert [c.to_phase for c in case.phase_changes.all()] == [
        Phase.CONTACT,
        *PHASES,
        Phase.AFTERCARE,
    ]
    assert AftercarePlan.objects.get(case=case).intensity == "active"  # suggested: multiple needs
    assert CheckIn.objects.filter(plan__case=case).count() == 1
    page.goto(detail)
    checker.check("case page in aftercare")
    how.go(f"{detail}timeline/")
    page.wait_for_url(f"**{detail}timeline/")
    checker.check("timeline")
    assert "Eerste gesprek over wonen en inkomen." in page.content()


@pytest.mark.parametrize(("language", "phone"), [("nl", False), ("en", True)])
def test_worker_journey(open_checked_page, worker, language, phone):
    page, checker = open_checked_page("worker", language, phone)
    _journey(page, checker, worker, Mouse(page))
    checker.validate_html()


def test_worker_journey_by_keyboard_only(open_checked_page, worker):
    page, checker = open_checked_page("worker-keyboard", "nl", False)
    _journey(page, checker, worker, Keyboard(page))

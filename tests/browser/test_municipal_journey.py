"""Journey 3 in a real browser: a municipal policy adviser opens the regional dashboard,
switches period, compares the regions, downloads a CSV (watching its progress, also when the
export fails or the session has expired), and gets 404 on a case URL."""

import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pmw.models import Municipality
from tests.browser.test_worker_journey import _login
from tests.factories import CaseFactory

# Every text the export's status region shows, in order (static/js/export.js).
RECORD_STATUS = """(id) => {
    const status = document.getElementById(id);
    window.exportStatus = [];
    new MutationObserver(() => window.exportStatus.push(status.textContent.trim()))
        .observe(status, {childList: true, subtree: true, characterData: true});
}"""


def download_with_progress(page, link):
    """Click an export link: the status region says it is busy, then the file arrives and the
    status says it is done. Returns the file's path and the same URL fetched without script."""
    status_id = link.get_attribute("data-export")
    status = page.locator(f"[id='{status_id}']")
    expect(status).to_have_attribute("aria-live", "polite")
    page.evaluate(RECORD_STATUS, status_id)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    expect(status).to_have_text(link.get_attribute("data-export-done"))
    expect(link).not_to_have_attribute("aria-disabled", "true")
    shown = page.evaluate("window.exportStatus")
    assert shown[0] == link.get_attribute("data-export-busy"), shown
    assert shown[-1] == link.get_attribute("data-export-done"), shown
    direct = page.request.get(link.evaluate("a => a.href"))
    assert direct.ok
    disposition = direct.headers["content-disposition"]
    assert download.suggested_filename == re.search(r'filename="(.+)"', disposition)[1]
    return Path(download.path()), direct


@pytest.mark.parametrize(("language", "phone"), [("nl", False), ("en", True)])
def test_municipal_journey(open_checked_page, municipal, worker, language, phone):
    page, checker = open_checked_page("municipal", language, phone)
    amsterdam = Municipality.objects.get(name="Amsterdam")
    cases = [
        CaseFactory(worker=worker, client__working_name=f"Noor{i}", client__municipality=amsterdam)
        for i in range(12)
    ]
    case = cases[0]

    _login(page, checker, "municipal", landing="**/monitoring/regio/amsterdam/")
    assert page.locator("table").count() > 0
    assert "Noor" not in page.content() and case.client.number not in page.content()

    year = timezone.localdate().year
    page.select_option("#id_year", str(year))
    page.select_option("#id_quarter", "1")
    page.locator("main form[method=get] button[type=submit]").click()
    page.wait_for_url("**quarter=1**")
    checker.check("regional dashboard, first quarter")

    page.goto("/monitoring/landelijk/")
    assert page.locator("table").count() > 0
    csv_link = page.locator("a[href$='.csv'][data-export]").first
    path, direct = download_with_progress(page, csv_link)
    content = path.read_text(encoding="utf-8")
    assert content.strip() and "Noor" not in content
    assert path.read_bytes() == direct.body()
    # Checked once the status says so (a second check of one page would save axe with it).
    checker.check("national comparison after a download")

    page.goto("/monitoring/definities/")
    checker.check("definitions")

    response = page.goto(f"/cases/{case.reference}/")
    assert response.status == 404
    response = page.goto(f"/clients/{case.client.number}/")
    assert response.status == 404

    # A failed export says so and can be tried again; an expired session asks to log in.
    page.goto("/monitoring/landelijk/")
    csv_link = page.locator("a[href$='.csv'][data-export]").first
    status = page.locator(f"[id='{csv_link.get_attribute('data-export')}']")
    held = []  # the request waits here while the page shows that it is busy
    page.route("**/*.csv*", lambda route: held.append(route))
    csv_link.click()
    expect(status).to_have_text(csv_link.get_attribute("data-export-busy"))
    expect(status.locator(".spinner-border")).to_be_visible()
    expect(csv_link).to_have_attribute("aria-disabled", "true")
    csv_link.dispatch_event("click")  # a second click sends no second request
    page.wait_for_timeout(200)
    assert len(held) == 1
    status.screenshot(path=str(checker.shots / "export-busy.png"))
    held[0].fulfill(status=500, body="fout")
    expect(status).to_have_text(csv_link.get_attribute("data-export-failed"))
    expect(csv_link).not_to_have_attribute("aria-disabled", "true")
    checker.check("national comparison, export failed")
    page.unroute("**/*.csv*")
    page.context.clear_cookies()
    csv_link.click()
    expect(status).to_have_text(csv_link.get_attribute("data-export-login"))
    checker.validate_html()

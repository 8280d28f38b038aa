"""Journey 3 in a real browser: a municipal policy adviser opens the regional dashboard,
switches period, compares the regions, downloads a CSV, and gets 404 on a case URL."""

from pathlib import Path

import pytest
from django.utils import timezone

from pmw.models import Municipality
from tests.browser.test_worker_journey import _login
from tests.factories import CaseFactory


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
    checker.check("national comparison")
    assert page.locator("table").count() > 0

    csv_link = page.locator("a[href$='.csv']").first
    with page.expect_download() as download_info:
        csv_link.click()
    download = download_info.value
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.strip() and "Noor" not in content

    page.goto("/monitoring/definities/")
    checker.check("definitions")

    response = page.goto(f"/cases/{case.reference}/")
    assert response.status == 404
    response = page.goto(f"/clients/{case.client.number}/")
    assert response.status == 404
    checker.validate_html()

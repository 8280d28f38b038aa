"""The coordinator's "who looked at this file" export for one client."""

import csv
import io

from django.urls import reverse

from cases.services import case_share_grant
from pmw.models import AccessLog


def test_export_lists_every_read_of_the_client(case, worker, colleague, coordinator, as_user):
    import datetime

    from django.utils import timezone

    case_share_grant(
        case=case,
        user=colleague,
        expires_on=timezone.localdate() + datetime.timedelta(days=3),
        can_write=False,
        by=worker,
    )
    as_user(worker).get(reverse("cases:detail", args=[case.reference]))
    as_user(colleague).get(reverse("cases:detail", args=[case.reference]))
    response = as_user(coordinator).get(
        reverse("profiles:access_log_export", args=[case.client.number])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    readers = [
        (r["gebruiker"], r["namens"], r["handeling"]) for r in rows if r["gegeven"] == "case"
    ]
    assert ("worker", "", "view") in readers
    assert ("colleague", "worker", "view") in readers
    assert AccessLog.objects.filter(username="coordinator", action="export").count() == 1

"""The organisation admin's access-log page: filters, pagination, own organisation only."""

import datetime

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pmw.audit import log_access


def _entries(user, count, number="PMW-2026-0001"):
    for _ in range(count):
        log_access(user=user, action="view", record_type="case", client_number=number)


def test_filters_by_client_employee_and_period(org_admin, worker, colleague, outsider, as_user):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=10)):
        _entries(worker, 1, "PMW-2026-0009")
    _entries(worker, 2, "PMW-2026-0001")
    _entries(colleague, 3, "PMW-2026-0001")
    _entries(outsider, 4, "PMW-2026-0001")
    http = as_user(org_admin)
    url = reverse("beheer:access_log")

    def rows(**params):
        return len(http.get(url, params).context["page"].object_list)

    assert rows(client_number="PMW-2026-0001") == 5  # not the other organisation's
    assert rows(client_number="PMW-2026-0001", username="colleague") == 3
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert rows(username="worker", since=since) == 2
    assert rows(client_number="PMW-2026-0009") == 1


def test_paginated_with_a_constant_number_of_queries(org_admin, worker, as_user):
    http = as_user(org_admin)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert http.get(reverse("beheer:access_log")).status_code == 200
        return len(ctx.captured_queries)

    _entries(worker, 2)
    few = queries()
    _entries(worker, 80)
    assert queries() == few
    page = http.get(reverse("beheer:access_log"), {"page": 2}).context["page"]
    assert page.number == 2 and page.object_list

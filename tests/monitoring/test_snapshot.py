"""The dashboard reads from one snapshot: a REPEATABLE READ, READ ONLY transaction."""

import datetime

from django.db import connection

from monitoring import dashboard
from monitoring.selectors import Scope
from pmw.models import Region
from tests.marks import committed, postgresql_only

pytestmark = [
    postgresql_only("SQLite has no isolation levels to ask for"),
    committed,  # outside the test's own transaction, as a page view is
]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_page_reads_in_one_read_only_snapshot_and_leaves_the_connection_as_it_was(
    monkeypatch,
):
    seen = {}

    def watching_section(scope, ctx):
        seen.update(
            {name: _setting(name) for name in ("transaction_isolation", "transaction_read_only")}
        )

    monkeypatch.setattr(dashboard, "SECTIONS", [*dashboard.SECTIONS, watching_section])
    scope = Scope(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), Region.objects.first())
    dashboard.build_dashboard(scope)
    assert seen == {"transaction_isolation": "repeatable read", "transaction_read_only": "on"}
    assert _setting("transaction_isolation") == "read committed"
    assert _setting("transaction_read_only") == "off"

"""The dashboard reads from one snapshot, a REPEATABLE READ transaction, and computes the
figures of changed cases again in that same snapshot first."""

import datetime
import threading
import time

from django.db import connection, transaction

from cases.models import Case, Phase
from cases.services import case_change_phase
from monitoring import dashboard
from monitoring.models import CaseFigure
from monitoring.selectors import Scope
from pmw.models import Municipality, Region
from tests.factories import CaseFactory
from tests.marks import committed, postgresql_only

pytestmark = [
    postgresql_only("SQLite has no isolation levels to ask for"),
    committed,  # outside the test's own transaction, as a page view is
]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_the_page_reads_in_one_snapshot_and_leaves_the_connection_as_it_was(
    monkeypatch,
):
    seen = {}

    def watching_section(scope, ctx):
        seen["transaction_isolation"] = _setting("transaction_isolation")

    monkeypatch.setattr(dashboard, "SECTIONS", [*dashboard.SECTIONS, watching_section])
    scope = Scope(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31), Region.objects.first())
    dashboard.build_dashboard(scope)
    assert seen == {"transaction_isolation": "repeatable read"}
    assert _setting("transaction_isolation") == "read committed"


def _waiting_for_a_lock(cursor) -> bool:
    cursor.execute("SELECT pg_stat_clear_snapshot()")  # else the activity is read once
    cursor.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE 'UPDATE cases_case SET figures_stale%%'"
    )
    return cursor.fetchone()[0] > 0


def test_a_case_written_while_the_page_claims_it_is_computed_in_a_new_snapshot(worker, monkeypatch):
    """The page's snapshot is taken before it waits for a case that a write holds; the
    figures computed in that snapshot would miss the write, so the snapshot is given up
    (a serialization failure) and the page is built again in a new one."""
    case = CaseFactory(
        worker=worker, client__municipality=Municipality.objects.get(name="Amsterdam")
    )
    assert Case.objects.get(pk=case.pk).figures_stale  # a new case: no figures yet
    holding, errors = threading.Event(), []

    def write_and_commit_once_the_page_waits():
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                case_change_phase(case=case, to=Phase.ORIENTATION, by=worker)
                holding.set()
                for _ in range(200):
                    if _waiting_for_a_lock(cursor):
                        break
                    time.sleep(0.05)
                else:
                    raise AssertionError("the page never waited for the case")
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()  # the thread's own connection

    attempts = []
    build = dashboard._build_dashboard_in_one_snapshot

    def counting(*args):
        attempts.append(1)
        return build(*args)

    monkeypatch.setattr(dashboard, "_build_dashboard_in_one_snapshot", counting)
    writer = threading.Thread(target=write_and_commit_once_the_page_waits)
    writer.start()
    assert holding.wait(timeout=10)
    today = datetime.date.today()
    scope = Scope(today.replace(month=1, day=1), today.replace(month=12, day=31))
    dashboard.build_dashboard(scope)
    writer.join(timeout=30)
    assert not errors, errors

    assert len(attempts) == 2
    assert not Case.objects.get(pk=case.pk).figures_stale
    move = CaseFigure.objects.get(case=case, figure="move")
    assert move.category == "contact>orientation"

"""On PostgreSQL the database refuses UPDATE and DELETE on the audit tables."""

import pytest
from django.db import DatabaseError, connection, transaction

from pmw.audit import log_access
from pmw.models import AccessLog
from tests.marks import postgresql_only


@postgresql_only("the append-only trigger is made there only")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE pmw_accesslog SET action = 'delete'",
        "DELETE FROM pmw_accesslog",
        "UPDATE pmw_loginevent SET success = true",
    ],
)
def test_raw_sql_cannot_change_the_log(worker, sql):
    log_access(user=worker, action="view", record_type="case")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AccessLog.objects.get().action == "view"


def test_the_orm_refuses_bulk_changes_too(worker):
    log_access(user=worker, action="view", record_type="case")
    entry = AccessLog.objects.get()
    with pytest.raises(ValueError):
        entry.delete()

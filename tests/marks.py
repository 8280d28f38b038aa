"""Marks that several test modules share."""

import pytest
from django.db import connection


def postgresql_only(why: str):
    """Skipped on SQLite, saying why; CI runs the whole suite on PostgreSQL as well."""
    return pytest.mark.skipif(connection.vendor != "postgresql", reason=f"needs PostgreSQL: {why}")


# Committed data, visible to other connections (threads, a worker process) and outside the
# test's own transaction; tests/conftest.py puts the seeded reference data (regions, life
# domains) back after the flush.
committed = pytest.mark.django_db(transaction=True)

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the tests on committed data (real threads, a real Celery worker) last of all.

    They end with a flush that also empties the reference data seeded by migrations
    (regions, life domains). pytest-django already runs transactional tests after the others,
    but a test that reaches the database only through ``request.getfixturevalue`` (the
    parametrized access tests) is not recognised as one and would run after the flush.
    """

    def committed(item):
        marker = item.get_closest_marker("django_db")
        return bool(marker and marker.kwargs.get("transaction"))

    items[:] = [item for item in items if not committed(item)] + [
        item for item in items if committed(item)
    ]

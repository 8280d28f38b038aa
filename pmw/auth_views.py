"""The second step of login: TOTP verification, enrolment at first login, and re-enrolment."""

import base64

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pmw.audit import Action, log_access, log_login
from pmw.models import LoginEvent

FAILURES_KEY = "pmw_otp_failures"
BACKUP_CODE_COUNT = 10


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("De 6 cijfers uit de authenticator-app, of een back-upcode."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").lower()


class ReauthForm(TokenForm):
    password = forms.CharField(
        label=gettext_lazy("Wachtwoord"), strip=False, widget=forms.PasswordInput
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


def _factor(device) -> str:
    return LoginEvent.Factor.BACKUP_CODE if isinstance(device, StaticDevice) else "totp"


def _verified(request, device):
    otp_login(request, device)
    # A higher privilege level: a new session id, like at the password step.
    request.session.cycle_key()
    request.session.pop(FAILURES_KEY, None)
    log_login(user=request.user, factor=_factor(device), success=True)


def _failed(request, factor="totp"):
    """Count a wrong code; too many in one session end it (django-otp throttles as well)."""
    log_login(user=request.user, factor=factor, success=False)
    failures = request.session.get(FAILURES_KEY, 0) + 1
    request.session[FAILURES_KEY] = failures
    if failures >= settings.OTP_FAILURE_LIMIT:
        logout(request)
        messages.error(request, _("Te veel onjuiste codes. Log opnieuw in."))
        return redirect("login")
    return None


def otp_verify(request):
    """Second step of every login."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user, confirmed=True):
        return redirect("otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            _verified(request, device)
            return redirect(_next_url(request))
        stop = _failed(request)
        if stop:
            return stop
        form.add_error(
            "token", _("Deze code klopt niet of is al gebruikt. Probeer de nieuwe code.")
        )
    return render(
        request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)}
    )


def _pending_totp(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=_("Authenticator-app"), confirmed=False
    )


def otp_setup(request):
    """Enrolment at first login: scan or type the secret, confirm with one code."""
    user = request.user
    if user_has_device(user, confirmed=True):
        # Changing the second factor needs re-authentication first.
        return redirect("otp_reset" if user.is_verified() else "otp_verify")
    device = _pending_totp(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                backup = StaticDevice.objects.create(user=user, name=_("Back-upcodes"))
                codes = [StaticToken.random_token() for _i in range(BACKUP_CODE_COUNT)]
                backup.token_set.bulk_create(StaticToken(device=backup, token=c) for c in codes)
            _verified(request, device)
            log_access(user=user, action=Action.CREATE, record_type="second_factor")
            return render(request, "registration/otp_backup_codes.html", {"codes": codes})
        stop = _failed(request)
        if stop:
            return stop
        form.add_error("token", _("Deze code klopt niet. Controleer de tijd op uw telefoon."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "secret": secret, "config_url": device.config_url},
    )


def otp_reset(request):
    """Replace the second factor: password and a current code first (re-authentication)."""
    user = request.user
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_ok = user.check_password(form.cleaned_data["password"])
        device = match_token(user, form.cleaned_data["token"]) if password_ok else None
        if device is not None:
            with transaction.atomic():
                for old in devices_for_user(user, confirmed=None):
                    old.delete()
            log_access(user=user, action=Action.DELETE, record_type="second_factor")
            messages.info(request, _("Stel nu uw nieuwe authenticator-app in."))
            return redirect("otp_setup")
        stop = _failed(request, factor="password" if not password_ok else "totp")
        if stop:
            return stop
        form.add_error(None, _("Wachtwoord of code klopt niet."))
    return render(request, "registration/otp_reset.html", {"form": form})

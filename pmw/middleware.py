import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django_otp import user_has_device

from pmw.audit import reset_request_ip, set_request_ip


def client_ip(request) -> str | None:
    """The visitor's address: the proxy's X-Forwarded-For only when we run behind one.

    Used by the access log and by django-axes, so a lockout per address hits the visitor,
    not the reverse proxy that every visitor comes through.
    """
    ip = request.META.get("REMOTE_ADDR")
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        ip = forwarded.split(",")[0].strip() or ip
    return ip


class AuditContextMiddleware:
    """Makes the client address available to the access log for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_request_ip(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            reset_request_ip(token)


class NoStoreMiddleware:
    """Pages behind login may carry client data: browsers and proxies must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


class SessionLifetimeMiddleware:
    """An absolute session lifetime on top of the idle timeout (SESSION_COOKIE_AGE).

    The idle timeout slides: the session is saved (and its expiry moved) when it was last
    refreshed more than SESSION_REFRESH_SECONDS ago, not on every request. That keeps a
    database write (three queries in a transaction) off almost every page; the idle timeout
    is exact to within that margin.
    """

    KEY = "pmw_authenticated_at"
    REFRESHED = "pmw_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(self.KEY, now)
            if now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
            if now - request.session.get(self.REFRESHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[self.REFRESHED] = now
        return self.get_response(request)


# Pages a password-authenticated user may open before the second factor is done.
SECOND_FACTOR_EXEMPT = {"login", "logout", "otp_verify", "otp_setup", "set_language", "health"}


class SecondFactorRequiredMiddleware:
    """Every account needs a verified second factor; enrol at first login."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not getattr(view_func, "login_required", True):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        target = "otp_verify" if user_has_device(user, confirmed=True) else "otp_setup"
        return redirect_to_login(request.get_full_path(), login_url=reverse(target))

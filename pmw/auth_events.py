"""Password-step login events. Django reports them only as signals, so we listen here."""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from pmw.audit import log_login


@receiver(user_logged_in, dispatch_uid="pmw_login_password_ok")
def _password_ok(sender, request, user, **kwargs):
    log_login(user=user, factor="password", success=True)


@receiver(user_login_failed, dispatch_uid="pmw_login_password_failed")
def _password_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in ``credentials``; keep only the username.
    log_login(username=str(credentials.get("username", "")), factor="password", success=False)

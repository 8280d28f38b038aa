"""The access log: one entry for every read and write of client data.

Views never call this directly: the access helpers (``get_case_for_user``,
``get_client_for_user``) and the services write the entries, so a new view that goes
through a helper is logged without remembering to be.
"""

from contextvars import ContextVar

from pmw.models import AccessLog

_request_ip: ContextVar[str | None] = ContextVar("request_ip", default=None)

Action = AccessLog.Action


def set_request_ip(ip: str | None):
    return _request_ip.set(ip)


def reset_request_ip(token) -> None:
    _request_ip.reset(token)


def log_access(
    *,
    user,
    action,
    record_type,
    record_ref="",
    client_number="",
    detail="",
    on_behalf_of=None,
    username="",
):
    authenticated = bool(user) and user.is_authenticated
    return AccessLog.objects.create(
        user=user if authenticated else None,
        on_behalf_of=on_behalf_of,
        username=(getattr(user, "username", "") or username or "")[:150],
        role=getattr(user, "role", "") or "",
        organisation_id=getattr(user, "organisation_id", None),
        action=action,
        record_type=record_type,
        record_ref=str(record_ref)[:64],
        client_number=client_number or "",
        ip_address=_request_ip.get(),
        detail=detail[:255],
    )


def log_login(*, user=None, username="", factor, success, detail=""):
    """A login attempt: the password step or the second factor, success or failure."""
    from pmw.models import LoginEvent

    return LoginEvent.objects.create(
        user=user if user is not None and user.pk else None,
        username=(username or getattr(user, "username", "") or "")[:150],
        organisation_id=getattr(user, "organisation_id", None),
        factor=factor,
        success=success,
        ip_address=_request_ip.get(),
        detail=detail[:255],
    )

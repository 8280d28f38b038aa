from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pmw.audit import Action, log_access
from pmw.models import ORGANISATION_ROLES, User


def _require_org_role(role: str) -> None:
    if role not in ORGANISATION_ROLES:
        raise ValidationError({"role": _("Kies een rol binnen de organisatie.")})


@transaction.atomic
def user_create(*, by, username, first_name, last_name, email, role, password) -> User:
    """An organisation admin adds an account to the own organisation."""
    _require_org_role(role)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("Deze gebruikersnaam is al in gebruik.")})
    account = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
        organisation_id=by.organisation_id,
    )
    try:
        validate_password(password, account)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    account.set_password(password)
    account.save()
    log_access(user=by, action=Action.CREATE, record_type="user", record_ref=account.username)
    return account


@transaction.atomic
def user_change_role(*, account: User, role: str, by) -> User:
    _require_org_role(role)
    if account.pk == by.pk:
        raise ValidationError({"role": _("U kunt uw eigen rol niet wijzigen.")})
    old = account.role
    account.role = role
    account.save(update_fields=["role"])
    log_access(
        user=by,
        action=Action.UPDATE,
        record_type="user",
        record_ref=account.username,
        detail=f"role {old} -> {role}",
    )
    return account


def user_sessions_end(*, account: User) -> int:
    """Delete every session of this account. Sessions are signed blobs, so read each one."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(account.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def user_deactivate(*, account: User, by) -> User:
    """Nobody can log in with this account any more, and open sessions end now."""
    if account.pk == by.pk:
        raise ValidationError(_("U kunt uw eigen account niet deactiveren."))
    account.is_active = False
    account.save(update_fields=["is_active"])
    ended = user_sessions_end(account=account)
    log_access(
        user=by,
        action=Action.UPDATE,
        record_type="user",
        record_ref=account.username,
        detail=f"deactivated, {ended} session(s) ended",
    )
    return account

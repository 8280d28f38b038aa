from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from pmw.audit import Action, log_access
from pmw.models import AccessLog, Role, User


def users_managed_by(user) -> QuerySet[User]:
    """An organisation admin manages the accounts of the own organisation, nobody else's."""
    if not user.is_authenticated or user.role != Role.ORG_ADMIN or not user.organisation_id:
        return User.objects.none()
    return User.objects.filter(organisation_id=user.organisation_id)


def get_managed_user_for_request(request, pk: int) -> User:
    """The one way a view reaches a user account: 404 unless it is in the admin's organisation."""
    account = users_managed_by(request.user).filter(pk=pk).first()
    if account is None:
        log_access(user=request.user, action=Action.DENIED, record_type="user", record_ref=str(pk))
        raise Http404
    action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(user=request.user, action=action, record_type="user", record_ref=account.username)
    return account


def access_log_for_admin(user, *, client_number="", username="", since=None, until=None):
    """The organisation's access log for its admin, newest first, in one query per page."""
    if not user.is_authenticated or user.role != Role.ORG_ADMIN or not user.organisation_id:
        return AccessLog.objects.none()
    entries = AccessLog.objects.filter(organisation_id=user.organisation_id)
    if client_number:
        number = client_number.strip()
        # Denied attempts carry the number they asked for as the record reference only.
        entries = entries.filter(Q(client_number=number) | Q(record_ref=number))
    if username:
        entries = entries.filter(username=username.strip())
    if since:
        entries = entries.filter(at__date__gte=since)
    if until:
        entries = entries.filter(at__date__lte=until)
    return entries.select_related("on_behalf_of").order_by("-at", "-id")


def paginate(queryset, number, per_page=50):
    return Paginator(queryset, per_page).get_page(number)

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from pmw.audit import Action, log_access
from pmw.models import Role
from profiles.models import Client, name_key, phone_key


def clients_visible_to(user) -> QuerySet[Client]:
    """Clients this user may see: a coordinator's organisation, a worker's own clients."""
    if not user.is_authenticated or user.organisation_id is None:
        return Client.objects.none()
    in_org = Client.objects.filter(organisation_id=user.organisation_id)
    if user.role == Role.COORDINATOR:
        return in_org
    if user.role == Role.WORKER:
        from cases.models import Case  # cases builds on profiles, not the other way round

        own_case = Case.objects.filter(client=OuterRef("pk"), worker=user)
        return in_org.filter(Q(Exists(own_case)) | Q(created_by=user))
    return Client.objects.none()


def get_client_for_request(request, number: str, *, write: bool = False) -> Client:
    """The one way a view reaches a client. Outsiders get 404 and cannot learn it exists.

    Every call is one access-log entry: a read for GET, a write otherwise, a denial
    when the user may not see the client.
    """
    user = request.user
    client = clients_visible_to(user).filter(number=number).first()
    if client is None:
        log_access(user=user, action=Action.DENIED, record_type="client", record_ref=number)
        raise Http404
    if write and not user.does_casework:
        log_access(
            user=user,
            action=Action.DENIED,
            record_type="client",
            record_ref=number,
            client_number=client.number,
        )
        raise PermissionDenied
    action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(
        user=user,
        action=action,
        record_type="client",
        record_ref=client.number,
        client_number=client.number,
    )
    return client


def client_possible_duplicates(
    *, organisation, working_name: str, birth_year: int | None, phone: str, exclude_pk=None
) -> QuerySet[Client]:
    """Records in the organisation that may be the same person.

    Same folded working name, the same phone number, or a name that starts the same
    with the same birth year. Searching stays inside the organisation: another
    organisation's clients are not ours to look at.
    """
    key = name_key(working_name)
    match = Q(working_name_key=key) if key else Q(pk__in=[])
    phone_digits = phone_key(phone or "")
    if len(phone_digits) >= 6:
        match |= Q(phone_key=phone_digits)
    if birth_year and len(key) >= 3:
        match |= Q(birth_year=birth_year, working_name_key__startswith=key[:3])
    found = Client.objects.filter(match, organisation=organisation)
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("number")

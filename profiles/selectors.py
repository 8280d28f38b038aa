from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.http import Http404

from pmw.audit import Action, log_access
from pmw.models import Role
from profiles.hooks import CLIENT_ACCESS_PATHS, CLIENT_EXPORT_SECTIONS
from profiles.models import AccessBlock, Client, name_key, phone_key


def clients_visible_to(user) -> QuerySet[Client]:
    """The one scoping query for clients, as SQL.

    A coordinator sees the organisation's clients; a worker the clients of their own
    cases, of cases shared with them (not expired) and the ones they registered. An access
    block overrides every grant. Organisation admins, municipal staff and system admins
    see no client.
    """
    if not user.is_authenticated or not user.is_active or user.organisation_id is None:
        return Client.objects.none()
    in_org = Client.objects.filter(organisation_id=user.organisation_id)
    blocked = AccessBlock.objects.filter(client=OuterRef("pk"), user=user)
    if user.role == Role.COORDINATOR:
        scoped = in_org
    elif user.role == Role.WORKER:
        scoped = in_org.filter(_worker_reaches(user, write=False))
    else:
        return Client.objects.none()
    return scoped.filter(~Exists(blocked))


def _worker_reaches(user, *, write: bool) -> Q:
    """Whom a worker registered, plus the paths the apps built on profiles add (their own
    cases and running shares: ``cases.selectors.client_access_through_cases``)."""
    reaches = Q(created_by=user)
    for path in CLIENT_ACCESS_PATHS:
        reaches |= path(user, write=write)
    return reaches


def get_client_for_request(
    request,
    number: str,
    *,
    write: bool = False,
    coordinator_only: bool = False,
    action: str | None = None,
    detail: str = "",
) -> Client:
    """The one way a view reaches a client. Outsiders get 404 and cannot learn it exists.

    Every call is one access-log entry: a read for GET, a write otherwise, a denial
    when the user may not see the client.
    """
    user = request.user
    client = (
        clients_visible_to(user)
        .annotate(
            may_write=ExpressionWrapper(
                _worker_reaches(user, write=True), output_field=BooleanField()
            )
        )
        .filter(number=number)
        .first()
    )
    if client is None:
        log_access(user=user, action=Action.DENIED, record_type="client", record_ref=number)
        raise Http404
    allowed = user.role == Role.COORDINATOR if coordinator_only else True
    if write and user.role != Role.COORDINATOR and not client.may_write:
        allowed = False
    if not allowed:
        log_access(
            user=user,
            action=Action.DENIED,
            record_type="client",
            record_ref=number,
            client_number=client.number,
        )
        raise PermissionDenied
    if action is None:
        action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(
        user=user,
        action=action,
        record_type="client",
        record_ref=client.number,
        client_number=client.number,
        detail=detail,
    )
    return client


def client_possible_duplicates(
    *, user, working_name: str, birth_year: int | None, phone: str, exclude_pk=None
) -> QuerySet[Client]:
    """Records in the user's organisation that may be the same person.

    Same folded working name, the same phone number, or a name that starts the same
    with the same birth year. Searching stays inside the organisation: another
    organisation's clients are not ours to look at. Records the user is barred from are
    left out: even "a colleague has a similar registration" would tell a barred worker
    that the person they know is a client.
    """
    key = name_key(working_name)
    match = Q(working_name_key=key) if key else Q(pk__in=[])
    phone_digits = phone_key(phone or "")
    if len(phone_digits) >= 6:
        match |= Q(phone_key=phone_digits)
    if birth_year and len(key) >= 3:
        match |= Q(birth_year=birth_year, working_name_key__startswith=key[:3])
    found = Client.objects.filter(match, organisation=user.organisation_id).exclude(
        Exists(AccessBlock.objects.filter(client=OuterRef("pk"), user=user))
    )
    if exclude_pk:
        found = found.exclude(pk=exclude_pk)
    return found.order_by("number")


def access_log_for_client(client: Client):
    """Every access-log entry about this client, oldest first (for the per-client export)."""
    from pmw.models import AccessLog

    return (
        AccessLog.objects.filter(
            client_number=client.number, organisation_id=client.organisation_id
        )
        .select_related("on_behalf_of")
        .order_by("at", "id")
    )


def may_see_safety_details(user, client: Client) -> bool:
    """With a safety flag, the shelter location is for the fixed worker and the coordinator.

    Everyone else with access to the client has to break the glass, with a reason.
    """
    if not client.safety_flag or user.role == Role.COORDINATOR:
        return True
    return client.cases.filter(worker=user, closed_on__isnull=True).exists()


def break_glass_events(user):
    """The coordinator's view of emergency access to shelter locations in the organisation,
    without the clients the coordinator is barred from (the reasons tell about the person)."""
    from pmw.models import AccessLog

    if user.role != Role.COORDINATOR or not user.organisation_id:
        return AccessLog.objects.none()
    barred = AccessBlock.objects.filter(user=user).values("client__number")
    return (
        AccessLog.objects.filter(organisation_id=user.organisation_id, action=Action.BREAK_GLASS)
        .exclude(client_number__in=barred)
        .order_by("-at", "-id")
    )


def _client_section(client: Client) -> tuple[str, dict]:
    fields = [
        f.name
        for f in Client._meta.concrete_fields
        if f.name not in ("id", "organisation", "created_by", "municipality")
        and not f.name.endswith("_key")
    ]
    data = {name: getattr(client, name) for name in fields}
    data["country_of_origin"] = client.country_of_origin.code or ""
    data["organisation"] = client.organisation.name
    data["municipality"] = str(client.municipality) if client.municipality else ""
    data["sectors"] = [row.get_sector_display() for row in client.sectors.all()]
    data["talents"] = [row.get_talent_display() for row in client.talents.all()]
    return "client", data


def client_export(client: Client) -> dict:
    """Everything the application holds about one client (GDPR art. 15 and 20)."""
    sections = dict([_client_section(client)])
    for section in CLIENT_EXPORT_SECTIONS:
        title, data = section(client)
        sections[title] = data
    sections["access_log"] = [
        {
            "at": entry.at,
            "user": entry.username,
            "on_behalf_of": entry.on_behalf_of.username if entry.on_behalf_of else "",
            "action": entry.action,
            "record": f"{entry.record_type} {entry.record_ref}".strip(),
        }
        for entry in access_log_for_client(client)
    ]
    return sections

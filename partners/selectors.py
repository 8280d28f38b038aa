import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.models import Case, LifeDomain
from cases.selectors import active_shares, cases_visible_to, may_write_case
from partners.models import (
    AWAITING_ANSWER_STATUSES,
    Consent,
    ContactPerson,
    CooperationAgreement,
    Partner,
    Referral,
    ReferralStatus,
    Transfer,
    TransferStatus,
)
from pmw.audit import Action, log_access
from pmw.models import Role
from profiles.models import AccessBlock

# --- Partners: shared reference data --------------------------------------------------------
# Every PMW worker and coordinator of the installation sees the whole partner directory (the
# network crosses organisations); coordinators edit it. Municipal staff see only the coverage
# matrix of their own region. Partners hold no client data.


def can_view_partners(user) -> bool:
    return user.is_authenticated and user.does_casework


def can_edit_partners(user) -> bool:
    return user.is_authenticated and user.role == Role.COORDINATOR


def get_partner_for_request(request, pk: int, *, write: bool = False) -> Partner:
    """Partners are shared reference data: every PMW worker and coordinator reads them,
    coordinators edit them; anyone else gets 404."""
    user = request.user
    if not can_view_partners(user):
        log_access(user=user, action=Action.DENIED, record_type="partner", record_ref=pk)
        raise Http404
    partner = get_object_or_404(Partner, pk=pk)
    if write and not can_edit_partners(user):
        log_access(user=user, action=Action.DENIED, record_type="partner", record_ref=pk)
        raise PermissionDenied
    action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(user=user, action=action, record_type="partner", record_ref=pk)
    return partner


def partner_directory(*, region=None, domain=None, query: str = "") -> QuerySet[Partner]:
    partners = Partner.objects.filter(is_active=True)
    if region is not None:
        partners = partners.filter(regions=region)
    if domain is not None:
        partners = partners.filter(domains=domain)
    query = query.strip()
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(contacts__name__icontains=query))
    today = timezone.localdate()
    return (
        partners.annotate(
            has_contact=Exists(
                ContactPerson.objects.filter(partner=OuterRef("pk"), is_active=True)
            ),
            has_agreement=Exists(_valid_agreements(today).filter(partner=OuterRef("pk"))),
        )
        .prefetch_related("regions", "domains")
        .distinct()
        .order_by("name", "id")
    )


def _valid_agreements(day) -> QuerySet[CooperationAgreement]:
    return CooperationAgreement.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day
    )


COVERAGE_COLUMNS = ("partners", "with_contact", "with_agreement", "with_expertise")


def coverage_matrix(region, *, domains=None) -> list[dict]:
    """Per life domain: active partners serving the region, and how many of them have a fixed
    contact person, a cooperation agreement valid today, and sex-work expertise. Two queries,
    whatever the number of partners (one when the caller has the life domains already); a
    domain without partners shows zeros (a gap)."""
    today = timezone.localdate()
    through = Partner.domains.through
    counts = (
        through.objects.filter(partner__is_active=True, partner__regions=region)
        .annotate(
            has_contact=Exists(
                ContactPerson.objects.filter(partner=OuterRef("partner_id"), is_active=True)
            ),
            has_agreement=Exists(_valid_agreements(today).filter(partner=OuterRef("partner_id"))),
        )
        .values("lifedomain_id")
        .annotate(
            partners=Count("partner_id", distinct=True),
            with_contact=Count("partner_id", filter=Q(has_contact=True), distinct=True),
            with_agreement=Count("partner_id", filter=Q(has_agreement=True), distinct=True),
            with_expertise=Count(
                "partner_id", filter=Q(partner__sex_work_expertise=True), distinct=True
            ),
        )
    )
    by_domain = {row["lifedomain_id"]: row for row in counts}
    rows = []
    for domain in LifeDomain.objects.all() if domains is None else domains:
        found = by_domain.get(domain.pk, {})
        row = {"domain": domain, **{col: found.get(col, 0) for col in COVERAGE_COLUMNS}}
        row["gaps"] = [col for col in COVERAGE_COLUMNS if row[col] == 0]
        rows.append(row)
    return rows


# --- Consent ---------------------------------------------------------------------------------


def valid_consents(day=None) -> QuerySet[Consent]:
    day = day or timezone.localdate()
    return Consent.objects.filter(given_on__lte=day, expires_on__gte=day).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


def has_valid_consent(*, client, partner, day=None) -> bool:
    return valid_consents(day).filter(client=client, partner=partner).exists()


def consents_expiring(within_days: int, *, organisation=None) -> QuerySet[Consent]:
    """Valid consents that end within the next ``within_days`` days (for reminders)."""
    today = timezone.localdate()
    consents = valid_consents(today).filter(
        expires_on__lte=today + datetime.timedelta(days=within_days)
    )
    if organisation is not None:
        consents = consents.filter(client__organisation=organisation)
    return consents.select_related("client", "partner").order_by("expires_on", "id")


# --- Referrals -------------------------------------------------------------------------------


def referrals_visible_to(user) -> QuerySet[Referral]:
    return Referral.objects.filter(case__in=cases_visible_to(user))


def get_referral_for_request(
    request, reference: str, *, write: bool = False, coordinator_only: bool = False
) -> Referral:
    """The one way a view reaches a referral: 404 for whoever may not see its case, 403 for
    those who may see but not do. One access-log entry per call."""
    user = request.user
    # A colleague may reach the case through a share (issue 5): read-only shares may not
    # change a referral, and whoever works through a share acts for the fixed worker.
    shares = active_shares(user).filter(case=OuterRef("case_id"))
    referral = (
        referrals_visible_to(user)
        .annotate(
            case_shared=Exists(shares),
            case_shared_for_writing=Exists(shares.filter(can_write=True)),
        )
        .select_related(
            "case",
            "case__client",
            "case__worker",
            "case__organisation",
            "need__domain",
            "partner",
            "contact_person",
        )
        .filter(reference=reference)
        .first()
    )
    if referral is None:
        log_access(user=user, action=Action.DENIED, record_type="referral", record_ref=reference)
        raise Http404
    client_number = referral.case.client.number
    case = referral.case
    case.shared_for_writing = referral.case_shared_for_writing
    if coordinator_only:
        allowed = user.role == Role.COORDINATOR
    else:
        allowed = user.does_casework and (not write or may_write_case(user, case))
    on_behalf_of = case.worker if case.worker_id != user.pk and referral.case_shared else None
    if not allowed:
        log_access(
            user=user,
            action=Action.DENIED,
            record_type="referral",
            record_ref=reference,
            client_number=client_number,
            on_behalf_of=on_behalf_of,
        )
        raise PermissionDenied
    action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(
        user=user,
        action=action,
        record_type="referral",
        record_ref=referral.reference,
        client_number=client_number,
        on_behalf_of=on_behalf_of,
    )
    return referral


def _queue_related(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    # What every referral list shows: client, life domain, partner. A list that shows more
    # fetches it by id (``prefetch_related``): PostgreSQL spent 20 ms planning an eight-table
    # join for a page of 25 rows (a query of 6 ms).
    return referrals.select_related("case__client", "need__domain", "partner")


def not_blocked_for(user, referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """Without the referrals of clients the user is barred from: a coordinator's lists go
    by the organisation, and an access block overrides that as it does everywhere."""
    blocked = AccessBlock.objects.filter(client=OuterRef("case__client"), user=user)
    return referrals.filter(~Exists(blocked))


def referral_queue(coordinator) -> QuerySet[Referral]:
    """Everything awaiting a coordinator's assignment, oldest first."""
    return _queue_related(
        not_blocked_for(
            coordinator,
            Referral.objects.filter(
                case__organisation=coordinator.organisation_id, status=ReferralStatus.REQUESTED
            ),
        ).order_by("requested_at", "id")
    ).prefetch_related("contact_person", "requested_by")


def referrals_awaiting_answer(
    *, older_than_days: int | None = None, organisation=None
) -> QuerySet[Referral]:
    """Sent to the partner and not answered yet, longest waiting first. With
    ``older_than_days`` (default: settings.REFERRAL_ANSWER_DAYS) only those past that term."""
    days = settings.REFERRAL_ANSWER_DAYS if older_than_days is None else older_than_days
    referrals = Referral.objects.filter(
        status__in=AWAITING_ANSWER_STATUSES,
        sent_at__lte=timezone.now() - datetime.timedelta(days=days),
    )
    if organisation is not None:
        referrals = referrals.filter(case__organisation=organisation)
    return _queue_related(referrals.order_by("sent_at", "id"))


def referrals_for_case(case: Case) -> QuerySet[Referral]:
    return case.referrals.select_related("partner", "contact_person", "need__domain").order_by(
        "-requested_at", "-id"
    )


# --- Transfers -------------------------------------------------------------------------------


def transfers_visible_to(user) -> QuerySet[Transfer]:
    """Coordinators see the transfers from and to their organisation."""
    if not user.is_authenticated or user.role != Role.COORDINATOR:
        return Transfer.objects.none()
    return Transfer.objects.filter(
        Q(from_organisation_id=user.organisation_id) | Q(to_organisation_id=user.organisation_id)
    )


def get_transfer_for_request(request, reference: str) -> Transfer:
    """Only the receiving coordinator decides; anyone else gets 404. One log entry per call."""
    user = request.user
    transfer = (
        transfers_visible_to(user)
        .filter(to_organisation_id=user.organisation_id)
        .select_related("case", "case__client", "from_organisation", "to_organisation")
        .filter(reference=reference)
        .first()
    )
    if transfer is None:
        log_access(user=user, action=Action.DENIED, record_type="transfer", record_ref=reference)
        raise Http404
    action = Action.VIEW if request.method in ("GET", "HEAD") else Action.UPDATE
    log_access(
        user=user,
        action=action,
        record_type="transfer",
        record_ref=transfer.reference,
        client_number=transfer.case.client.number,
    )
    return transfer


def transfer_lists(user) -> dict:
    base = transfers_visible_to(user).select_related(
        "case",
        "case__client",
        "from_organisation",
        "to_organisation",
        "proposed_by",
        "decided_by",
        "new_worker",
    )
    return {
        "incoming": base.filter(
            to_organisation_id=user.organisation_id, status=TransferStatus.PROPOSED
        ).order_by("proposed_at"),
        "outgoing": base.filter(from_organisation_id=user.organisation_id).order_by("-proposed_at")[
            :50
        ],
    }


def transfers_for_case(case: Case) -> Transfer | None:
    """The open transfer proposal of a case, if any."""
    return (
        case.transfers.filter(status=TransferStatus.PROPOSED)
        .select_related("to_organisation")
        .first()
    )


def client_export_network(client) -> tuple[str, dict]:
    """The partner-network part of a client's GDPR export: consents, referrals, transfers."""
    referrals = (
        Referral.objects.filter(case__client=client)
        .select_related("partner", "contact_person", "need__domain", "case")
        .prefetch_related("events")
        .order_by("requested_at", "id")
    )
    return "network", {
        "consents": [
            {
                "partner": str(consent.partner),
                "purpose": consent.purpose,
                "scope": consent.scope,
                "given_on": consent.given_on,
                "expires_on": consent.expires_on,
                "withdrawn_on": consent.withdrawn_on,
            }
            for consent in client.consents.select_related("partner").order_by("given_on", "id")
        ],
        "referrals": [
            {
                "case": referral.case.reference,
                "need": referral.need.domain.name,
                "partner": str(referral.partner),
                "contact_person": str(referral.contact_person or ""),
                "status": referral.get_status_display(),
                "warm_handover": referral.warm_handover,
                "note": referral.note,
                "decline_reason": referral.decline_reason,
                "events": [
                    {"at": e.at, "from": e.from_status, "to": e.to_status, "note": e.note}
                    for e in referral.events.all()
                ],
            }
            for referral in referrals
        ],
        "transfers": [
            {
                "case": transfer.case.reference,
                "from": str(transfer.from_organisation),
                "to": str(transfer.to_organisation),
                "status": transfer.get_status_display(),
                "reason": transfer.reason,
            }
            for transfer in Transfer.objects.filter(case__client=client).select_related(
                "case", "from_organisation", "to_organisation"
            )
        ],
    }

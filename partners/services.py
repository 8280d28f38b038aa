from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import CLOSED_NEED_STATUSES, Case, CaseShare, Need, WorkerChange
from cases.selectors import assignable_workers
from cases.services import case_figures_changed, require_not_blocked
from partners.models import (
    OPEN_REFERRAL_STATUSES,
    REFERRAL_TRANSITIONS,
    Consent,
    Partner,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Transfer,
    TransferStatus,
)
from partners.selectors import has_valid_consent
from pmw.audit import Action, log_access
from pmw.models import Role


def _check_not_future(day, field):
    if day > timezone.localdate():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})


def _require_open(case: Case) -> None:
    if not case.is_open:
        raise ValidationError(_("Dit traject is afgesloten en kan niet meer worden gewijzigd."))


def _check_contact_person(partner: Partner, contact_person) -> None:
    if contact_person is not None and contact_person.partner_id != partner.pk:
        raise ValidationError(
            {"contact_person": _("Deze contactpersoon werkt niet bij de gekozen partner.")}
        )


# --- Consent ---------------------------------------------------------------------------------


@transaction.atomic
def consent_record(*, client, partner, purpose, scope, given_on, expires_on, by) -> Consent:
    _check_not_future(given_on, "given_on")
    if expires_on < given_on:
        raise ValidationError(
            {"expires_on": _("De einddatum kan niet vóór de datum van toestemming liggen.")}
        )
    return Consent.objects.create(
        client=client,
        partner=partner,
        purpose=purpose,
        scope=scope,
        given_on=given_on,
        expires_on=expires_on,
        recorded_by=by,
    )


@transaction.atomic
def consent_withdraw(*, consent: Consent, by, on=None) -> Consent:
    on = on or timezone.localdate()
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Deze toestemming is al ingetrokken."))
    _check_not_future(on, "on")
    consent.withdrawn_on = max(on, consent.given_on)
    consent.save(update_fields=["withdrawn_on"])
    return consent


# --- Referrals -------------------------------------------------------------------------------


def _event(referral, from_status, to_status, by, note="", at=None):
    return ReferralEvent.objects.create(
        referral=referral,
        from_status=from_status,
        to_status=to_status,
        at=at or timezone.now(),
        by=by,
        note=note,
    )


@transaction.atomic
def referral_request(
    *,
    case: Case,
    need: Need,
    partner: Partner,
    contact_person=None,
    warm_handover=False,
    note="",
    by,
) -> Referral:
    """The worker asks for a referral; a coordinator assigns (approves) it next."""
    _require_open(case)
    if need.case_id != case.pk:
        raise ValidationError({"need": _("Deze hulpvraag hoort niet bij dit traject.")})
    if need.status in CLOSED_NEED_STATUSES:
        raise ValidationError({"need": _("Deze hulpvraag is al afgerond.")})
    if not partner.is_active:
        raise ValidationError({"partner": _("Deze partner is niet meer actief.")})
    _check_contact_person(partner, contact_person)
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        need=need,
        partner=partner,
        contact_person=contact_person,
        warm_handover=warm_handover,
        note=note,
        requested_at=now,
        requested_by=by,
    )
    _event(referral, "", ReferralStatus.REQUESTED, by, note, at=now)
    case_figures_changed(case.pk)
    if need.answered_by != "partner":
        Need.objects.filter(pk=need.pk).update(answered_by="partner")
    return referral


def _move(referral: Referral, to: str, by, note: str = "") -> Referral:
    if to not in REFERRAL_TRANSITIONS[referral.status]:
        raise ValidationError(
            _("Een verwijzing met status “%(from)s” kan niet naar “%(to)s”.")
            % {
                "from": ReferralStatus(referral.status).label,
                "to": ReferralStatus(to).label,
            }
        )
    now = timezone.now()
    _event(referral, referral.status, to, by, note, at=now)
    referral.status = to
    fields = ["status"]
    if to == ReferralStatus.SENT:
        referral.sent_at = now
        fields.append("sent_at")
    elif to == ReferralStatus.ACCEPTED:
        referral.accepted_at = now
        fields.append("accepted_at")
    if not REFERRAL_TRANSITIONS[to]:
        referral.closed_at = now
        fields.append("closed_at")
    referral.save(update_fields=fields)
    case_figures_changed(referral.case_id)
    return referral


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("case", "case__client", "partner")
        .get(pk=referral.pk)
    )


@transaction.atomic
def referral_assign(
    *, referral: Referral, by, partner: Partner | None = None, contact_person=None, note=""
) -> Referral:
    """A coordinator approves the referral, possibly with another partner or contact person."""
    referral = _locked(referral)
    if by.role != Role.COORDINATOR or by.organisation_id != referral.case.organisation_id:
        raise ValidationError(_("Alleen een coördinator van de organisatie kan toewijzen."))
    partner = partner or referral.partner
    if not partner.is_active:
        raise ValidationError({"partner": _("Deze partner is niet meer actief.")})
    if partner.pk != referral.partner_id and contact_person is None:
        referral.contact_person = None
    elif contact_person is not None:
        referral.contact_person = contact_person
    _check_contact_person(partner, referral.contact_person)
    changed = partner.pk != referral.partner_id
    referral.partner = partner
    referral.save(update_fields=["partner", "contact_person"])
    if changed and not note:
        note = _("Partner gewijzigd in %(partner)s.") % {"partner": partner}
    return _move(referral, ReferralStatus.ASSIGNED, by, note)


@transaction.atomic
def referral_send(*, referral: Referral, by, note="") -> Referral:
    """Send to the partner: only with the client's valid consent for exactly that partner."""
    referral = _locked(referral)
    if referral.status == ReferralStatus.ASSIGNED and not has_valid_consent(
        client=referral.case.client, partner=referral.partner
    ):
        raise ValidationError(
            _(
                "Er is geen geldige toestemming van de cliënt om gegevens te delen met "
                "%(partner)s. Leg eerst de toestemming vast."
            )
            % {"partner": referral.partner}
        )
    return _move(referral, ReferralStatus.SENT, by, note)


@transaction.atomic
def referral_decline(*, referral: Referral, by, reason: str) -> Referral:
    referral = _locked(referral)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de afwijzing.")})
    referral.decline_reason = reason
    referral.save(update_fields=["decline_reason"])
    return _move(referral, ReferralStatus.DECLINED, by, reason)


# The moves a worker records without extra data (the partner's answer and what follows).
SIMPLE_MOVES = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.WAITLISTED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.COMPLETED,
    ReferralStatus.CANCELLED,
)


@transaction.atomic
def referral_move(*, referral: Referral, to: str, by, note="") -> Referral:
    """Accepted, waitlisted, in progress, completed or cancelled; refused when not allowed."""
    if to not in SIMPLE_MOVES:
        raise ValidationError(_("Deze stap gaat via een eigen formulier."))
    referral = _locked(referral)
    if to != ReferralStatus.CANCELLED:
        _require_open(referral.case)
    return _move(referral, to, by, note)


def referrals_cancel_for_case(*, case: Case, by) -> int:
    """Closing a case cancels its open referrals (a step in cases.services.CASE_CLOSE_STEPS)."""
    open_referrals = list(
        Referral.objects.select_for_update().filter(case=case, status__in=OPEN_REFERRAL_STATUSES)
    )
    for referral in open_referrals:
        _move(referral, ReferralStatus.CANCELLED, by, _("Traject afgesloten."))
    return len(open_referrals)


# --- Transfers -------------------------------------------------------------------------------


@transaction.atomic
def transfer_propose(*, case: Case, to_organisation, reason: str, consent_given_on, by) -> Transfer:
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open(case)
    if by.role != Role.COORDINATOR or by.organisation_id != case.organisation_id:
        raise ValidationError(_("Alleen een coördinator van de organisatie kan overdragen."))
    if to_organisation.pk == case.organisation_id:
        raise ValidationError(
            {"to_organisation": _("Kies een andere organisatie dan de eigen organisatie.")}
        )
    _check_not_future(consent_given_on, "consent_given_on")
    _require_only_open_case(case)
    if case.transfers.filter(status=TransferStatus.PROPOSED).exists():
        raise ValidationError(_("Er staat al een overdracht voor dit traject open."))
    return Transfer.objects.create(
        case=case,
        from_organisation_id=case.organisation_id,
        to_organisation=to_organisation,
        reason=reason,
        consent_given_on=consent_given_on,
        proposed_at=timezone.now(),
        proposed_by=by,
    )


def _require_only_open_case(case: Case) -> None:
    # The client record moves with the case; another open case at the sender would be left
    # with a worker who can no longer see its client.
    others = Case.objects.filter(
        client_id=case.client_id, organisation_id=case.organisation_id, closed_on__isnull=True
    ).exclude(pk=case.pk)
    if others.exists():
        raise ValidationError(
            _(
                "De cliënt heeft nog een ander open traject bij deze organisatie. Sluit dat "
                "eerst af; het cliëntdossier gaat met de overdracht mee."
            )
        )


def _locked_transfer(transfer: Transfer, by) -> Transfer:
    transfer = (
        Transfer.objects.select_for_update()
        .select_related("case", "case__client")
        .get(pk=transfer.pk)
    )
    if by.role != Role.COORDINATOR or by.organisation_id != transfer.to_organisation_id:
        raise ValidationError(
            _("Alleen een coördinator van de ontvangende organisatie kan dit beslissen.")
        )
    if transfer.status != TransferStatus.PROPOSED:
        raise ValidationError(_("Over deze overdracht is al beslist."))
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: Transfer, new_worker, by) -> Transfer:
    """The case, its history and the client record move; the sender loses access.

    The client's other cases at the sending organisation (closed ones) move along, so that
    the client record is never visible to two organisations at once.
    """
    transfer = _locked_transfer(transfer, by)
    case = transfer.case
    _require_open(case)
    _require_only_open_case(case)
    if not assignable_workers(transfer.to_organisation).filter(pk=new_worker.pk).exists():
        raise ValidationError(
            {"new_worker": _("Kies een actieve PMW'er of coördinator van deze organisatie.")}
        )
    client = case.client
    require_not_blocked(new_worker, client, "new_worker")
    now = timezone.now()
    # Shares are the sender's colleagues: they end with the move, and would otherwise come
    # back to life if the client ever returned to the sender.
    CaseShare.objects.filter(case__client=client).delete()
    Case.objects.filter(client=client, organisation_id=transfer.from_organisation_id).update(
        organisation_id=transfer.to_organisation_id, figures_stale=True
    )
    client.organisation_id = transfer.to_organisation_id
    client.save(update_fields=["organisation"])
    WorkerChange.objects.create(
        case=case,
        from_worker_id=case.worker_id,
        to_worker=new_worker,
        at=now,
        by=by,
        reason=_("Overdracht: %(reason)s") % {"reason": transfer.reason},
    )
    Case.objects.filter(pk=case.pk).update(worker=new_worker)
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_at = now
    transfer.decided_by = by
    transfer.new_worker = new_worker
    transfer.save(update_fields=["status", "decided_at", "decided_by", "new_worker"])
    log_access(
        user=by,
        action=Action.TRANSFER,
        record_type="case",
        record_ref=case.reference,
        client_number=client.number,
        detail=f"from_org={transfer.from_organisation_id}",
    )
    return transfer


@transaction.atomic
def transfer_decline(*, transfer: Transfer, by, reason: str) -> Transfer:
    transfer = _locked_transfer(transfer, by)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden van de afwijzing.")})
    transfer.status = TransferStatus.DECLINED
    transfer.decided_at = timezone.now()
    transfer.decided_by = by
    transfer.decline_reason = reason
    transfer.save(update_fields=["status", "decided_at", "decided_by", "decline_reason"])
    return transfer


def referral_texts_anonymise(*, client) -> None:
    """A step of ``profiles.services.client_anonymise`` (GDPR erasure): blank the free text
    about this client in referrals, consents and transfers; statuses, dates and partners
    stay."""
    referrals = Referral.objects.filter(case__client=client)
    referrals.update(note="", decline_reason="")
    Consent.objects.filter(client=client).update(purpose="", scope="")
    ReferralEvent.objects.filter(referral__in=referrals).update(note="")
    Transfer.objects.filter(case__client=client).update(reason="", decline_reason="")

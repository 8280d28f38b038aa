import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.services import case_close
from partners.models import REFERRAL_TRANSITIONS, ReferralEvent, ReferralStatus
from partners.services import (
    referral_assign,
    referral_decline,
    referral_move,
    referral_request,
    referral_send,
)
from tests.factories import NeedFactory
from tests.partners.factories import (
    ConsentFactory,
    ContactPersonFactory,
    PartnerFactory,
    ReferralFactory,
)

S = ReferralStatus
ALLOWED = [(a, b) for a, moves in REFERRAL_TRANSITIONS.items() for b in moves]
REFUSED = [(a, b) for a in S.values for b in S.values if b not in REFERRAL_TRANSITIONS[a]]


def _do(referral, to, worker, coordinator):
    if to == S.ASSIGNED:
        return referral_assign(referral=referral, by=coordinator)
    if to == S.SENT:
        return referral_send(referral=referral, by=worker)
    if to == S.DECLINED:
        return referral_decline(referral=referral, by=worker, reason="Vol tot maart.")
    return referral_move(referral=referral, to=to, by=worker)


@pytest.fixture
def referral(case):
    referral = ReferralFactory(need=NeedFactory(case=case))
    ConsentFactory(client=case.client, partner=referral.partner)
    return referral


def test_the_straight_path_records_every_step(referral, worker, coordinator):
    path = [S.ASSIGNED, S.SENT, S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED]
    for to in path:
        _do(referral, to, worker, coordinator)
        referral.refresh_from_db()
        assert referral.status == to
    events = list(referral.events.values_list("from_status", "to_status", "by__username"))
    assert events == [
        ("", S.REQUESTED, "worker"),
        (S.REQUESTED, S.ASSIGNED, "coordinator"),
        (S.ASSIGNED, S.SENT, "worker"),
        (S.SENT, S.ACCEPTED, "worker"),
        (S.ACCEPTED, S.IN_PROGRESS, "worker"),
        (S.IN_PROGRESS, S.COMPLETED, "worker"),
    ]
    assert referral.sent_at and referral.accepted_at and referral.closed_at


@pytest.mark.parametrize(("from_status", "to"), ALLOWED)
def test_allowed_transition(referral, worker, coordinator, from_status, to):
    referral.status = from_status
    referral.save()
    _do(referral, to, worker, coordinator)
    referral.refresh_from_db()
    assert referral.status == to
    event = referral.events.last()
    assert (event.from_status, event.to_status) == (from_status, to)


@pytest.mark.parametrize(("from_status", "to"), REFUSED)
def test_refused_transition(referral, worker, coordinator, from_status, to):
    referral.status = from_status
    referral.save()
    before = ReferralEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        _do(referral, to, worker, coordinator)
    assert "kan niet naar" in " ".join(exc.value.messages) or to == S.REQUESTED
    referral.refresh_from_db()
    assert referral.status == from_status
    assert ReferralEvent.objects.count() == before


def test_refusal_message_names_both_statuses(referral, worker):
    referral.status = S.COMPLETED
    referral.save()
    with pytest.raises(ValidationError) as exc:
        referral_move(referral=referral, to=S.ACCEPTED, by=worker)
    assert exc.value.messages == [
        "Een verwijzing met status “Afgerond” kan niet naar “Geaccepteerd”."
    ]


def test_only_a_coordinator_of_the_organisation_assigns(referral, worker, outsider_coordinator):
    for who in (worker, outsider_coordinator):
        with pytest.raises(ValidationError):
            referral_assign(referral=referral, by=who)
    referral.refresh_from_db()
    assert referral.status == S.REQUESTED


def test_coordinator_may_change_partner_and_contact_person(referral, coordinator):
    other = PartnerFactory(name="Andere partner")
    contact = ContactPersonFactory(partner=other)
    referral_assign(referral=referral, by=coordinator, partner=other, contact_person=contact)
    referral.refresh_from_db()
    assert (referral.partner, referral.contact_person) == (other, contact)
    assert "Andere partner" in referral.events.last().note


def test_contact_person_must_work_at_the_partner(case, worker):
    need = NeedFactory(case=case)
    with pytest.raises(ValidationError) as exc:
        referral_request(
            case=case,
            need=need,
            partner=PartnerFactory(),
            contact_person=ContactPersonFactory(),
            by=worker,
        )
    assert "contact_person" in exc.value.message_dict


def test_decline_needs_a_reason(referral, worker):
    referral.status = S.SENT
    referral.save()
    with pytest.raises(ValidationError) as exc:
        referral_decline(referral=referral, by=worker, reason="  ")
    assert "reason" in exc.value.message_dict


def test_request_records_warm_handover_and_partner_answers(case, worker):
    need = NeedFactory(case=case)
    referral = referral_request(
        case=case, need=need, partner=PartnerFactory(), warm_handover=True, by=worker
    )
    assert referral.warm_handover and referral.status == S.REQUESTED
    need.refresh_from_db()
    assert need.answered_by == "partner"
    assert referral.events.get().to_status == S.REQUESTED


def test_need_of_another_case_is_refused(case, worker):
    with pytest.raises(ValidationError):
        referral_request(case=case, need=NeedFactory(), partner=PartnerFactory(), by=worker)


def test_waiting_time_runs_until_accepted(referral, worker, coordinator):
    start = timezone.now()
    referral.requested_at = start
    referral.save()
    with time_machine.travel(start + datetime.timedelta(days=4)):
        assert referral.waiting_days == 4
        referral_assign(referral=referral, by=coordinator)
        referral_send(referral=referral, by=worker)
    with time_machine.travel(start + datetime.timedelta(days=9)):
        referral_move(referral=referral, to=S.ACCEPTED, by=worker)
    with time_machine.travel(start + datetime.timedelta(days=30)):
        referral.refresh_from_db()
        assert referral.waiting_days == 9


def test_awaiting_answer_since_only_while_sent(referral, worker, coordinator):
    assert referral.awaiting_answer_since is None
    referral_assign(referral=referral, by=coordinator)
    referral_send(referral=referral, by=worker)
    referral.refresh_from_db()
    assert referral.awaiting_answer_since == referral.sent_at
    referral_move(referral=referral, to=S.ACCEPTED, by=worker)
    referral.refresh_from_db()
    assert referral.awaiting_answer_since is None


def test_closing_the_case_cancels_open_referrals(case, worker):
    open_one = ReferralFactory(need=NeedFactory(case=case), status=S.SENT)
    done = ReferralFactory(need=NeedFactory(case=case), status=S.COMPLETED)
    case_close(case=case, by=worker, outcome="other", closed_on=timezone.localdate())
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.status == S.CANCELLED and done.status == S.COMPLETED
    assert open_one.events.last().note == "Traject afgesloten."


def test_no_new_steps_on_a_closed_case_except_cancelling(referral, worker):
    referral.status = S.SENT
    referral.save()
    referral.case.closed_on = timezone.localdate()
    referral.case.outcome = "other"
    referral.case.save()
    with pytest.raises(ValidationError):
        referral_move(referral=referral, to=S.ACCEPTED, by=worker)


def test_transition_table_is_the_agreed_flow():
    """Pinned by hand, so that a change to the table is a visible decision."""
    assert set(ALLOWED) == {
        (S.REQUESTED, S.ASSIGNED),
        (S.REQUESTED, S.CANCELLED),
        (S.ASSIGNED, S.SENT),
        (S.ASSIGNED, S.CANCELLED),
        (S.SENT, S.ACCEPTED),
        (S.SENT, S.DECLINED),
        (S.SENT, S.WAITLISTED),
        (S.SENT, S.CANCELLED),
        (S.WAITLISTED, S.ACCEPTED),
        (S.WAITLISTED, S.DECLINED),
        (S.WAITLISTED, S.CANCELLED),
        (S.ACCEPTED, S.IN_PROGRESS),
        (S.ACCEPTED, S.CANCELLED),
        (S.IN_PROGRESS, S.COMPLETED),
        (S.IN_PROGRESS, S.CANCELLED),
    }

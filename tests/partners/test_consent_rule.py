"""A referral is sent only with the client's consent: valid today, not expired, not withdrawn,
and for exactly that partner."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import ReferralStatus
from partners.selectors import consents_expiring, has_valid_consent
from partners.services import consent_record, consent_withdraw, referral_send
from tests.factories import NeedFactory
from tests.partners.factories import ConsentFactory, PartnerFactory, ReferralFactory

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


@pytest.fixture
def assigned(case):
    return ReferralFactory(need=NeedFactory(case=case), status=ReferralStatus.ASSIGNED)


def _send(referral, worker):
    referral_send(referral=referral, by=worker)
    referral.refresh_from_db()
    return referral.status


def test_no_consent_no_send(assigned, worker):
    with pytest.raises(ValidationError) as exc:
        _send(assigned, worker)
    assert "toestemming" in exc.value.messages[0]
    assigned.refresh_from_db()
    assert assigned.status == ReferralStatus.ASSIGNED


def test_valid_consent_for_that_partner_sends(assigned, worker):
    ConsentFactory(client=assigned.case.client, partner=assigned.partner)
    assert _send(assigned, worker) == ReferralStatus.SENT


@pytest.mark.parametrize(
    "consent",
    [
        {"partner": "OTHER"},
        {"given_on": "PAST", "expires_on": "YESTERDAY"},
        {"withdrawn_on": "TODAY"},
        {"given_on": "TOMORROW", "expires_on": "NEXT_YEAR"},
        {"client": "OTHER"},
    ],
    ids=["other partner", "expired", "withdrawn", "not yet given", "other client"],
)
def test_invalid_consent_blocks_sending(assigned, worker, consent):
    days = {
        "PAST": TODAY() - 30 * DAY,
        "YESTERDAY": TODAY() - DAY,
        "TODAY": TODAY(),
        "TOMORROW": TODAY() + DAY,
        "NEXT_YEAR": TODAY() + 365 * DAY,
    }
    values = {"client": assigned.case.client, "partner": assigned.partner}
    for key, value in consent.items():
        if value == "OTHER":
            values[key] = PartnerFactory() if key == "partner" else None
        else:
            values[key] = days[value]
    if values["client"] is None:
        values.pop("client")
        values["client__created_by"] = assigned.case.worker
    ConsentFactory(**values)
    with pytest.raises(ValidationError):
        _send(assigned, worker)


def test_consent_expires_with_time(assigned, worker):
    ConsentFactory(
        client=assigned.case.client, partner=assigned.partner, expires_on=TODAY() + 2 * DAY
    )
    assert has_valid_consent(client=assigned.case.client, partner=assigned.partner)
    with time_machine.travel(timezone.now() + 3 * DAY), pytest.raises(ValidationError):
        _send(assigned, worker)


def test_withdrawing_stops_later_sends(assigned, worker):
    consent = ConsentFactory(client=assigned.case.client, partner=assigned.partner)
    consent_withdraw(consent=consent, by=worker)
    with pytest.raises(ValidationError):
        _send(assigned, worker)
    with pytest.raises(ValidationError):
        consent_withdraw(consent=consent, by=worker)


def test_record_refuses_expiry_before_given(case, worker):
    with pytest.raises(ValidationError) as exc:
        consent_record(
            client=case.client,
            partner=PartnerFactory(),
            purpose="x",
            scope="y",
            given_on=TODAY(),
            expires_on=TODAY() - DAY,
            by=worker,
        )
    assert "expires_on" in exc.value.message_dict


def test_consents_expiring_lists_only_valid_ones_ending_soon(case):
    soon = ConsentFactory(client=case.client, expires_on=TODAY() + 10 * DAY)
    ConsentFactory(client=case.client, expires_on=TODAY() + 100 * DAY)
    ConsentFactory(client=case.client, expires_on=TODAY() + 5 * DAY, withdrawn_on=TODAY())
    assert list(consents_expiring(30)) == [soon]
    assert list(consents_expiring(30, organisation=case.organisation)) == [soon]

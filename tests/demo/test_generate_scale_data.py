import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Min, OuterRef, Subquery, Sum
from django.utils import timezone

from cases.models import Case, ContactMoment, PhaseChange
from profiles.models import Client, ClientNumberSequence
from profiles.services import client_number_next


@pytest.fixture
def scale_data(db):
    call_command("generate_scale_data", scale=0.003, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_sizes_follow_the_scale(scale_data):
    assert Client.objects.count() == 300
    assert Case.objects.count() == 450
    assert 3_000 < ContactMoment.objects.count() < 6_000


def test_histories_are_consistent(scale_data):
    last_change = PhaseChange.objects.filter(case=OuterRef("pk")).order_by("-at", "-id")
    cases = Case.objects.annotate(
        last_to=Subquery(last_change.values("to_phase")[:1]),
        first_at=Min("phase_changes__at"),
        first_contact=Min("contact_moments__at"),
        latest_contact=Max("contact_moments__at"),
    )
    today = timezone.localdate()
    for case in cases:
        assert case.last_to == case.phase
        assert timezone.localdate(case.first_at) == case.opened_on
        assert timezone.localdate(case.first_contact) >= case.opened_on
        assert case.latest_contact == case.last_contact_at
        if case.closed_on:
            assert case.outcome and case.opened_on <= case.closed_on <= today
        else:
            assert case.outcome == ""
    assert not PhaseChange.objects.filter(from_phase=F("to_phase")).exists()


def test_new_client_numbers_continue_after_generated_ones(scale_data):
    year = timezone.localdate().year
    last = ClientNumberSequence.objects.get(year=year).last
    assert client_number_next(year=year) == f"PMW-{year}-{last + 1:04d}"
    assert Client.objects.values("number").distinct().count() == Client.objects.count()


def test_refuses_a_second_run(scale_data):
    with pytest.raises(CommandError, match="exists already"):
        call_command("generate_scale_data", scale=0.001)


def test_support_plans_referrals_and_aftercare_are_consistent(scale_data):
    from aftercare.models import AftercarePlan, FollowUp
    from cases.models import ANOTHER_DAY_STRUCTURE, Assessment, Need, Phase
    from partners.models import Consent, Referral, ReferralEvent

    assert Need.objects.count() > 500 and Referral.objects.count() > 100
    for need in Need.objects.select_related("case"):
        assert need.identified_on >= need.case.opened_on
        assert need.case.closed_on is None or need.closed_on is not None
        assert need.status != "not_met" or need.not_met_reason
    last_event = ReferralEvent.objects.filter(referral=OuterRef("pk")).order_by("-at", "-id")
    for referral in Referral.objects.annotate(
        last=Subquery(last_event.values("to_status")[:1])
    ).select_related("case"):
        assert referral.last == referral.status
        assert referral.partner.regions.filter(
            pk=referral.case.client.municipality.region_id
        ).exists()
        if referral.sent_at:
            assert Consent.objects.filter(
                client=referral.case.client_id,
                partner=referral.partner_id,
                given_on__lte=timezone.localdate(referral.sent_at),
            ).exists()
    reached_aftercare = set(
        PhaseChange.objects.filter(to_phase=Phase.AFTERCARE).values_list("case", flat=True)
    )
    assert set(AftercarePlan.objects.values_list("case", flat=True)) == reached_aftercare
    assert not FollowUp.objects.exclude(case__outcome__in=ANOTHER_DAY_STRUCTURE).exists()
    per_assessment = Assessment.objects.annotate(n=Count("scores")).values_list("n", flat=True)
    assert set(per_assessment) == {Assessment.objects.first().version.domains.count()}


def test_closed_cases_have_no_open_referrals(scale_data):
    from partners.models import OPEN_REFERRAL_STATUSES, Referral

    assert not Referral.objects.filter(
        case__closed_on__isnull=False, status__in=OPEN_REFERRAL_STATUSES
    ).exists()


def test_outreach_counts_add_up_per_dimension(scale_data):
    from monitoring.models import OutreachCount, OutreachSession

    sums = OutreachCount.objects.values("session", "dimension").annotate(total=Sum("count"))
    spoken = dict(OutreachSession.objects.values_list("pk", "people_spoken"))
    assert sums and all(row["total"] == spoken[row["session"]] for row in sums)

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Max, Min, OuterRef, Subquery
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

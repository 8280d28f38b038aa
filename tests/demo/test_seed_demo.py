from django.core.management import call_command

from aftercare.models import AftercarePlan, CheckIn, FollowUp, Signal
from cases.models import Case, Phase
from demo.management.commands.seed_demo import DEMO_PASSWORD
from pmw.models import Organisation, User
from profiles.models import Client, Profile


def _counts():
    return (
        Organisation.objects.count(),
        User.objects.count(),
        Client.objects.count(),
        Case.objects.count(),
        AftercarePlan.objects.count(),
        CheckIn.objects.count(),
        Signal.objects.count(),
        FollowUp.objects.count(),
    )


def test_demo_data_is_complete_and_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == _counts()
    assert counts[0] == 2 and counts[2] == 30
    assert {Profile.AUTONOMOUS, Profile.MULTIPLE_NEEDS, Profile.EXPLOITATION} <= set(
        Client.objects.values_list("profile", flat=True)
    )
    assert set(Phase.values) <= set(Case.objects.values_list("phase", flat=True))
    for user in User.objects.filter(username__startswith="demo-"):
        assert user.check_password(DEMO_PASSWORD)
    assert all(
        case.phase_changes.exists() and case.contact_moments.exists() for case in Case.objects.all()
    )
    # every case in aftercare has its plan; the demo shows reminders, follow-ups and B8/3
    assert not Case.objects.filter(phase=Phase.AFTERCARE, aftercare_plan__isnull=True).exists()
    assert AftercarePlan.objects.filter(next_check_in_on__isnull=False).exists()
    assert FollowUp.objects.exists()
    assert Client.objects.filter(reflection_period_ends_on__isnull=False).count() == 1


def test_demo_shows_the_network_and_support_plans(db):
    from cases.models import Assessment, Need
    from partners.models import Partner, Referral, ReferralStatus

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Partner.objects.count(), Need.objects.count(), Referral.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert counts == (Partner.objects.count(), Need.objects.count(), Referral.objects.count())
    assert counts[1] > 20 and Assessment.objects.exists()
    assert len(set(Referral.objects.values_list("status", flat=True))) >= len(ReferralStatus) - 2
    for referral in Referral.objects.all():
        assert referral.events.last().to_status == referral.status


def test_demo_users_can_pass_the_second_step_and_security_features_show(db):
    from io import StringIO

    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from cases.models import CaseShare
    from profiles.models import AccessBlock

    call_command("seed_demo", stdout=StringIO())
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    for user in User.objects.filter(username__startswith="demo-"):
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
        tokens = list(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
        assert len(tokens) == 3 and all(token in printed for token in tokens)
    assert CaseShare.objects.count() == 1 and AccessBlock.objects.count() == 1
    assert Client.objects.filter(safety_flag=True).exclude(shelter_location="").exists()

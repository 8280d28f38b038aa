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


def _client_data_counts():
    """Rows of every model that holds client data or what was done with it."""
    from django.apps import apps

    from pmw.models import AccessLog

    models = [
        model
        for label in ("profiles", "cases", "partners", "aftercare", "monitoring")
        for model in apps.get_app_config(label).get_models()
    ]
    return {model.__name__: model.objects.count() for model in [*models, AccessLog]}


def test_a_second_run_changes_no_client_data(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = _client_data_counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _client_data_counts() == counts
    assert counts["Client"] == 30 and counts["AccessLog"] > 30


def test_the_demo_holds_only_states_the_services_reach(db):
    """What the services guarantee, checked on every row the demo made (the check after
    every test in tests/conftest.py adds: each case carries its client's municipality)."""
    import datetime

    from django.conf import settings
    from django.utils import timezone

    from cases.models import ANOTHER_DAY_STRUCTURE
    from partners.models import OPEN_REFERRAL_STATUSES, REFERRAL_TRANSITIONS, Referral
    from partners.selectors import has_valid_consent
    from pmw.models import AccessLog

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    today, now = timezone.localdate(), timezone.now()
    registered = set(
        AccessLog.objects.filter(action="create", record_type="client").values_list(
            "client_number", flat=True
        )
    )
    for client in Client.objects.all():
        assert client.number in registered  # through client_register
        assert client.safety_flag == (client.profile == Profile.EXPLOITATION)
    for case in Case.objects.prefetch_related("phase_changes", "contact_moments"):
        changes = list(case.phase_changes.order_by("at", "id"))
        assert (changes[0].from_phase, changes[0].to_phase) == ("", Phase.CONTACT)
        assert timezone.localdate(changes[0].at) == case.opened_on <= today
        for before, after in zip(changes, changes[1:], strict=False):
            assert after.from_phase == before.to_phase != after.to_phase
        assert changes[-1].to_phase == case.phase
        moments = [m.at for m in case.contact_moments.all()]
        assert case.last_contact_at == max(moments) <= now
        assert min(timezone.localdate(at) for at in moments) >= case.opened_on
        if case.closed_on:
            assert case.closed_on <= today and not case.referrals.filter(
                status__in=OPEN_REFERRAL_STATUSES
            )
            assert max(timezone.localdate(c.at) for c in changes) <= case.closed_on
        reached_aftercare = any(c.to_phase == Phase.AFTERCARE for c in changes)
        assert hasattr(case, "aftercare_plan") == reached_aftercare
        if reached_aftercare:
            plan = case.aftercare_plan
            expected = None if case.closed_on else plan.compute_next_check_in()
            assert plan.next_check_in_on == expected
        follow_ups = sorted(case.follow_ups.values_list("months", flat=True))
        another_day_structure = case.closed_on and case.outcome in ANOTHER_DAY_STRUCTURE
        assert follow_ups == (settings.FOLLOW_UP_MONTHS if another_day_structure else [])
    for referral in Referral.objects.select_related("case__client", "partner"):
        moves = list(referral.events.values_list("from_status", "to_status"))
        assert moves[0] == ("", "requested")
        assert all(to in REFERRAL_TRANSITIONS[from_] for from_, to in moves[1:])
        assert moves[-1][1] == referral.status
        assert (referral.closed_at is None) == (referral.status in OPEN_REFERRAL_STATUSES)
        if referral.sent_at:
            assert has_valid_consent(
                client=referral.case.client,
                partner=referral.partner,
                day=timezone.localdate(referral.sent_at),
            )
    # "Mijn week" of demo-pmwer shows a follow-up: one falls due within the week.
    assert FollowUp.objects.filter(
        case__worker__username="demo-pmwer",
        recorded_on__isnull=True,
        due_on__range=(today, today + datetime.timedelta(days=7)),
    ).exists()


def test_the_demo_pages_open_for_the_demo_users(db, as_user):
    from django.urls import reverse

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sanne = as_user(User.objects.get(username="demo-pmwer"))
    week = sanne.get(reverse("aftercare:week"))
    assert week.status_code == 200
    assert week.context["follow_ups"]
    assert sanne.get(reverse("cases:list")).status_code == 200
    for case in Case.objects.filter(worker__username="demo-pmwer"):
        assert sanne.get(reverse("cases:detail", args=[case.reference])).status_code == 200
    coordinator = as_user(User.objects.get(username="demo-coordinator"))
    queue = coordinator.get(reverse("partners:queue"))
    assert queue.status_code == 200 and queue.context["waiting"]

"""Hand-made needs, referrals, follow-ups, assessments and aftercare with known answers, on
top of ``make_region_data`` (the cases c1, c2, c3, c6 in region Amsterdam, c4 in Arnhem).

Needs identified in 2025 in Amsterdam (waiting days to first concrete help in brackets):
- housing: c1 met (2), c6 not met: waiting list (4), c2 met (20)  -> median 4
- work_income: c1 in progress (10)                                -> median 10
- care_physical: c6 not met: no partner (no help yet)
  all domains: 2, 4, 10, 20 -> median 7.  Not counted: c3's housing need of 2024-12-01
  (before the period) and c4's housing need (Arnhem; 5 days).

Referrals requested in 2025 in Amsterdam (days from request to acceptance):
- housing partner: accepted (10), completed (4), declined          -> median 7
- debt partner: waitlisted, in progress (30), sent (no answer yet)   -> median 30
  all: 4, 10, 30 -> median 10.

Follow-ups recorded in 2025: c6 6 months fully, c2 6 months back in sex work, c1 12 months
combination; c3 6 months recorded in 2026 (outside).  Durable: 1 of 2 at 6, 1 of 1 at 12.

Self-sufficiency (zrm-2017), intake -> exit in 2025: c6 housing 2 -> 4, finances 3 -> 3;
c2 housing 1 -> 2, finances not scored at its first intake (a second intake scoring it does
not count).  housing: 2 cases, +1.5; finances: 1, 0.0.

Aftercare in 2025: c6 active, every 30 days from 2025-10-01 (92 days: 3 due), check-ins
2025-10-20 (phone), 2025-11-20 (not reached: not counted), 2025-12-15 -> 2 done; c1 no
aftercare wish from 2025-06-01; c3's plan starts in 2026 (outside).  Signals: c6 lost job
2025-11-01, mental 2025-12-01; c1 debts 2026-02-01 (outside).

Partners serving Amsterdam: "Woningpartner" (housing, fixed contact person, sex-work
expertise, no agreement); "Schuldpartner" (debt, valid agreement, no contact person).
"""

import datetime

from django.db import connection

from aftercare.models import CheckIn, FollowUp, Signal
from cases.models import Assessment, AssessmentDomain, AssessmentScore, LifeDomain, MatrixVersion
from partners.models import ContactPerson, CooperationAgreement, Partner, Referral
from tests.factories import AftercarePlanFactory, NeedFactory
from tests.monitoring.data import at


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _need(case, domain, identified, *, help_after=None, status="open", reason=""):
    return NeedFactory(
        case=case,
        domain=LifeDomain.objects.get(code=domain),
        identified_on=day(identified),
        first_help_on=day(identified) + datetime.timedelta(days=help_after)
        if help_after is not None
        else None,
        status=status,
        not_met_reason=reason,
        created_by=case.worker,
    )


def make_results_data(worker, cases, region):
    c1, c2, c3, c4, c6 = (cases[k] for k in ("c1", "c2", "c3", "c4", "c6"))
    needs = {
        "c1_housing": _need(c1, "housing", "2025-03-01", help_after=2, status="met"),
        "c1_work": _need(c1, "work_income", "2025-04-01", help_after=10, status="in_progress"),
        "c6_housing": _need(
            c6, "housing", "2025-02-01", help_after=4, status="not_met", reason="waiting_list"
        ),
        "c6_care": _need(c6, "care_physical", "2025-05-01", status="not_met", reason="no_partner"),
        "c2_housing": _need(c2, "housing", "2025-06-01", help_after=20, status="met"),
        "c3_old": _need(c3, "housing", "2024-12-01", help_after=1, status="met"),
        "c4_arnhem": _need(c4, "housing", "2025-03-01", help_after=5, status="met"),
    }

    housing = Partner.objects.create(name="Woningpartner", type="housing", sex_work_expertise=True)
    debt = Partner.objects.create(name="Schuldpartner", type="debt")
    for partner, domain in ((housing, "housing"), (debt, "debt")):
        partner.regions.add(region)
        partner.domains.add(LifeDomain.objects.get(code=domain))
    ContactPerson.objects.create(partner=housing, name="Vaste contactpersoon")
    CooperationAgreement.objects.create(
        partner=debt,
        kind="other",
        valid_from=day("2020-01-01"),
    )

    def referral(partner, requested, status, accepted_after=None, need="c1_housing"):
        requested_at = at(requested)
        return Referral.objects.create(
            case=needs[need].case,
            need=needs[need],
            partner=partner,
            status=status,
            requested_at=requested_at,
            requested_by=worker,
            accepted_at=requested_at + datetime.timedelta(days=accepted_after)
            if accepted_after is not None
            else None,
        )

    referral(housing, "2025-03-01", "accepted", 10)
    referral(housing, "2025-03-05", "completed", 4, need="c6_housing")
    referral(housing, "2025-04-01", "declined", need="c2_housing")
    referral(debt, "2025-05-01", "waitlisted", need="c1_work")
    referral(debt, "2025-05-01", "in_progress", 30, need="c1_work")
    referral(debt, "2025-06-01", "sent", need="c6_care")
    referral(housing, "2025-03-01", "accepted", 1, need="c4_arnhem")  # Arnhem

    for case, months, situation, recorded in (
        (c6, 6, "fully", "2025-06-01"),
        (c2, 6, "back_in_sex_work", "2025-07-01"),
        (c1, 12, "combination", "2025-08-01"),
        (c3, 6, "fully", "2026-01-05"),
    ):
        FollowUp.objects.create(
            case=case,
            months=months,
            due_on=day(recorded),
            situation=situation,
            recorded_on=day(recorded),
            recorded_by=worker,
        )

    version = MatrixVersion.objects.get(code="zrm-2017")
    domains = {d.code: d for d in AssessmentDomain.objects.filter(version=version)}

    def assessment(case, kind, on, scores):
        made = Assessment.objects.create(
            case=case, kind=kind, assessed_on=day(on), version=version, by=worker
        )
        for code, score in scores.items():
            AssessmentScore.objects.create(assessment=made, domain=domains[code], score=score)

    assessment(c6, "intake", "2025-01-20", {"housing": 2, "finances": 3})
    assessment(c6, "exit", "2025-09-30", {"housing": 4, "finances": 3})
    assessment(c2, "intake", "2025-04-02", {"housing": 1, "finances": None})
    assessment(c2, "intake", "2025-05-02", {"housing": 1, "finances": 1})
    assessment(c2, "exit", "2025-07-30", {"housing": 2, "finances": 4})

    c6_plan = AftercarePlanFactory(case=c6, intensity="active", starts_on=day("2025-10-01"))
    c1_plan = AftercarePlanFactory(case=c1, intensity="none", starts_on=day("2025-06-01"))
    AftercarePlanFactory(case=c3, intensity="intensive", starts_on=day("2026-01-15"))
    for on, kind in (
        ("2025-10-20", "phone"),
        ("2025-11-20", "not_reached"),
        ("2025-12-15", "face_to_face"),
    ):
        CheckIn.objects.create(plan=c6_plan, on=day(on), kind=kind, result="good", by=worker)
    for plan, kind, on in (
        (c6_plan, "lost_job", "2025-11-01"),
        (c6_plan, "mental", "2025-12-01"),
        (c1_plan, "debts", "2026-02-01"),
    ):
        Signal.objects.create(plan=plan, kind=kind, severity="low", noted_on=day(on), by=worker)
    return needs


# Statements a monitoring page adds when cases changed since the last one: their figures
# replaced (PostgreSQL in one statement, SQLite deletes and inserts in two). On PostgreSQL
# a page of 12 queries is 15 right after a change, its snapshot's BEGIN and COMMIT counted.
FIGURES_REPLACED = 1 if connection.vendor == "postgresql" else 2


def grow(worker, region, municipality, n=20):
    """``n`` more cases in ``municipality``, each with a need that got help, a referral, a
    recorded follow-up, an intake and exit assessment, and an aftercare plan with a check-in
    and a signal: for tests that the number of queries does not grow with the data."""
    from tests.factories import CaseFactory

    partner = Partner.objects.filter(regions=region).first() or Partner.objects.create(
        name="Groeipartner", type="housing"
    )
    version = MatrixVersion.objects.get(code="zrm-2017")
    housing = AssessmentDomain.objects.get(version=version, code="housing")
    for _ in range(n):
        case = CaseFactory(
            worker=worker, client__municipality=municipality, opened_on=day("2025-02-01")
        )
        need = _need(case, "housing", "2025-03-01", help_after=3, status="met")
        Referral.objects.create(
            case=case,
            need=need,
            partner=partner,
            status="accepted",
            requested_at=at("2025-03-02"),
            requested_by=worker,
            accepted_at=at("2025-03-09"),
        )
        FollowUp.objects.create(
            case=case,
            months=6,
            due_on=day("2025-09-01"),
            situation="fully",
            recorded_on=day("2025-09-01"),
            recorded_by=worker,
        )
        for kind, on, score in (("intake", "2025-02-02", 2), ("exit", "2025-08-01", 4)):
            made = Assessment.objects.create(
                case=case, kind=kind, assessed_on=day(on), version=version, by=worker
            )
            AssessmentScore.objects.create(assessment=made, domain=housing, score=score)
        plan = AftercarePlanFactory(case=case, intensity="active", starts_on=day("2025-08-01"))
        CheckIn.objects.create(
            plan=plan, on=day("2025-09-01"), kind="phone", result="good", by=worker
        )
        Signal.objects.create(
            plan=plan, kind="debts", severity="low", noted_on=day("2025-10-01"), by=worker
        )

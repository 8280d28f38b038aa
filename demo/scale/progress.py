"""Progress at scale: self-sufficiency assessments and aftercare (plans, check-ins, signals,
follow-ups)."""

import datetime

from django.utils import timezone

from aftercare.models import (
    AftercarePlan,
    CheckIn,
    CheckInKind,
    CheckInResult,
    FollowUp,
    Intensity,
    Severity,
    Signal,
    SignalKind,
    Situation,
    suggested_intensity,
)
from cases.models import ANOTHER_DAY_STRUCTURE, Assessment, AssessmentKind, AssessmentScore, Phase


class Progress:
    def _assessments(self, cases):
        rng, today = self.rng, self.today
        per_case = self.sizes["assessments"] / self.sizes["cases"]
        assessments, base_scores = [], []
        for case in cases:
            end = case.closed_on or today
            plan = [(AssessmentKind.INTAKE, case.opened_on + datetime.timedelta(days=14))]
            if case.closed_on and rng.random() < 0.6:
                plan.append((AssessmentKind.EXIT, case.closed_on))
            while len(plan) < per_case + rng.random() * 1.2 - 0.4:
                plan.append(
                    (
                        AssessmentKind.REVIEW,
                        case.opened_on
                        + datetime.timedelta(
                            days=rng.randint(30, max((end - case.opened_on).days, 31))
                        ),
                    )
                )
            start = rng.randint(1, 3)
            for index, (kind, day) in enumerate(plan):
                if day > today:
                    continue
                assessments.append(
                    Assessment(
                        case=case,
                        kind=kind,
                        assessed_on=min(day, end),
                        version=self.matrix,
                        by_id=case.worker_id,
                    )
                )
                base_scores.append(start + (index > 0) + (kind == AssessmentKind.EXIT))
        Assessment.objects.bulk_create(assessments, batch_size=5000)
        scores = [
            AssessmentScore(
                assessment=assessment,
                domain_id=domain,
                score=None if rng.random() < 0.12 else max(1, min(5, base + rng.randint(-1, 1))),
            )
            for assessment, base in zip(assessments, base_scores, strict=True)
            for domain in self.matrix_domains
        ]
        AssessmentScore.objects.bulk_create(scores, batch_size=10000)

    def _aftercare(self, cases, histories):
        """A plan for every case that reached aftercare; check-ins, signals, follow-ups."""
        rng, today = self.rng, self.today
        plans, follow_ups = [], []
        for case, history in zip(cases, histories, strict=True):
            entered = [at for _, to, at in history if to == Phase.AFTERCARE]
            if case.closed_on and case.outcome in ANOTHER_DAY_STRUCTURE:
                for months in (6, 12):
                    due = case.closed_on + datetime.timedelta(days=round(months * 30.44))
                    follow_up = FollowUp(case=case, months=months, due_on=due)
                    if due <= today and rng.random() < 0.7:
                        follow_up.recorded_on = due + datetime.timedelta(days=rng.randint(0, 20))
                        follow_up.recorded_on = min(follow_up.recorded_on, today)
                        follow_up.recorded_by_id = case.worker_id
                        follow_up.situation = rng.choices(Situation.values, [45, 25, 12, 10, 8])[0]
                    follow_ups.append(follow_up)
            if not entered:
                continue
            suggested = suggested_intensity(case.client.profile)
            intensity = suggested if rng.random() < 0.85 else rng.choice(Intensity.values)
            interval = None if intensity == Intensity.NONE else rng.choice([14, 30, 60, 90])
            starts_on = timezone.localdate(entered[0])
            plan = AftercarePlan(
                case=case,
                intensity=intensity,
                suggested_intensity=suggested,
                intensity_reason="" if intensity == suggested else "Op verzoek.",
                check_in_interval_days=interval,
                responsible_id=case.worker_id,
                starts_on=starts_on,
                created_by_id=case.worker_id,
                planned_end_on=starts_on + datetime.timedelta(days=365),
            )
            plans.append(plan)
        AftercarePlan.objects.bulk_create(plans, batch_size=5000)
        FollowUp.objects.bulk_create(follow_ups, batch_size=5000)
        check_ins, signals = [], []
        for plan in plans:
            if not plan.check_in_interval_days:
                continue
            end = min(plan.case.closed_on or today, plan.planned_end_on, today)
            day = plan.starts_on + datetime.timedelta(days=plan.check_in_interval_days)
            while day <= end and rng.random() < 0.97:
                check_ins.append(
                    CheckIn(
                        plan=plan,
                        on=day,
                        kind=rng.choice(CheckInKind.values),
                        result=rng.choices(CheckInResult.values, [60, 25, 10, 5])[0],
                        by_id=plan.case.worker_id,
                    )
                )
                plan.last_check_in_on = day
                day += datetime.timedelta(days=plan.check_in_interval_days)
            plan.next_check_in_on = plan.compute_next_check_in()
            if rng.random() < 0.15:
                signals.append(
                    Signal(
                        plan=plan,
                        kind=rng.choice(SignalKind.values),
                        severity=rng.choice(Severity.values),
                        noted_on=min(plan.starts_on + datetime.timedelta(days=40), today),
                        by_id=plan.case.worker_id,
                    )
                )
        CheckIn.objects.bulk_create(check_ins, batch_size=5000)
        Signal.objects.bulk_create(signals, batch_size=5000)
        AftercarePlan.objects.bulk_update(
            plans, ["last_check_in_on", "next_check_in_on"], batch_size=2000
        )

"""Support plans at scale: needs, referrals with their moves, and the consents they needed."""

import datetime

from django.utils import timezone

from cases.models import Need, NeedStatus, NotMetReason
from demo.synthetic import (
    CONSENT_DAYS,
    CONSENT_PURPOSE,
    CONSENT_SCOPE,
    DECLINE_REASON,
    REFERRAL_PATHS,
)
from partners.models import Consent, Referral, ReferralEvent, ReferralStatus

DOMAIN_WEIGHTS = {
    "housing": 16,
    "work_income": 18,
    "education_language": 9,
    "debt": 14,
    "norms_network": 7,
    "care_physical": 7,
    "care_mental": 11,
    "care_addiction": 5,
    "safety": 7,
    "meaning": 3,
    "repatriation": 3,
}
S = ReferralStatus


class SupportPlans:
    def _support_plans(self, cases):
        needs = self._needs(cases)
        Need.objects.bulk_create(needs, batch_size=5000)
        referrals, paths = self._referrals(needs)
        events, consents = self._referral_events(referrals, paths)
        Referral.objects.bulk_create(referrals, batch_size=5000)
        ReferralEvent.objects.bulk_create(events, batch_size=5000)
        Consent.objects.bulk_create(consents, batch_size=5000)

    def _needs(self, cases):
        rng, today = self.rng, self.today
        needs_per_case = self.sizes["needs"] / self.sizes["cases"]
        codes, weights = list(DOMAIN_WEIGHTS), list(DOMAIN_WEIGHTS.values())
        needs = []
        for case in cases:
            end = case.closed_on or today
            span = max((end - case.opened_on).days, 1)
            for _ in range(max(int(rng.expovariate(1 / needs_per_case) + 0.5), 0)):
                identified = case.opened_on + datetime.timedelta(days=rng.randint(0, span // 2))
                helped = identified + datetime.timedelta(days=int(rng.expovariate(1 / 21)))
                need = Need(
                    case=case,
                    domain_id=self.domain_codes[rng.choices(codes, weights)[0]],
                    description="Hulpvraag in eigen woorden.",
                    identified_on=identified,
                    created_by_id=case.worker_id,
                    priority=rng.choice(["high", "normal", "normal", "low"]),
                )
                if helped <= end and rng.random() < 0.8:
                    need.first_help_on = helped
                if case.closed_on:
                    need.status = rng.choices(
                        [NeedStatus.MET, NeedStatus.NOT_MET, NeedStatus.NO_LONGER_RELEVANT],
                        [65, 20, 15],
                    )[0]
                    need.closed_on = max(need.first_help_on or identified, case.closed_on)
                    if need.status == NeedStatus.NOT_MET:
                        need.not_met_reason = rng.choice(NotMetReason.values)
                else:
                    need.status = NeedStatus.IN_PROGRESS if need.first_help_on else NeedStatus.OPEN
                needs.append(need)
        return needs

    def _referrals(self, needs):
        rng = self.rng
        referral_share = self.sizes["referrals"] / self.sizes["needs"]
        referrals, paths = [], []
        for need in needs:
            if rng.random() >= referral_share:
                continue
            case = need.case
            region = self.municipality_region[case.client.municipality_id]
            options = self.partners.get((region, need.domain_id))
            if not options:
                continue
            partner, contact = rng.choice(options)
            path = rng.choices([p for p, _ in REFERRAL_PATHS], [w for _, w in REFERRAL_PATHS])[0]
            # Closing a case cancels its open referrals (partners' CASE_CLOSE_STEPS).
            if case.closed_on and (
                not path or path[-1] not in (S.COMPLETED, S.DECLINED, S.CANCELLED)
            ):
                path = (*path, S.CANCELLED)
            requested = timezone.make_aware(
                datetime.datetime.combine(need.identified_on, datetime.time(11))
            )
            referral = Referral(
                case=case,
                need=need,
                partner_id=partner,
                contact_person_id=contact,
                requested_at=requested,
                requested_by_id=case.worker_id,
                status=path[-1] if path else S.REQUESTED,
                warm_handover=rng.random() < 0.3,
                decline_reason=DECLINE_REASON if path and path[-1] == S.DECLINED else "",
            )
            referrals.append(referral)
            paths.append(path)
        return referrals, paths

    def _referral_events(self, referrals, paths):
        """Each referral's moves along its path, and the consent its sending needed."""
        rng = self.rng
        events, consents = [], []
        now = timezone.now()
        for referral, path in zip(referrals, paths, strict=True):
            at = referral.requested_at
            events.append(
                ReferralEvent(
                    referral=referral, to_status=S.REQUESTED, at=at, by_id=referral.requested_by_id
                )
            )
            previous = S.REQUESTED
            for status in path:
                at = min(at + datetime.timedelta(days=int(rng.expovariate(1 / 6)) + 1), now)
                events.append(
                    ReferralEvent(
                        referral=referral,
                        from_status=previous,
                        to_status=status,
                        at=at,
                        by_id=referral.requested_by_id,
                    )
                )
                previous = status
                if status == S.SENT:
                    referral.sent_at = at
                    consents.append(
                        Consent(
                            client_id=referral.case.client_id,
                            partner_id=referral.partner_id,
                            purpose=CONSENT_PURPOSE,
                            scope=CONSENT_SCOPE,
                            given_on=timezone.localdate(at) - datetime.timedelta(days=1),
                            expires_on=timezone.localdate(at)
                            + datetime.timedelta(days=CONSENT_DAYS),
                            recorded_by_id=referral.requested_by_id,
                        )
                    )
                elif status == S.ACCEPTED:
                    referral.accepted_at = at
                elif status in (S.COMPLETED, S.DECLINED, S.CANCELLED):
                    referral.closed_at = at
        return events, consents

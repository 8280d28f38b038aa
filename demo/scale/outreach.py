"""Outreach at scale: the reach that never becomes a case (anonymous counts)."""

import datetime

from demo.scale import YEARS
from demo.synthetic import outreach_counts
from monitoring.models import UNKNOWN, OutreachCount, OutreachKind, OutreachSession


class Outreach:
    def _outreach(self):
        rng, today = self.rng, self.today
        per_org = max(self.sizes["outreach_sessions"] // len(self.organisations), 1)
        for org in self.organisations:
            sessions, people = [], []
            for _ in range(per_org):
                region = rng.choice(self.org_regions[org.pk])
                kind = rng.choice(OutreachKind.values)
                spoken = rng.randint(1, 30)
                online = kind == OutreachKind.FIELD_ONLINE
                sessions.append(
                    OutreachSession(
                        organisation=org,
                        region_id=region,
                        municipality_id=rng.choice(self.municipalities[region]),
                        held_on=today - datetime.timedelta(days=rng.randint(0, YEARS * 365)),
                        kind=kind,
                        with_ggd=kind == OutreachKind.FIELD_LICENSED and rng.random() < 0.6,
                        venues_visited=rng.randint(1, 8)
                        if kind == OutreachKind.FIELD_LICENSED
                        else 0,
                        messages_sent=rng.randint(spoken, 80) if online else 0,
                        replies=spoken if online else 0,
                        people_spoken=spoken,
                        created_by_id=rng.choice(self.workers[org.pk]),
                    )
                )
                people.append(spoken)
            OutreachSession.objects.bulk_create(sessions, batch_size=2000)
            counts = []
            for session, spoken in zip(sessions, people, strict=True):
                for dimension, given in outreach_counts(rng, spoken).items():
                    given[UNKNOWN] = spoken - sum(given.values())
                    counts += [
                        OutreachCount(session=session, dimension=dimension, category=c, count=n)
                        for c, n in given.items()
                        if n
                    ]
            OutreachCount.objects.bulk_create(counts, batch_size=5000)

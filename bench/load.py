"""A bounded load run on loopback: concurrent simulated workers doing journey 1.

Each simulated worker logs in once (a session made for it), then loops until the time is
up: caseload, register a client, open a case, log a contact moment, change the phase, view
the case page. Bounded in time and in count; it stops by itself.
"""

import datetime
import re
import statistics
import threading
import time

from django.utils import timezone

MAX_REQUESTS_PER_USER = 10_000


def run_load(port, subject, *, users, seconds, session_for, browser_class):
    from pmw.models import Role, User

    workers = list(
        User.objects.filter(role=Role.WORKER, organisation=subject["worker"].organisation).order_by(
            "pk"
        )[:users]
    )
    sessions = [session_for(workers[i % len(workers)]) for i in range(users)]
    worker_ids = [workers[i % len(workers)].pk for i in range(users)]
    deadline = time.monotonic() + seconds
    timings, errors = [], []
    lock = threading.Lock()

    def simulate(index):
        browser = browser_class(port, sessions[index])
        step = 0
        local, local_errors = [], []

        def call(method, url, data=None, expect=(200, 302)):
            status, body, ms = browser.request(method, url, data)
            local.append(ms)
            if status not in expect:
                local_errors.append(f"{method} {url} -> {status}")
            return status, body

        while time.monotonic() < deadline and len(local) < MAX_REQUESTS_PER_USER:
            step += 1
            call("GET", "/cases/")
            call(
                "POST",
                "/clients/new/",
                {
                    "working_name": f"Last{index}x{step}",
                    "gender": "unknown",
                    "licensing": "unknown",
                    "how_started": "unknown",
                    "profile": "unknown",
                    "living_situation": "unknown",
                    "confirm_new_person": "on",
                },
            )
            match = re.search(r"/cases/open/(PMW-\d{4}-\d+)/", browser.location)
            if not match:
                continue
            call(
                "POST",
                f"/cases/open/{match.group(1)}/",
                {
                    "worker": worker_ids[index],
                    "contact_route": "self",
                    "opened_on": timezone.localdate().isoformat(),
                },
            )
            case_match = re.search(r"/cases/([0-9a-f]{12})/", browser.location)
            if not case_match:
                continue
            reference = case_match.group(1)
            at = (timezone.localtime() - datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
            call(
                "POST",
                f"/cases/{reference}/contact/",
                {"at": at, "kind": "phone", "duration_minutes": "15", "note": "Belafspraak."},
            )
            call("POST", f"/cases/{reference}/phase/", {"to": "orientation"})
            call("GET", f"/cases/{reference}/")
        with lock:
            timings.extend(local)
            errors.extend(local_errors)

    threads = [threading.Thread(target=simulate, args=(i,)) for i in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": len(timings),
        "throughput_rps": round(len(timings) / elapsed, 1),
        "errors": len(errors),
        "error_examples": errors[:5],
        "median_ms": round(statistics.median(timings), 1) if timings else None,
        "p95_ms": round(sorted(timings)[int(len(timings) * 0.95)], 1) if timings else None,
    }

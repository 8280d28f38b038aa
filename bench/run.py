"""`make bench`: every main page and job measured on a national-size PostgreSQL database.

For each page: the number of SQL queries (in-process, Django test client), the median and
p95 server time over repeated requests through a real HTTP server (gunicorn on loopback),
and the floor: the time of the minimal SQL the page's content needs, run on the same
database in the same run. Then a bounded load run: concurrent simulated workers doing
journey 1. Prints a table and writes bench/results.json.
"""

import http.client
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pmw_bench")
SCALE = os.environ.get("BENCH_SCALE", "1")
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
LOAD_USERS = int(os.environ.get("BENCH_LOAD_USERS", "50"))
LOAD_SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "30"))
SERVER_ENV = {
    "DATABASE_URL": DB_URL,
    "DEBUG": "0",
    "SECRET_KEY": "bench-only-not-secret",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1",
    "LOG_LEVEL": "WARNING",
    # A fixed, public key: the benchmark data is synthetic.
    "FIELD_ENCRYPTION_KEYS": "YmVuY2gtb25seS1wdWJsaWMtZmllbGQta2V5LTAwMDE=",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmw.settings")


def _ensure_database():
    import psycopg2
    from psycopg2.extensions import ISOLATION_LEVEL_AUTOCOMMIT

    name = DB_URL.rsplit("/", 1)[1]
    conn = psycopg2.connect(DB_URL.rsplit("/", 1)[0] + "/postgres")
    conn.set_isolation_level(ISOLATION_LEVEL_AUTOCOMMIT)
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def _manage(*args):
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=True, cwd=ROOT)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on loopback with the production settings (DEBUG off)."""

    def __init__(self, workers: int = 2, threads: int = 4):
        self.port = _free_port()
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "pmw.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env={**os.environ, **SERVER_ENV},
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


class Browser:
    """A logged-in HTTP session over one keep-alive connection."""

    def __init__(self, port: int, session_cookie: str | None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {"sessionid": session_cookie} if session_cookie else {}
        self.location = ""

    def _headers(self):
        return {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Host": "127.0.0.1",
        }

    def request(self, method: str, url: str, data: dict | None = None):
        headers = self._headers()
        body = None
        if data is not None:
            token = self.cookies.get("csrftoken", "")
            body = urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1{url}",
                }
            )
        started = time.perf_counter()
        self.conn.request(method, url, body=body, headers=headers)
        response = self.conn.getresponse()
        content = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        self.location = response.headers.get("Location", "")
        return response.status, content.decode("utf-8", "replace"), elapsed


def _logged_in_client(user, extra_session=None):
    """A Django test client past both login steps: password (forced) and second factor."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from pmw.middleware import SessionLifetimeMiddleware

    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    # As after a login: the next pages within a minute do not write the session.
    now = int(time.time())
    session[SessionLifetimeMiddleware.KEY] = session[SessionLifetimeMiddleware.REFRESHED] = now
    session.update(extra_session or {})
    session.save()
    return client


def _session_for(user, extra_session=None) -> str:
    return _logged_in_client(user, extra_session).cookies["sessionid"].value


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * fraction), len(ordered) - 1)]


def _time_sql(statements) -> float:
    """Median ms of running the page's minimal SQL statements once each."""
    from django.db import connection

    timings = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _count_queries(user, url, extra_session=None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _logged_in_client(user, extra_session)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def _time_page_sql(user, url, extra_session=None) -> float:
    """Median ms the page's own statements take in the database (every statement of the
    request, timed at the cursor, in-process), for comparing the page's SQL with its floor
    apart from the rest of the request."""
    from django.db import connection

    client = _logged_in_client(user, extra_session)
    spent = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - started

    timings = []
    with connection.execute_wrapper(timed):
        for _ in range(REPEAT):
            spent[0] = 0.0
            assert client.get(url).status_code == 200, url
            timings.append(spent[0] * 1000)
    return statistics.median(timings)


def _time_requests(server, url, session_cookie) -> list[float]:
    """Milliseconds of REPEAT requests over one keep-alive connection, after three to warm."""
    browser = Browser(server.port, session_cookie)
    for _ in range(3):
        status, _body, _ms = browser.request("GET", url)
        assert status == 200, (url, status)
    return [browser.request("GET", url)[2] for _ in range(REPEAT)]


def _measure_baseline(server, subject, baseline) -> dict:
    user = subject[baseline.user] if baseline.user else None
    url = baseline.url(subject)
    timings = _time_requests(server, url, _session_for(user) if user else None)
    row = {
        "request": baseline.name,
        "url": url,
        "queries": _count_queries(user, url) if user else None,
        "median_ms": round(statistics.median(timings), 1),
        "p95_ms": round(_percentile(timings, 0.95), 1),
    }
    print(f"  {row['request']}: median {row['median_ms']} ms, p95 {row['p95_ms']} ms", flush=True)
    return row


def _count_queries_after_a_change(user, url, extra_session=None) -> int:
    """Queries of a monitoring page when twenty cases changed since the last page."""
    from cases.models import Case

    changed = list(Case.objects.order_by("-pk").values_list("pk", flat=True)[:20])
    Case.objects.filter(pk__in=changed).update(figures_stale=True)
    return _count_queries(user, url, extra_session)


def main():  # noqa: PLR0915 — a script that reads top to bottom
    _ensure_database()
    _manage("migrate", "--noinput", "-v", "0")
    _manage("collectstatic", "--noinput", "-v", "0")
    import django

    django.setup()
    from pmw.models import Organisation

    if not Organisation.objects.filter(code__startswith="scale-").exists():
        _manage("generate_scale_data", "--scale", SCALE)
    from bench.pages import BASELINES, PAGES, subjects

    subject = subjects()
    server = Server()
    rows = []
    try:
        baselines = [_measure_baseline(server, subject, baseline) for baseline in BASELINES]
        for page in PAGES:
            user = subject[page.user]
            url = page.url(subject)
            timings = _time_requests(server, url, _session_for(user, page.session))
            floor = _time_sql(page.floor(subject))
            median = statistics.median(timings)
            page_sql = _time_page_sql(user, url, page.session)
            rows.append(
                {
                    "page": page.name,
                    "queries": _count_queries(user, url, page.session),
                    "queries_after_change": (
                        _count_queries_after_a_change(user, url, page.session)
                        if page.counts_figures
                        else None
                    ),
                    "median_ms": round(median, 1),
                    "p95_ms": round(_percentile(timings, 0.95), 1),
                    "floor_ms": round(floor, 2),
                    "ratio": round(median / floor, 1) if floor else None,
                    "sql_ms": round(page_sql, 2),
                    "sql_ratio": round(page_sql / floor, 1) if floor else None,
                    "budget_median_ms": page.budget_median_ms,
                }
            )
            row = rows[-1]
            after_change = row["queries_after_change"]
            print(
                f"  {row['page']}: {row['queries']} queries"
                + (f" ({after_change} right after a change)" if after_change else "")
                + f", median {row['median_ms']} ms, "
                f"p95 {row['p95_ms']} ms, floor {row['floor_ms']} ms, its SQL {row['sql_ms']} ms",
                flush=True,
            )
        from bench.load import run_load

        load = run_load(
            server.port,
            subject,
            users=LOAD_USERS,
            seconds=LOAD_SECONDS,
            session_for=_session_for,
            browser_class=Browser,
        )
    finally:
        server.stop()
    jobs = []
    from bench.pages import JOBS

    for job in JOBS:
        jobs.append(job())
    _report(rows, baselines, jobs, load)


def _machine():
    meminfo = Path("/proc/meminfo").read_text()
    total_kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo).group(1))
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(total_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _sizes():
    from cases.models import Case, ContactMoment, PhaseChange
    from pmw.models import Organisation, User
    from profiles.models import Client

    return {
        model.__name__: model.objects.count()
        for model in (Organisation, User, Client, Case, PhaseChange, ContactMoment)
    }


def _report(rows, baselines, jobs, load):
    from bench.pages import EMPTY_SIGNED_IN_PAGE, WORKER_BUDGET_MS

    header = (
        f"{'page':<28}{'queries':>8}{'after change':>13}{'median ms':>11}{'p95 ms':>9}"
        f"{'floor ms':>10}{'ratio':>7}{'SQL ms':>9}{'SQL ratio':>10}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<28}{row['queries']:>8}{row['queries_after_change'] or '':>13}"
            f"{row['median_ms']:>11}{row['p95_ms']:>9}{row['floor_ms']:>10}{row['ratio']!s:>7}"
            f"{row['sql_ms']:>9}{row['sql_ratio']!s:>10}"
        )
    for baseline in baselines:
        print(
            f"{baseline['request']} ({baseline['url']}): median {baseline['median_ms']} ms, "
            f"p95 {baseline['p95_ms']} ms"
            + (f", {baseline['queries']} queries" if baseline["queries"] else "")
        )
    signed_in = next(b for b in baselines if b["request"] == EMPTY_SIGNED_IN_PAGE)["median_ms"]
    out_of_reach = [
        row["page"]
        for row in rows
        if row["budget_median_ms"] == WORKER_BUDGET_MS and 3 * row["floor_ms"] < signed_in
    ]
    print(
        f"within 3x of the floor, out of reach for pages whose floor is under a third of the "
        f"{EMPTY_SIGNED_IN_PAGE} ({signed_in} ms): {', '.join(out_of_reach) or 'none'}"
    )
    for job in jobs:
        print(f"job {job['job']}: {job['seconds']} s ({job['detail']})")
    print(
        f"load: {load['users']} users for {load['seconds']} s: {load['requests']} requests, "
        f"{load['throughput_rps']} req/s, errors {load['errors']}, p95 {load['p95_ms']} ms"
    )
    result = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": _machine(),
        "data": _sizes(),
        "repeat": REPEAT,
        "pages": rows,
        "baselines": baselines,
        "floor_under_a_third_of_an_empty_signed_in_page": out_of_reach,
        "jobs": jobs,
        "load": load,
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print("\nwritten to bench/results.json")


if __name__ == "__main__":
    main()

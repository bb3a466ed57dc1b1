"""What the policy costs under load (issue 17, item 5): twenty salespeople at once.

Each of ``--users`` salespeople (the bench salespeople of ``partner_rules.py``,
100,000 customers over 200 of them), in a thread of its own with its own web
session, loops for ``--seconds`` over what the web client sends when they list
their customers, log a visit and read their activity progress:

- ``list``: the Customer Archives list (``web_search_read`` of res.partner, the
  action's domain and the list view's fields, 80 rows);
- ``new``: the visit form opened (``onchange`` of sales.visit, its defaults);
- ``save``: the visit saved for one of the listed customers (``web_save``);
- ``progress``: their activity progress of last week (``web_search_read`` of
  sales.activity.progress, the list view's fields).

Then the same loop by as many users who read every archive (sales managers,
created once: ``bench_load_mgr_NN``); the two roles take turns (``--rounds``), so
that what else the machine runs weighs on both. It prints the requests per
second of each, their ratio (issue 17's target: at least 0.8), the errors (must
be 0), checks that every visit saved is stored (a direct count), and, for each
step, the client's median time (mostly waiting for one of the workers) and, from
the server's log, the median queries, SQL time and other time of the request;
last, the ratio of the server's time of one loop, steadier on a busy machine.

    $ODOO_PYTHON bench/load.py -d DB [--seconds 30] [--rounds 3] [--users 20] [--workers 3]
        [--url http://127.0.0.1:8069]   # a server already running; else started here
    $ODOO_PYTHON bench/load.py -d DB --profile [--reps 30]

Without ``--url`` the script serves the database itself with ``--workers`` prefork
workers (and no cron worker) on free ports of 8150-8199, and stops it at the end. The users'
passwords are set once, to their login, on the bench users only: run it on a
copy of the bench database (``createdb -T sdp_bench ...``).

``--profile`` runs the same four steps in this process, through the ORM, as one
salesperson and as one manager: the time and the number of queries of each
step; what the rule evaluation, the visit's readability check (its customer
readable) and the territory check cost each of them; then the functions the
salesperson's loop spends the most in.
"""

import argparse
import contextlib
import cProfile
import io
import pstats
import random
import re
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path

import requests
from common import ODOO_HOME, REPO, running
from common import registry as open_registry
from partner_rules import fill as fill_customers

N_USERS = 20
MANAGER_PREFIX = "bench_load_mgr"
MARK = "bench-load"

#: the Customer Archives action and its list view (views/res_partner_views.xml)
CUSTOMER_DOMAIN = [("customer_archive", "=", True), ("is_company", "=", True)]
CUSTOMER_SPEC = {
    "complete_name": {},
    "phone": {},
    "email": {},
    "city": {},
    "country_id": {"fields": {"display_name": {}}},
    "archive_user_id": {"fields": {"display_name": {}}},
    "credit_grade_id": {"fields": {"display_name": {}}},
    "territory_id": {"fields": {"display_name": {}}},
}
#: the visit form's main fields (views/sales_visit_views.xml)
VISIT_SPEC = {
    "display_name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
    "kind": {},
    "date_planned": {},
    "purpose": {},
    "state": {},
    "is_effective": {},
    "ineffective_reason": {},
    "out_of_territory": {},
    "territory_approved_by_id": {"fields": {"display_name": {}}},
    "company_id": {"fields": {"display_name": {}}},
}
#: the activity progress list (report/sales_activity_progress_views.xml), last week
PROGRESS_DOMAIN = [("period", "=", "week"), ("periods_ago", "=", 1)]
PROGRESS_SPEC = {
    "date": {},
    "period": {},
    "user_id": {"fields": {"display_name": {}}},
    "kind": {},
    "done": {},
    "target": {},
    "gap": {},
    "state": {},
}
STEPS = ("list", "new", "save", "progress")


# ----------------------------------------------------------------------------
# The users
# ----------------------------------------------------------------------------
def prepare(env, n_users):
    """The salespeople and the managers of the loop, with their passwords (once)."""
    salespeople = fill_customers(env)[0][:n_users]
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    managers = Users.search([("login", "=like", f"{MANAGER_PREFIX}_%")], order="login")
    if len(managers) < n_users:
        group = env.ref("sales_dept_policy.group_sales_manager")
        Users.create(
            [
                {
                    "name": f"Bench Load Manager {i:02d}",
                    "login": f"{MANAGER_PREFIX}_{i:02d}",
                    "group_ids": [(6, 0, group.ids)],
                    "tz": "Asia/Shanghai",
                }
                for i in range(len(managers), n_users)
            ]
        )
        managers = Users.search([("login", "=like", f"{MANAGER_PREFIX}_%")], order="login")
    managers = managers[:n_users]
    users = salespeople | managers
    env.cr.execute(
        "SELECT id FROM res_users WHERE id IN %s AND password IS NULL", [tuple(users.ids)]
    )
    without = users.browse([row[0] for row in env.cr.fetchall()])
    for user in without:  # the bench users only, whose password is their login
        user.password = user.login
    env.cr.commit()
    return salespeople, managers


# ----------------------------------------------------------------------------
# A web session
# ----------------------------------------------------------------------------
class WebSession:
    """One user's web session: JSON-RPC as the web client sends it."""

    def __init__(self, url, db, login):
        self.url = url
        self.http = requests.Session()
        result = self._post(
            "/web/session/authenticate", {"db": db, "login": login, "password": login}
        )
        self.uid = result["uid"]
        self.context = {
            **result["user_context"],
            "allowed_company_ids": [result["user_companies"]["current_company"]],
        }

    def _post(self, path, params):
        response = self.http.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "params": params, "id": 1},
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(body["error"]["data"].get("message") or body["error"]["message"])
        return body["result"]

    def call(self, model, method, *args, **kwargs):
        kwargs.setdefault("context", self.context)
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def loop_once(session, marker, pick=random.choice):
    """The four steps once; returns {step: seconds} and the visit saved."""
    times = {}
    t0 = time.perf_counter()
    page = session.call(
        "res.partner",
        "web_search_read",
        domain=CUSTOMER_DOMAIN,
        specification=CUSTOMER_SPEC,
        offset=0,
        limit=80,
        order="",
        count_limit=10001,
    )
    t1 = time.perf_counter()
    times["list"] = t1 - t0
    session.call("sales.visit", "onchange", [], {}, [], VISIT_SPEC)
    t2 = time.perf_counter()
    times["new"] = t2 - t1
    partner = pick(page["records"])["id"]
    (visit,) = session.call(
        "sales.visit",
        "web_save",
        [],
        {
            "partner_id": partner,
            "kind": "call",
            "date_planned": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
            "purpose": marker,
        },
        specification=VISIT_SPEC,
    )
    t3 = time.perf_counter()
    times["save"] = t3 - t2
    session.call(
        "sales.activity.progress",
        "web_search_read",
        domain=PROGRESS_DOMAIN,
        specification=PROGRESS_SPEC,
        offset=0,
        limit=80,
        order="",
        count_limit=10001,
    )
    times["progress"] = time.perf_counter() - t3
    return times, visit["id"]


class Phase:
    """One role's users, each in a web session of their own, looping in rounds."""

    def __init__(self, url, db, logins, label):
        self.label = label
        self.marker = f"{MARK} {label} {uuid.uuid4().hex[:8]}"
        self.sessions = [WebSession(url, db, login) for login in logins]
        for session in self.sessions:  # each user's first loop warms the workers' caches
            loop_once(session, f"{MARK} warm-up")
        self.requests = 0
        self.elapsed = 0.0
        self.errors = Counter()
        self.visits = []
        self.times = defaultdict(list)
        self.log_spans = []

    def run(self, seconds, log=None):
        """All the users at once for ``seconds``; each ends the loop it is in."""
        barrier = threading.Barrier(len(self.sessions) + 1)
        lock = threading.Lock()
        deadline = [0.0]

        def worker(session):
            barrier.wait()
            while time.monotonic() < deadline[0]:
                try:
                    times, visit_id = loop_once(session, self.marker)
                except Exception as error:  # noqa: BLE001 (counted and shown, never hidden)
                    with lock:
                        self.errors[str(error)[:200]] += 1
                    continue
                with lock:
                    self.requests += len(times)
                    self.visits.append(visit_id)
                    for step, spent in times.items():
                        self.times[step].append(spent)

        threads = [threading.Thread(target=worker, args=(s,)) for s in self.sessions]
        for thread in threads:
            thread.start()
        offset = log.stat().st_size if log else None
        started = time.monotonic()
        deadline[0] = started + seconds
        barrier.wait()
        for thread in threads:
            thread.join()
        self.elapsed += time.monotonic() - started
        if log:
            self.log_spans.append((offset, log.stat().st_size))


# ----------------------------------------------------------------------------
# The server
# ----------------------------------------------------------------------------
def free_port(taken=()):
    for port in range(8150, 8200):
        if port in taken:
            continue
        with socket.socket() as sock:
            with contextlib.suppress(OSError):
                sock.bind(("127.0.0.1", port))
                return port
    raise SystemExit("no free port in 8150-8199")


@contextlib.contextmanager
def served(db, workers):
    port = free_port()
    # the prefork server's own websocket process listens too (8072 by default,
    # maybe another server's)
    gevent_port = free_port({port})
    log = tempfile.NamedTemporaryFile(prefix="bench-load-", suffix=".log", delete=False)  # noqa: SIM115
    command = [
        sys.executable,
        f"{ODOO_HOME}/odoo-bin",
        f"--addons-path={ODOO_HOME}/addons,{ODOO_HOME}/odoo/addons,{REPO}",
        "-d",
        db,
        f"--db-filter=^{db}$",
        f"--http-port={port}",
        f"--gevent-port={gevent_port}",
        "--http-interface=127.0.0.1",
        f"--workers={workers}",
        "--max-cron-threads=0",
        f"--logfile={log.name}",
        # one line a request, with its queries and their time
        "--log-level=info",
    ]
    url = f"http://127.0.0.1:{port}"
    with running(command, url, log.name):
        print(f"served {db} with {workers} workers at {url} (log {log.name})")
        yield url, Path(log.name)


# ----------------------------------------------------------------------------
# In-process profile of the steps
# ----------------------------------------------------------------------------
def profile(env, salesperson, manager, reps):
    from odoo import api  # noqa: PLC0415

    def steps(user):
        uenv = api.Environment(env.cr, user.id, {"lang": "en_US", "tz": user.tz or "UTC"})
        Partner, Visit = uenv["res.partner"], uenv["sales.visit"]
        Progress = uenv["sales.activity.progress"]

        def do_list():
            return Partner.web_search_read(
                CUSTOMER_DOMAIN, CUSTOMER_SPEC, limit=80, order="", count_limit=10001
            )

        page = do_list()["records"]
        return {
            "list": do_list,
            "new": lambda: Visit.onchange({}, [], VISIT_SPEC),
            "save": lambda: Visit.web_save(
                {
                    "partner_id": random.choice(page)["id"],
                    "kind": "call",
                    "date_planned": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                    "purpose": f"{MARK} profile",
                },
                VISIT_SPEC,
            ),
            "progress": lambda: Progress.web_search_read(
                PROGRESS_DOMAIN, PROGRESS_SPEC, limit=80, order="", count_limit=10001
            ),
        }

    def measure(user):
        result = {}
        for step, call in steps(user).items():
            spent, queries = [], []
            for i in range(reps + 1):
                env.invalidate_all()
                before = env.cr.sql_log_count
                t0 = time.perf_counter()
                call()
                env.flush_all()
                if i:  # the first warms the caches
                    spent.append(time.perf_counter() - t0)
                    queries.append(env.cr.sql_log_count - before)
            result[step] = (statistics.median(spent), statistics.median(queries))
        return result

    def timed(call, clear=None):
        """Median ms of ``call()`` over the repetitions (``clear()`` before each)."""
        spent = []
        for i in range(reps + 1):
            if clear:
                clear()
            t0 = time.perf_counter()
            call()
            if i:
                spent.append(time.perf_counter() - t0)
        return statistics.median(spent) * 1000

    with env.cr.savepoint(flush=False) as savepoint:
        results = {"salesperson": measure(salesperson), "manager": measure(manager)}
        print(f"per step, median of {reps} (ms, queries):")
        for step in STEPS:
            sp_t, sp_q = results["salesperson"][step]
            mg_t, mg_q = results["manager"][step]
            print(
                f"  {step:9s} salesperson {sp_t * 1000:7.2f} ms {sp_q:4.0f} q   "
                f"manager {mg_t * 1000:7.2f} ms {mg_q:4.0f} q   ratio {sp_t / mg_t:5.2f}x"
            )
        print("where the salesperson's steps spend beside the manager's (ms):")
        partner = env["res.partner"].search(
            [("archive_user_id", "=", salesperson.id), ("parent_id", "=", False)], limit=1
        )
        for label, user in (("salesperson", salesperson), ("manager", manager)):
            uenv = api.Environment(env.cr, user.id, {})
            Rule, Visit = uenv["ir.rule"], uenv["sales.visit"]
            rule = timed(lambda R=Rule: R._compute_domain("res.partner", "read"))
            rule_cold = timed(
                lambda R=Rule: R._compute_domain("res.partner", "read"),
                env.registry.clear_cache,
            )
            readable = timed(
                lambda V=Visit, u=user: V._check_logging_rights([u.id], partner.ids),
                env.invalidate_all,
            )
            territory = timed(
                lambda u=user: env["sales.territory"]._territories_by_user(u),
                env.invalidate_all,
            )
            print(
                f"  {label:11s} rule evaluation {rule:6.3f} (after a cache clear "
                f"{rule_cold:6.2f}); the visit's customer readable {readable:6.2f}; "
                f"territory check {territory:6.2f}"
            )
        targets = timed(lambda: env["sales.activity.target"]._targets_by_user(), env.invalidate_all)
        print(f"  both        the targets of every user (progress) {targets:6.2f}")
        calls = steps(salesperson)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(reps):
            for step in STEPS:
                env.invalidate_all()
                calls[step]()
                env.flush_all()
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(r"sales_dept_policy|ir_rule|check_access|web_search_read|web_save", 25)
        print(out.getvalue())
        savepoint.rollback()


# ----------------------------------------------------------------------------
_SERVED = re.compile(
    r'"POST /web/dataset/call_kw/([\w.]+)/(\w+)\S* HTTP/1.1" 200 - (\d+) ([\d.]+) ([\d.]+)'
)
_STEP_OF = {
    ("res.partner", "web_search_read"): "list",
    ("sales.visit", "onchange"): "new",
    ("sales.visit", "web_save"): "save",
    ("sales.activity.progress", "web_search_read"): "progress",
}


def server_side(log, spans):
    """{step: (median queries, median SQL ms, median other ms)} from the server's
    request lines (werkzeug: queries, their time, the rest of the time)."""
    by_step = defaultdict(list)
    with open(log, encoding="utf-8", errors="replace") as text:
        for start, end in spans:
            text.seek(start)
            for line in text.read(end - start).splitlines():
                match = _SERVED.search(line)
                if match and (step := _STEP_OF.get(match.group(1, 2))):
                    by_step[step].append(tuple(map(float, match.group(3, 4, 5))))
    return {
        step: tuple(statistics.median(row[i] for row in rows) for i in range(3))
        for step, rows in by_step.items()
    }


def report(phase, log):
    rps = phase.requests / phase.elapsed
    errors = sum(phase.errors.values())
    print(
        f"{phase.label:12s} {phase.requests:6d} requests in {phase.elapsed:5.1f} s: "
        f"{rps:6.1f} req/s, {errors} errors, {len(phase.visits)} visits saved"
    )
    for error, count in phase.errors.most_common(5):
        print(f"    {count} x {error}")
    served = server_side(log, phase.log_spans) if log else {}
    for step in STEPS:
        line = f"    {step:9s} client median {statistics.median(phase.times[step]) * 1000:6.1f} ms"
        if step in served:
            queries, sql_s, other_s = served[step]
            line += (
                f"   server: {queries:3.0f} queries, SQL {sql_s * 1000:5.1f} ms, "
                f"rest {other_s * 1000:5.1f} ms"
            )
        print(line)
    if len(served) == len(STEPS):
        per_loop = sum(sql_s + other_s for _q, sql_s, other_s in served.values())
        print(f"    server time of one loop (sum of the medians): {per_loop * 1000:6.1f} ms")
    else:
        per_loop = None
    return rps, errors, per_loop


def check_stored(env, phase):
    """Every visit saved is in the database, with the loop's mark (a direct count)."""
    env.cr.execute("SELECT count(*) FROM sales_visit WHERE purpose = %s", [phase.marker])
    (count,) = env.cr.fetchone()
    env.cr.execute("SELECT count(*) FROM sales_visit WHERE id = ANY(%s)", [phase.visits])
    (found,) = env.cr.fetchone()
    return count == found == len(phase.visits), count


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-d", "--database", required=True)
    parser.add_argument("--url", help="a server already serving the database")
    parser.add_argument("--seconds", type=float, default=30, help="of each role's loop")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="the roles take turns, so that what else the machine runs weighs on both",
    )
    parser.add_argument("--users", type=int, default=N_USERS)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--reps", type=int, default=30)
    args = parser.parse_args()
    registry = open_registry(args.database)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        salespeople, managers = prepare(env, args.users)
        if args.profile:
            profile(env, salespeople[7], managers[0], args.reps)
            return
        sp_logins, mg_logins = salespeople.mapped("login"), managers.mapped("login")

    with contextlib.ExitStack() as stack:
        url, log = (
            (args.url, None)
            if args.url
            else stack.enter_context(served(args.database, args.workers))
        )
        print(
            f"{args.users} users at once, {args.seconds:.0f} s for each role "
            f"in {args.rounds} rounds"
        )
        phases = [
            Phase(url, args.database, sp_logins, "salespeople"),
            Phase(url, args.database, mg_logins, "managers"),
        ]
        for _round in range(args.rounds):
            for phase in phases:
                phase.run(args.seconds / args.rounds, log)
    rps, per_loop = {}, {}
    errors = 0
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        for phase in phases:
            rps[phase.label], phase_errors, per_loop[phase.label] = report(phase, log)
            stored, count = check_stored(env, phase)
            print(
                f"    visits stored: {count} of {len(phase.visits)} {'ok' if stored else 'MISSING'}"
            )
            errors += phase_errors + (not stored)
    ratio = rps["salespeople"] / rps["managers"]
    print(f"ratio salespeople / managers (req/s): {ratio:.2f}x (target >= 0.80)")
    if all(per_loop.values()):
        # less sensitive to what else the machine runs than the requests per second
        print(
            "ratio of the server's time of a loop, managers / salespeople: "
            f"{per_loop['managers'] / per_loop['salespeople']:.2f}x"
        )
    print(f"errors: {errors}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()

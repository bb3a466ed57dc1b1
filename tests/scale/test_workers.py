"""Several prefork workers and a cron worker (issue 17).

- ARC-5, TER-4: an archive grant (or a managed territory) holds on every worker
  from the very next request, and is withdrawn on all of them when it lapses;
  ARC-4 follows a customer's new salesperson on all of them at once. The record
  rules read the grants when they are evaluated and Odoo caches evaluated rules
  in each worker: the change is signalled to the other workers through the
  database (``registry.clear_cache()``, then Odoo's signalling).
- APR-1, APR-3: two decisions of one request at the same moment, in two workers,
  make one (one chatter message, one to-do closed, the other refused); the lapse
  cron run twice at once lapses each grant once.

The server's log names the process that served each request: every check is
repeated, one request after the other, until each HTTP worker has answered it,
and each worker had first evaluated (and cached) the user's rules the other way,
so that a worker answering from a stale cache fails the test.
"""

import collections
import contextlib
import copy
import datetime
import re
import threading
import time
import uuid
import xmlrpc.client

import psycopg2
import pytest

N_WORKERS = 3
#: a worker answers in milliseconds; enough requests that the kernel hands some
#: to each of them (which worker answered is read from the log)
MAX_REQUESTS = 200
MODEL = "sales.archive.access.request"

_ALIVE = re.compile(
    r"^\S+ \S+ \d+ INFO \S+ odoo\.service\.server: Worker WorkerHTTP \((\d+)\) alive"
)
_SERVED = re.compile(r"^\S+ \S+ (\d+) INFO \S+ werkzeug: .*\"POST /xmlrpc/2/object#")


@pytest.fixture(scope="module")
def server(serve, scale_db):
    # the cron worker runs the addon's jobs only: Odoo's own (the stock scheduler,
    # mail queues) would write the same demo rows at the same moments and log their
    # own serialization errors, which the tests read as the policy's
    with contextlib.closing(psycopg2.connect(dbname=scale_db)) as conn, conn.cursor() as cr:
        cr.execute(
            """
            UPDATE ir_cron SET active = FALSE
             WHERE active AND id NOT IN (
                   SELECT d.res_id FROM ir_model_data d
                    WHERE d.model = 'ir.cron' AND d.module = 'sales_dept_policy')
            """
        )
        conn.commit()
    # (serve gives the prefork server's websocket process a free port of its own)
    with serve(f"--workers={N_WORKERS}", "--max-cron-threads=1") as server:
        yield server


class _Users(dict):
    """The demo users, each logged in once (a login costs a password hash)."""

    def __init__(self, server):
        super().__init__()
        self.server = server

    def __missing__(self, login):
        self[login] = self.server.login(login, "admin" if login == "admin" else None)
        return self[login]

    def own_connection(self, login):
        """The same user on a connection of its own, for another thread."""
        clone = copy.copy(self[login])
        clone.models = xmlrpc.client.ServerProxy(
            f"{self.server.url}/xmlrpc/2/object", allow_none=True
        )
        return clone

    def uid(self, login):
        return self["admin"].call("res.users", "search", [("login", "=", login)])[0]


@pytest.fixture(scope="module")
def users(server):
    return _Users(server)


@pytest.fixture(scope="module")
def sql(server):
    """Run one statement on the served database, committed: what days passing do to
    the grants' end dates, which the policy lets no client write (APR-3)."""

    def _sql(query, params=()):
        with contextlib.closing(psycopg2.connect(dbname=server.db)) as conn, conn.cursor() as cr:
            cr.execute(query, params)
            conn.commit()

    return _sql


def _log(server, offset=0):
    with open(server.log, encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        return log.read()


def _log_size(server):
    return server.log.stat().st_size


def _workers(server):
    pids = {m.group(1) for m in map(_ALIVE.match, _log(server).splitlines()) if m}
    assert len(pids) >= N_WORKERS, f"{N_WORKERS} HTTP workers expected, the log names {pids}"
    return pids


def on_every_worker(server, call, expected, what):
    """Call ``call()`` one request after the other until every HTTP worker has
    answered it; each answer must be ``expected``. Returns the count by worker."""
    workers = _workers(server)
    served = collections.Counter()
    offset = _log_size(server)
    for n in range(1, MAX_REQUESTS + 1):
        got = call()
        assert got == expected, f"{what}: request {n} answered {got!r}, not {expected!r}"
        served.update(
            m.group(1) for m in map(_SERVED.match, _log(server, offset).splitlines()) if m
        )
        if all(served[pid] for pid in workers):
            return served
    pytest.fail(f"{what}: {MAX_REQUESTS} requests did not reach every worker: {dict(served)}")


def _reader(session, partner_id):
    """The customer as ``session`` reads it through the record rules: [] or its row."""
    return lambda: session.call(
        "res.partner", "search_read", [("id", "=", partner_id)], fields=["name"]
    )


def _customer(users, salesperson="salesperson", **values):
    name = f"Scale Workers {uuid.uuid4().hex[:8]}"
    admin = users["admin"]
    vals = {"name": name, "is_company": True, "customer_rank": 1, **values}
    partner_id = admin.call("res.partner", "create", {**vals, "user_id": users.uid(salesperson)})
    (row,) = admin.call("res.partner", "read", [partner_id], ["customer_archive"])
    assert row["customer_archive"], "a customer with a salesperson is a customer archive"
    return partner_id, [{"id": partner_id, "name": name}]


def _request(users, partner_ids, login="employee"):
    """A submitted access request of ``login`` for these customers (ARC-5)."""
    end = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    requester = users[login]
    request_id = requester.call(
        MODEL,
        "create",
        {"partner_ids": [(6, 0, partner_ids)], "reason": "Scale test", "date_end": end},
    )
    requester.call(MODEL, "action_submit", [request_id])
    return request_id


def _at_once(calls):
    """Run the calls in threads released together; the result (or Fault) of each."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except xmlrpc.client.Fault as fault:
            results[i] = fault

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def _notes(admin, ids, text):
    """The chatter notes of these requests saying ``text`` (the done to-dos, which
    quote the decision as their feedback, are counted apart)."""
    return admin.call(
        "mail.message",
        "search_count",
        [
            ("model", "=", MODEL),
            ("res_id", "in", ids),
            ("body", "ilike", text),
            ("mail_activity_type_id", "=", False),
        ],
    )


def _lapse_cron(admin):
    """The lapse cron (ARC-5) and its server action, found by their code."""
    (row,) = admin.call(
        "ir.cron",
        "search_read",
        [("ir_actions_server_id.code", "=", "model._cron_lapse_grants()")],
        fields=["ir_actions_server_id"],
    )
    return row["id"], row["ir_actions_server_id"][0]


def _end_passed(sql, request_ids):
    """Two days pass for these grants: their last day is before the requester's today."""
    sql(
        "UPDATE sales_archive_access_request SET date_end = current_date - 2 WHERE id IN %s",
        [tuple(request_ids)],
    )


def _no_error_since(server, offset):
    log = _log(server, offset)
    assert " ERROR " not in log, log[log.index(" ERROR ") - 30 :][:1500]


# ----------------------------------------------------------------------------
# The rules' inputs on every worker (ARC-4, ARC-5, TER-4)
# ----------------------------------------------------------------------------
def test_grant_is_honoured_then_withdrawn_on_every_worker(server, users, sql):
    gm, employee, admin = users["gm"], users["employee"], users["admin"]
    partner_id, row = _customer(users)
    read = _reader(employee, partner_id)

    # every worker evaluates (and caches) the employee's archive rule without the grant
    on_every_worker(server, read, [], "before the request")
    request_id = _request(users, [partner_id])
    on_every_worker(server, read, [], "while the request waits")

    gm.call(MODEL, "action_approve", [request_id])
    # the very next request, on whichever worker, reads the customer
    on_every_worker(server, read, row, "once approved")
    (partner,) = employee.call("res.partner", "read", [partner_id], ["name"])
    assert partner["name"] == row[0]["name"]

    # its last day passes: granted until the lapse cron runs (ARC-5: the rule
    # cannot compare with today, the cron lapses) ...
    _end_passed(sql, [request_id])
    assert read() == row
    cron_id, _action = _lapse_cron(admin)
    admin.call("ir.cron", "method_direct_trigger", [cron_id])
    # ... then withdrawn on every worker
    on_every_worker(server, read, [], "once lapsed")
    assert admin.call(MODEL, "read", [request_id], ["state"])[0]["state"] == "expired"
    with pytest.raises(xmlrpc.client.Fault, match="doesn't have 'read' access"):
        employee.call("res.partner", "read", [partner_id], ["name"])


def test_new_salesperson_reads_and_former_does_not_on_every_worker(server, users):
    """ARC-4 follows the customer's salesperson on every worker at once. ARC-5: a
    grant lasts until its end date; the customer changing salesperson ends none."""
    former, new, employee = users["salesperson"], users["senior"], users["employee"]
    partner_id, row = _customer(users)
    request_id = _request(users, [partner_id])
    users["gm"].call(MODEL, "action_approve", [request_id])

    on_every_worker(server, _reader(former, partner_id), row, "the salesperson, before")
    on_every_worker(server, _reader(new, partner_id), [], "another salesperson, before")
    on_every_worker(server, _reader(employee, partner_id), row, "the grantee, before")

    users["manager"].call("res.partner", "write", [partner_id], {"user_id": users.uid("senior")})

    on_every_worker(server, _reader(former, partner_id), [], "the former salesperson")
    on_every_worker(server, _reader(new, partner_id), row, "the new salesperson")
    on_every_worker(server, _reader(employee, partner_id), row, "the grantee, after")
    with pytest.raises(xmlrpc.client.Fault):
        former.call("res.partner", "write", [partner_id], {"comment": "mine?"})


def test_territory_manager_reads_on_every_worker(server, users):
    """TER-4: the manager of a territory reads its customers from the very next
    request on every worker, and no longer once the territory is handed on (the
    rule reads the managed territories when evaluated; Odoo caches both)."""
    admin, employee = users["admin"], users["employee"]
    code = f"SCW{uuid.uuid4().hex[:6]}"
    territory = admin.call("sales.territory", "create", {"name": f"Scale {code}", "code": code})
    partner_id, row = _customer(users, territory_id=territory)
    read = _reader(employee, partner_id)
    on_every_worker(server, read, [], "before managing the territory")

    admin.call("sales.territory", "write", [territory], {"manager_id": users.uid("employee")})
    on_every_worker(server, read, row, "the territory's manager")

    admin.call("sales.territory", "write", [territory], {"manager_id": users.uid("manager")})
    on_every_worker(server, read, [], "the territory's former manager")


# ----------------------------------------------------------------------------
# The lapse cron twice at once (ARC-5)
# ----------------------------------------------------------------------------
def _lapsable_grants(users, sql, count=4):
    partners = [_customer(users)[0] for _ in range(count)]
    requests = [_request(users, [partner_id]) for partner_id in partners]
    users["gm"].call(MODEL, "action_approve", requests)
    assert users["employee"].call("res.partner", "search_count", [("id", "in", partners)]) == count
    _end_passed(sql, requests)
    return partners, requests


def _assert_lapsed_once(users, partners, requests):
    admin = users["admin"]
    rows = admin.call(MODEL, "read", requests, ["state"])
    assert {row["state"] for row in rows} == {"expired"}
    for request_id in requests:
        count = _notes(admin, [request_id], "Access lapsed")
        assert count == 1, f"request {request_id}: {count} lapse messages"
    assert users["employee"].call("res.partner", "search_count", [("id", "in", partners)]) == 0
    granted = admin.call("res.partner", "read", partners, ["archive_grant_user_ids"])
    assert not [row for row in granted if row["archive_grant_user_ids"]]


def test_lapse_cron_code_run_twice_at_once_lapses_each_grant_once(server, users, sql):
    """The cron's code run in two workers at the same moment (past ir.cron's job
    lock, as an administrator's server action beside the scheduler's run would):
    one lapses the grants, the other waits at their lock and finds nothing left;
    neither fails."""
    partners, requests = _lapsable_grants(users, sql)
    _cron, action_id = _lapse_cron(users["admin"])
    offset = _log_size(server)
    sessions = [users.own_connection("admin") for _ in range(2)]
    results = _at_once(
        [lambda s=s: s.call("ir.actions.server", "run", [action_id]) for s in sessions]
    )
    assert not [r for r in results if isinstance(r, xmlrpc.client.Fault)], results
    _assert_lapsed_once(users, partners, requests)
    _no_error_since(server, offset)


def test_lapse_by_the_cron_worker_and_by_hand_at_once(server, users, sql):
    """The cron worker runs the job while an administrator presses Run Manually:
    ir.cron's job lock lets one of them run it, the other is told it runs."""
    partners, requests = _lapsable_grants(users, sql)
    admin = users["admin"]
    cron_id, _action = _lapse_cron(admin)
    # wakes the cron worker now, as any trigger of the scheduler does
    trigger = admin.call(
        "ir.actions.server",
        "create",
        {
            "name": "Scale test: trigger the lapse cron",
            "model_id": admin.call("ir.model", "search", [("model", "=", MODEL)])[0],
            "state": "code",
            "code": f"env['ir.cron'].browse({cron_id})._trigger()",
        },
    )
    offset = _log_size(server)
    hand = users.own_connection("admin")
    results = _at_once(
        [
            lambda: admin.call("ir.actions.server", "run", [trigger]),
            lambda: hand.call("ir.cron", "method_direct_trigger", [cron_id]),
        ]
    )
    for result in results:
        assert result in (True, False) or "already executing" in str(result), result
    # the scheduler's run may start and end a moment after the manual one answered
    # (when it woke while the manual run held the job, it runs at its next poll,
    # and finds nothing left)
    job = re.compile(r"Job 'Sales Policy: lapse[^']*' \(\d+\) (starting|fully done|failed)")

    def settled():
        runs = collections.Counter(job.findall(_log(server, offset)))
        lapsing = admin.call(
            MODEL, "search_count", [("id", "in", requests), ("state", "=", "approved")]
        )
        return not lapsing and runs["starting"] and runs["starting"] == sum(runs.values()) / 2

    deadline = time.monotonic() + 60
    while not settled():
        assert time.monotonic() < deadline, _log(server, offset)[-3000:]
        time.sleep(0.2)
    assert "failed" not in job.findall(_log(server, offset))
    _assert_lapsed_once(users, partners, requests)
    _no_error_since(server, offset)
    admin.call("ir.actions.server", "unlink", [trigger])
    admin.call(
        "ir.cron.trigger",
        "unlink",
        admin.call("ir.cron.trigger", "search", [("cron_id", "=", cron_id)]),
    )


# ----------------------------------------------------------------------------
# Two decisions at once (APR-1, APR-3)
# ----------------------------------------------------------------------------
DECISIONS = {
    "approve": lambda s, rid: s.call(MODEL, "action_approve", [rid]),
    "reject": lambda s, rid: s.call(MODEL, "action_reject", [rid], reason="Not needed"),
}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("gm", "approve"), ("deputy", "approve")),
        (("gm", "approve"), ("gm", "approve")),
        (("gm", "approve"), ("deputy", "reject")),
    ],
    ids=["two-general-managers", "same-approver-twice", "approve-and-reject"],
)
def test_two_decisions_at_once_make_one(server, users, first, second):
    admin = users["admin"]
    partner_id, _row = _customer(users)
    request_id = _request(users, [partner_id])
    todo = [("res_model", "=", MODEL), ("res_id", "=", request_id)]
    activities = admin.call("mail.activity", "search_read", todo, fields=["user_id"])
    approvers = {a["user_id"][0] for a in activities}
    assert {users.uid("gm"), users.uid("deputy")} <= approvers, "each has the decision to-do"
    decision_type = admin.call("mail.activity", "read", [activities[0]["id"]], ["activity_type_id"])
    decision_type = decision_type[0]["activity_type_id"][0]

    offset = _log_size(server)
    sessions = [users.own_connection(login) for login, _action in (first, second)]
    results = _at_once(
        [
            lambda s=s, action=action: DECISIONS[action](s, request_id)
            for s, (_login, action) in zip(sessions, (first, second), strict=True)
        ]
    )
    decided = [r for r in results if r is True]
    refused = [r for r in results if isinstance(r, xmlrpc.client.Fault)]
    assert len(decided) == 1 and len(refused) == 1, results
    # refused as a decided request is: a UserError (XML-RPC fault 2), not a crash
    assert refused[0].faultCode == 2, refused[0]
    assert re.search(r"already approved|was rejected", refused[0].faultString), refused[0]

    (request,) = admin.call(MODEL, "read", [request_id], ["state", "decided_by_id"])
    assert request["state"] in ("approved", "rejected")
    assert (
        _notes(admin, [request_id], "Approved by") + _notes(admin, [request_id], "Rejected by") == 1
    )
    # one to-do marked done (the decider's), the other approvers' removed
    done = admin.call(
        "mail.message",
        "search_count",
        [
            ("model", "=", MODEL),
            ("res_id", "=", request_id),
            ("mail_activity_type_id", "=", decision_type),
        ],
    )
    assert done == 1
    assert not admin.call("mail.activity", "search", todo)
    # the second decision waited for the first at the request's lock, was retried
    # by Odoo and refused: no deadlock, no failed query logged as an error
    _no_error_since(server, offset)

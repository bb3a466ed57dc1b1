"""Read replica: every screen and every export of the addon served with ``--dev=replica``.

Odoo 19 serves read-only requests (search, read, read_group, ``@api.readonly``
methods, read-only routes) on ``--db_replica_host``; ``--dev=replica`` opens
them as read-only transactions of the one server, so that a write during a read
fails (``ReadOnlySqlTransaction``) instead of reaching a replica. Odoo then retries
on the primary and logs it: these tests fail on any such line, on any ERROR of the
server, and on an error dialog or danger notification in the browser.

A real streaming replica (a second PostgreSQL cluster) is ``bench/replica.py``.
``SDP_REPLICA_ROLES`` (comma-separated demo logins) narrows the browser walk.
"""

import base64
import os
import re
from pathlib import Path

import pytest
from webwalk import (
    CHROMIUM,
    XLSX_MAGIC,
    JsonSession,
    browser,
    requests_by_mode,
    server_problems,
    wait_for_log,
    walk,
)

#: the demo roles (password = login; admin/admin); SPEC roles: salesperson,
#: manager, general manager, finance, employee, GM assistant, production
ROLES = ("salesperson", "manager", "gm", "finance", "employee", "assistant", "production", "admin")


def _password(login):
    return "admin" if login == "admin" else login


@pytest.fixture(scope="module")
def replica_server(serve):
    with serve("--dev=replica", "--workers=0", "--max-cron-threads=0") as server:
        yield server


def _log_since(server, offset):
    return server.log.read_text()[offset:]


def test_every_menu_as_each_role_reads_read_only(replica_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"the walk runs in the system Chromium ({CHROMIUM})")
    roles = [r for r in os.environ.get("SDP_REPLICA_ROLES", ",".join(ROLES)).split(",") if r]
    offset = len(replica_server.log.read_text())
    problems, menus = [], {}
    with sync_api.sync_playwright() as playwright:
        chromium = browser(playwright)
        try:
            for role in roles:
                context = chromium.new_context(accept_downloads=True)
                try:
                    steps, found = walk(context, replica_server.url, role, _password(role))
                finally:
                    context.close()
                menus[role] = steps
                problems += [(role, menu, message) for menu, message in found]
        finally:
            chromium.close()
    assert not problems, "\n".join(f"{r} · {m}: {msg}" for r, m, msg in problems)
    for role, steps in menus.items():
        assert steps, f"{role} sees no Sales Policy menu"
    wait_for_log(replica_server.log, r"GET /sales_dept_policy/export/")
    log = _log_since(replica_server, offset)
    # Discuss marks a user's messages fetched from two requests at once (the chat
    # window and the bus): PostgreSQL refuses one update, which Odoo's retrying()
    # runs again; sql_db logs the refused query at ERROR. Odoo's own write, on the
    # primary, retried and served: not a read of the addon's.
    retried = ('UPDATE "discuss_channel_member"', "UPDATE discuss_channel_member")
    problems = server_problems(log, ignore=retried)
    assert not problems, "\n\n".join(problems)
    served = requests_by_mode(log)
    assert not [r for r in served if r[3] == "ro->rw"], "a read was retried on the primary"
    # the heavy read paths went to the replica: the VIS-4 progress, the QTA-4 analysis,
    # the exports' files
    for pattern in (
        r"/web/dataset/call_kw/sales\.activity\.progress/",
        r"/web/dataset/call_kw/sales\.target\.report/",
        r"/sales_dept_policy/export/",
    ):
        modes = {mode for _, path, _, mode in served if re.search(pattern, path)}
        assert modes <= {"ro"}, f"{pattern}: served {modes}"
        if "manager" in menus:  # the manager's walk reads them all
            assert modes, f"{pattern}: never served"
    if "manager" in menus:
        done = [done for _, _, done in menus["manager"]]
        assert sum(d.startswith("exported") for d in done) >= 7, done
        assert sum(d == "opened the first record" for d in done) >= 10, done


def _exports(session_of):
    """(login, model, values) of every export wizard (wizards/*export*), as a role
    that may use it; the trip claims of a trip of the salesperson's when there is one."""
    exports = [
        ("salesperson", "sales.activity.export.wizard", {"period": "week", "periods_back": 4}),
        ("manager", "sales.activity.export.wizard", {"period": "month", "periods_back": 12}),
        ("salesperson", "sales.target.export.wizard", {}),
        ("manager", "sales.target.export.wizard", {}),
        ("salesperson", "sales.expense.export.wizard", {}),
        ("salesperson", "sales.collection.export.wizard", {}),
        ("salesperson", "sales.balance.export.wizard", {"overdue_only": False}),
        ("finance", "sales.balance.export.wizard", {}),
        ("finance", "sales.finance.export.wizard", {}),
        ("manager", "sales.finance.export.wizard", {}),
        ("manager", "sales.assessment.export.wizard", {}),
        (
            "manager",
            "sales.trip.export.wizard",
            {"mode": "breaches", "date_from": "2020-01-01", "date_to": "2030-12-31"},
        ),
    ]
    trips = session_of("salesperson").call("sales.trip", "search", [], limit=2)
    if trips:
        exports.append(("salesperson", "sales.trip.export.wizard", {"trip_ids": [(6, 0, trips)]}))
    return exports


def test_every_export_over_rpc_makes_its_file_read_only(replica_server):
    sessions = {}

    def session_of(login):
        if login not in sessions:
            sessions[login] = JsonSession(
                replica_server.url, replica_server.db, login, _password(login)
            )
        return sessions[login]

    offset = len(replica_server.log.read_text())
    downloads = []
    for login, model, values in _exports(session_of):
        session = session_of(login)
        wizard_id = session.call(model, "create", values)
        action = session.button(model, "action_export", [wizard_id])
        assert action["type"] == "ir.actions.act_url", (login, model, action)
        assert action["url"].startswith(f"/sales_dept_policy/export/{model}/{wizard_id}/")
        response = session.get(action["url"])
        assert response.content[:4] == XLSX_MAGIC, (login, model)
        assert "attachment" in response.headers["Content-Disposition"]
        # an RPC client reads the same file on the wizard, as read-only
        [record] = session.call(model, "read", [wizard_id], ["file_data", "file_name"])
        assert base64.b64decode(record["file_data"])[:4] == XLSX_MAGIC
        assert record["file_name"].endswith(".xlsx")
        downloads.append(action["url"].split("?")[0])
    assert wait_for_log(replica_server.log, re.escape(downloads[-1]))
    wait_for_log(replica_server.log, r"call_kw/[^ ]*/read ", timeout=2)
    log = _log_since(replica_server, offset)
    # Discuss marks a user's messages fetched from two requests at once (the chat
    # window and the bus): PostgreSQL refuses one update, which Odoo's retrying()
    # runs again; sql_db logs the refused query at ERROR. Odoo's own write, on the
    # primary, retried and served: not a read of the addon's.
    retried = ('UPDATE "discuss_channel_member"', "UPDATE discuss_channel_member")
    problems = server_problems(log, ignore=retried)
    assert not problems, "\n\n".join(problems)
    served = requests_by_mode(log)
    for url in downloads:
        modes = [mode for _, path, _, mode in served if path.split("?")[0] == url]
        assert modes == ["ro"], f"{url}: served {modes}"
    reads = [mode for _, path, _, mode in served if re.search(r"/call_kw/[^/]+/read\b", path)]
    assert reads and set(reads) == {"ro"}, reads
    # asking for the export is a button: read/write, on the primary, and it is all
    assert {mode for _, path, _, mode in served if "action_export" in path} == {"rw"}

"""BUD-1..3 over XML-RPC with the demo logins: the demo's trip over budget waits for
the general manager, who alone approves it; a salesperson reads their own budget
and expense report only."""

import xmlrpc.client

import pytest

pytestmark = pytest.mark.e2e


def test_trip_over_budget_waits_for_the_general_manager(login):
    manager, gm, senior, sp = login("manager"), login("gm"), login("senior"), login("salesperson")
    (trip,) = gm.call(
        "sales.trip",
        "search_read",
        [("destination", "=", "广州市"), ("state", "=", "submitted")],
        fields=["approval_step", "reviewed_by_id", "budget_overrun", "budget_needs_gm"],
    )
    # the manager approved their step; the overrun is shown to the general manager
    assert trip["approval_step"] == "general_manager"
    assert trip["reviewed_by_id"][0] == manager.uid
    assert trip["budget_overrun"] > 0 and trip["budget_needs_gm"]
    for user in (manager, senior):
        with pytest.raises(xmlrpc.client.Fault):
            user.call("sales.trip", "action_approve", [trip["id"]])
    gm.call("sales.trip", "action_approve", [trip["id"]])
    ((state, committed),) = [
        (t["state"], t["budget_committed"])
        for t in senior.call(
            "sales.trip", "read", [trip["id"]], fields=["state", "budget_committed"]
        )
    ]
    assert state == "approved" and committed > 0

    # BUD-3: the salesperson's own report and budget, never a colleague's
    rows = senior.call("sales.expense.report", "search_read", [], fields=["user_id", "committed"])
    assert rows and {row["user_id"][0] for row in rows} == {senior.uid}
    assert sum(row["committed"] for row in rows) >= committed
    budgets = sp.call("sales.expense.budget", "search_read", [], fields=["user_id", "state"])
    assert budgets and {b["user_id"][0] for b in budgets} == {sp.uid}
    assert all(b["state"] == "approved" for b in budgets)


def test_claim_over_budget_waits_for_the_general_manager(login):
    manager, gm = login("manager"), login("gm")
    (claim,) = gm.call(
        "hr.expense",
        "search_read",
        [("name", "like", "宴请"), ("state", "=", "submitted")],
        fields=["budget_reviewed_by_id", "budget_overrun", "can_approve"],
    )
    assert claim["budget_reviewed_by_id"][0] == manager.uid
    assert claim["budget_overrun"] > 0 and claim["can_approve"]
    with pytest.raises(xmlrpc.client.Fault, match="BUD-2"):
        manager.call("hr.expense", "write", [claim["id"]], {"approval_state": "approved"})
    gm.call("hr.expense", "action_approve", [claim["id"]])
    ((state,),) = [
        (c["approval_state"],)
        for c in gm.call("hr.expense", "read", [claim["id"]], fields=["approval_state"])
    ]
    assert state == "approved"

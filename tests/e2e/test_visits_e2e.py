"""VIS-1..4 over XML-RPC with the demo logins: a salesperson plans a visit, reports
it, submits it; the manager reviews it; it counts in the salesperson's progress."""

import xmlrpc.client
from datetime import UTC, datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e


def test_visit_reported_reviewed_and_counted(login):
    sp, manager = login("salesperson"), login("manager")
    (customer,) = sp.call("res.partner", "search", [("name", "=", "南宁恒达建材有限公司")])
    (other,) = manager.call("res.partner", "search", [("name", "=", "桂林明辉房地产开发有限公司")])

    def progress():
        rows = sp.call(
            "sales.activity.progress",
            "search_read",
            [("kind", "=", "info"), ("period", "=", "week"), ("periods_ago", "=", 0)],
            fields=["done", "target", "user_id"],
        )
        assert len(rows) == 1 and rows[0]["user_id"][0] == sp.uid
        return rows[0]

    before = progress()
    # a customer of another salesperson is refused (archive rules)
    with pytest.raises(xmlrpc.client.Fault):
        sp.call(
            "sales.visit",
            "create",
            {"partner_id": other, "kind": "info", "purpose": "Cold call"},
        )
    visit_id = sp.call(
        "sales.visit",
        "create",
        {
            "partner_id": customer,
            "kind": "info",
            "purpose": "Find the project purchasing lead",
            "date_planned": (
                datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=5)
            ).strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    with pytest.raises(xmlrpc.client.Fault, match="Outcome"):
        sp.call("sales.visit", "action_done", [visit_id])
    # the customer's switchboard is not a direct line
    sp.call(
        "sales.visit",
        "write",
        [visit_id],
        {
            "outcome": "Met the lead",
            "contact_name": "吴经理",
            "contact_phone": "+86 771 555 0101",
        },
    )
    sp.call("sales.visit", "action_done", [visit_id])
    (visit,) = sp.call("sales.visit", "read", [visit_id], fields=["is_effective", "state"])
    assert visit == {"id": visit_id, "is_effective": False, "state": "done"}
    sp.call("sales.visit", "write", [visit_id], {"contact_phone": "139 1234 5678"})
    (visit,) = sp.call("sales.visit", "read", [visit_id], fields=["is_effective"])
    assert visit["is_effective"]
    sp.call("sales.visit", "action_submit", [visit_id])
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        sp.call("sales.visit", "action_review", [visit_id], comment="Self-review")
    manager.call("sales.visit", "action_review", [visit_id], comment="Good lead, call back")
    (visit,) = sp.call("sales.visit", "read", [visit_id], fields=["state", "review_comment"])
    assert visit["state"] == "reviewed"
    assert progress()["done"] == before["done"] + 1


def _now_minus(minutes):
    return (datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=minutes)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


def test_qq_only_contact_counts(login):
    """VIS-3: a named contact with only a QQ number is a direct contact."""
    sp = login("salesperson")
    (customer,) = sp.call("res.partner", "search", [("name", "=", "南宁恒达建材有限公司")])
    visit_id = sp.call(
        "sales.visit",
        "create",
        {
            "partner_id": customer,
            "kind": "info",
            "purpose": "Find the marketing lead",
            "date_planned": _now_minus(5),
            "outcome": "Found her",
            "contact_name": "陈女士",
        },
    )
    with pytest.raises(xmlrpc.client.Fault, match="VIS-3"):
        sp.call("sales.visit", "write", [visit_id], {"contact_qq": "1234"})
    sp.call("sales.visit", "action_done", [visit_id])
    (visit,) = sp.call("sales.visit", "read", [visit_id], fields=["is_effective"])
    assert not visit["is_effective"]
    sp.call("sales.visit", "write", [visit_id], {"contact_qq": "20480963"})
    (visit,) = sp.call("sales.visit", "read", [visit_id], fields=["is_effective"])
    assert visit["is_effective"]


def test_out_of_territory_visit_approved_then_done(login):
    """TER-3: Li Wei's visit in Fangchenggang (Guangxi, not his territory) is done only
    once a sales manager approved it; he cannot approve it himself (APR-4)."""
    sp, manager = login("salesperson"), login("manager")
    (customer,) = sp.call("res.partner", "search", [("city", "=", "防城港市")], limit=1)
    visit_id = sp.call(
        "sales.visit",
        "create",
        {
            "partner_id": customer,
            "kind": "onsite",
            "purpose": "Meet the new project manager",
            "customer_requested": True,
            "outcome": "Agreed on the samples",
            "date_planned": _now_minus(5),
        },
    )
    (visit,) = sp.call("sales.visit", "read", [visit_id], fields=["out_of_territory"])
    assert visit["out_of_territory"]
    with pytest.raises(xmlrpc.client.Fault, match="TER-3"):
        sp.call("sales.visit", "action_done", [visit_id])
    with pytest.raises(xmlrpc.client.Fault, match="APR-5"):
        sp.call("sales.visit", "write", [visit_id], {"territory_approved_by_id": manager.uid})
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        sp.call(
            "sales.visit",
            "action_approve_out_of_territory",
            [visit_id],
            context={"sales_visit_transition": True},
        )
    sp.call("sales.visit", "action_request_territory_approval", [visit_id])
    todos = manager.call(
        "mail.activity",
        "search_read",
        [("res_model", "=", "sales.visit"), ("res_id", "=", visit_id)],
        fields=["user_id"],
    )
    assert manager.uid in {todo["user_id"][0] for todo in todos}
    manager.call("sales.visit", "action_approve_out_of_territory", [visit_id])
    sp.call("sales.visit", "action_done", [visit_id])
    (visit,) = sp.call(
        "sales.visit", "read", [visit_id], fields=["state", "territory_approved_by_id"]
    )
    assert visit["state"] == "done"
    assert visit["territory_approved_by_id"][0] == manager.uid

"""ASM-1..3 over XML-RPC with the demo logins: a salesperson reads their approved
scorecards only, the general manager approves the one waiting, the managers see the
champions."""

import xmlrpc.client

import pytest

pytestmark = pytest.mark.e2e

SCORES = ["score_sales", "score_collection", "score_profit", "score_shipment", "score_activity"]


def test_scorecard_read_by_its_salesperson_approved_by_the_gm(login):
    sp, senior, manager, gm = (
        login("salesperson"),
        login("senior"),
        login("manager"),
        login("gm"),
    )
    # the scorecard's views open for the salesperson
    views = sp.call("sales.assessment", "get_views", [[False, "form"], [False, "list"]])
    assert "form" in views["views"]

    mine = sp.call(
        "sales.assessment",
        "search_read",
        [],
        fields=["user_id", "state", "total_score", "grade", "sales_signed", *SCORES],
    )
    # approved and their own only: the drafted and submitted months are not shown
    assert mine, "the demo has approved assessments of Li Wei"
    assert {row["user_id"][0] for row in mine} == {sp.uid}
    assert {row["state"] for row in mine} == {"approved"}
    assert all(row["grade"] in ("S", "A", "B", "C") for row in mine)

    # another salesperson's are never read
    assert not senior.call("sales.assessment", "search", [("user_id", "=", sp.uid)])
    with pytest.raises(xmlrpc.client.Fault):
        senior.call("sales.assessment", "read", [mine[0]["id"]], ["total_score"])
    with pytest.raises(xmlrpc.client.Fault):
        sp.call("sales.assessment.ranking", "search", [])

    # the general manager approves what the sales manager submitted
    (waiting,) = gm.call(
        "sales.assessment", "search", [("state", "=", "submitted"), ("user_id", "=", sp.uid)]
    )
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        manager.call("sales.assessment", "action_approve", [waiting])
    with pytest.raises(xmlrpc.client.Fault):
        sp.call("sales.assessment", "write", [waiting], {"manager_adjustment": 10})
    gm.call("sales.assessment", "action_approve", [waiting])
    after = sp.call("sales.assessment", "search", [])
    assert waiting in after and len(after) == len(mine) + 1

    # the champions, for the managers
    champions = manager.call(
        "sales.assessment.ranking",
        "search_read",
        [("is_champion", "=", True), ("period", "=", "year")],
        fields=["user_id", "rank", "signed"],
    )
    assert champions and all(row["rank"] == 1 for row in champions)

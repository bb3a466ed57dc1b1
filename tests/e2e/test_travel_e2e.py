"""TRV-1, TRV-6, TRV-13 over XML-RPC with the demo logins: a trip requested,
approved by the manager, claimed in Expenses, capped and approved."""

import xmlrpc.client
from datetime import datetime, timedelta

import pytest

pytestmark = pytest.mark.e2e


def _product(session, code):
    (product_id,) = session.call("product.product", "search", [("default_code", "=", code)])
    return product_id


def test_trip_claim_capped_to_the_standard(login, budget_missing_allowed):
    sp, manager = login("salesperson"), login("manager")
    start = (datetime.now() + timedelta(days=30)).replace(hour=2, minute=0, second=0)
    trip_id = sp.call(
        "sales.trip",
        "create",
        {
            "destination": "Ningbo",
            "purpose": "Site visit with the developer",
            "planned_departure": start.strftime("%Y-%m-%d %H:%M:%S"),
            "planned_return": (start + timedelta(days=2, hours=12)).strftime("%Y-%m-%d %H:%M:%S"),
        },
    )
    sp.call("sales.trip", "action_submit", [trip_id])
    # the traveller never approves their own trip (TRV-1, APR-4)
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        sp.call("sales.trip", "action_approve", [trip_id])
    manager.call("sales.trip", "action_approve", [trip_id])
    (trip,) = sp.call(
        "sales.trip",
        "read",
        [trip_id],
        fields=["state", "trip_days", "per_diem_days", "travel_level_id", "employee_id"],
    )
    assert trip["state"] == "approved"
    # leaves before noon, back after noon two days later, in UTC as in Shanghai: 1 + 1 + 1
    assert trip["trip_days"] == 3.0
    assert trip["per_diem_days"] == 3.0

    lodging = _product(sp, "TRV-LODGING")
    expense_id = sp.call(
        "hr.expense",
        "create",
        {
            "name": "Hotel Ningbo, 2 nights",
            "employee_id": trip["employee_id"][0],
            "product_id": lodging,
            "trip_id": trip_id,
            "nights": 2,
            "total_amount_currency": 150.0,
            "tax_ids": [(6, 0, [])],
            "date": start.strftime("%Y-%m-%d"),
        },
    )
    (line,) = sp.call(
        "hr.expense",
        "read",
        [expense_id],
        fields=["policy_amount", "policy_rule", "policy_exceeded", "travel_kind"],
    )
    # staff: 60 a night (TRV-6)
    assert (line["policy_amount"], line["policy_rule"]) == (120.0, "TRV-6")
    assert line["policy_exceeded"] and line["travel_kind"] == "lodging"
    sp.call("hr.expense", "action_submit", [expense_id])
    with pytest.raises(xmlrpc.client.Fault, match="TRV-13"):
        manager.call("hr.expense", "action_approve", [expense_id])
    with pytest.raises(xmlrpc.client.Fault, match="TRV-13"):
        sp.call("hr.expense", "action_policy_cap", [expense_id])
    manager.call("hr.expense", "action_policy_cap", [expense_id])
    manager.call("hr.expense", "action_approve", [expense_id])
    (line,) = sp.call("hr.expense", "read", [expense_id], fields=["total_amount", "approval_state"])
    assert (line["total_amount"], line["approval_state"]) == (120.0, "approved")

"""ARC-3..6 and APR over XML-RPC with the demo logins."""

import datetime
import xmlrpc.client

import pytest

pytestmark = pytest.mark.e2e

CUSTOMER = "柳州东海园林集团"  # a customer of the senior salesperson (demo)


def _names(session, domain):
    return sorted(
        r["name"] for r in session.call("res.partner", "search_read", domain, fields=["name"])
    )


def test_salesperson_reads_own_customers_only(login):
    sp = login("salesperson")
    names = _names(sp, [("customer_archive", "=", True), ("is_company", "=", True)])
    assert names == sorted(
        [
            "钦州保利厨卫有限公司",
            "防城港光明市政工程有限公司",
            "南宁恒达建材有限公司",
            "北海华夏装饰工程有限公司",
            "南宁金石石材贸易有限公司",
        ]
    )
    # the contacts under them come along; another's customer does not
    assert "覃志刚" in _names(sp, [("parent_id.name", "=", "南宁恒达建材有限公司")])
    assert _names(sp, [("name", "=", CUSTOMER)]) == []
    # users stay visible for pickers and chatter
    assert sp.call("res.users", "search_count", [("login", "=", "gm")]) == 1


def test_salesperson_cannot_export_own_customers(login):
    sp = login("salesperson")
    ids = sp.call("res.partner", "search", [("customer_archive", "=", True)], limit=2)
    assert ids
    with pytest.raises(xmlrpc.client.Fault, match="ARC-6"):
        sp.call("res.partner", "export_data", ids, ["name", "phone"])


def test_reader_reads_and_exports_all(login):
    finance = login("finance")
    ids = finance.call(
        "res.partner", "search", [("customer_archive", "=", True), ("is_company", "=", True)]
    )
    assert len(ids) >= 12
    rows = finance.call("res.partner", "export_data", ids, ["name"])["datas"]
    assert CUSTOMER in {row[0] for row in rows}
    with pytest.raises(xmlrpc.client.Fault):
        finance.call("res.partner", "write", ids[:1], {"comment": "finance edit"})


def test_employee_requests_access_and_reads_after_approval(login):
    employee = login("employee")
    gm = login("gm")
    assert _names(employee, [("customer_archive", "=", True)]) == []

    # name the customer without reading it (ARC-5)
    found = employee.call(
        "res.partner", "name_search", "东海园", context={"sales_archive_request_pick": True}
    )
    # the picker shows what ARC-5 needs to tell customers apart: name and city
    assert [name for _id, name in found] == [f"{CUSTOMER} (柳州市)"]
    partner_id = found[0][0]
    with pytest.raises(xmlrpc.client.Fault):
        employee.call("res.partner", "read", [partner_id], ["phone"])

    end = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    request_id = employee.call(
        "sales.archive.access.request",
        "create",
        {"partner_ids": [(6, 0, [partner_id])], "reason": "Site survey", "date_end": end},
    )
    employee.call("sales.archive.access.request", "action_submit", [request_id])

    # the requester cannot approve; the general manager can, once
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        employee.call("sales.archive.access.request", "action_approve", [request_id])
    gm.call("sales.archive.access.request", "action_approve", [request_id])
    with pytest.raises(xmlrpc.client.Fault, match="already approved"):
        gm.call("sales.archive.access.request", "action_approve", [request_id])

    (request,) = employee.call(
        "sales.archive.access.request",
        "read",
        [request_id],
        ["state", "decided_by_id", "partner_names"],
    )
    assert request["state"] == "approved"
    assert request["decided_by_id"][1] == "刘洋"
    assert request["partner_names"] == CUSTOMER
    (partner,) = employee.call("res.partner", "read", [partner_id], ["name", "phone"])
    assert partner["name"] == CUSTOMER
    assert partner["phone"] == "+86 772 555 0105"
    # read, not write, and still no export
    with pytest.raises(xmlrpc.client.Fault):
        employee.call("res.partner", "write", [partner_id], {"comment": "x"})
    with pytest.raises(xmlrpc.client.Fault, match="ARC-6"):
        employee.call("res.partner", "export_data", [partner_id], ["name"])
    # the approved request is kept and locked
    with pytest.raises(xmlrpc.client.Fault, match="locked"):
        employee.call(
            "sales.archive.access.request", "write", [request_id], {"date_end": "2099-01-01"}
        )
    with pytest.raises(xmlrpc.client.Fault, match="APR-3"):
        gm.call("sales.archive.access.request", "unlink", [request_id])


def test_reject_needs_reason(login):
    employee = login("employee")
    gm = login("gm")
    found = employee.call(
        "res.partner", "name_search", "龙腾建", context={"sales_archive_request_pick": True}
    )
    request_id = employee.call(
        "sales.archive.access.request",
        "create",
        {"partner_ids": [(6, 0, [found[0][0]])], "reason": "Curiosity"},
    )
    employee.call("sales.archive.access.request", "action_submit", [request_id])
    with pytest.raises(xmlrpc.client.Fault, match="reason"):
        gm.call("sales.archive.access.request", "action_reject", [request_id], reason=" ")
    gm.call("sales.archive.access.request", "action_reject", [request_id], reason="Not needed")
    (request,) = employee.call(
        "sales.archive.access.request", "read", [request_id], ["state", "reject_reason"]
    )
    assert request == {"id": request_id, "state": "rejected", "reject_reason": "Not needed"}
    assert _names(employee, [("name", "=", "玉林龙腾建设集团")]) == []

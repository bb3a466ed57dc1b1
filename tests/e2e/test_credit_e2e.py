"""CRD-2..5 over XML-RPC with the demo logins."""

import xmlrpc.client

import pytest

pytestmark = pytest.mark.e2e


def _partner(session, name):
    (partner_id,) = session.call("res.partner", "search", [("name", "=", name)])
    return partner_id


def _product(session, name):
    (product_id,) = session.call("product.product", "search", [("name", "=", name)])
    return product_id


def test_salesperson_order_for_grade_c_customer(login):
    sp = login("salesperson")
    customer = _partner(sp, "南宁金石石材贸易有限公司")
    (grade,) = sp.call(
        "sales.credit.grade", "search_read", [("code", "=", "C")], fields=["payment_term_id"]
    )
    order_id = sp.call(
        "sale.order",
        "create",
        {
            "partner_id": customer,
            "order_line": [
                (0, 0, {"product_id": _product(sp, "Marble Tile 60x60"), "product_uom_qty": 10})
            ],
        },
    )
    # the salesperson cannot bend the terms (CRD-3)
    other_term = sp.call(
        "account.payment.term", "search", [("id", "!=", grade["payment_term_id"][0])], limit=1
    )
    with pytest.raises(xmlrpc.client.Fault, match="CRD-3"):
        sp.call("sale.order", "write", [order_id], {"payment_term_id": other_term[0]})
    sp.call("sale.order", "action_confirm", [order_id])
    (order,) = sp.call(
        "sale.order",
        "read",
        [order_id],
        [
            "state",
            "payment_term_id",
            "prepayment_percent",
            "require_payment",
            "credit_grade_id",
            "awaiting_deposit",
            "amount_total",
            "deviation_state",
        ],
    )
    assert order["state"] == "sale"
    assert order["payment_term_id"][0] == grade["payment_term_id"][0]
    assert order["require_payment"] is True
    assert order["prepayment_percent"] == pytest.approx(0.30)
    assert order["credit_grade_id"][1].startswith("C")
    assert order["awaiting_deposit"] is True
    assert order["amount_total"] == pytest.approx(950.0)
    assert order["deviation_state"] == "none"


def test_ungraded_customer_refused(login):
    sp = login("salesperson")
    customer = _partner(sp, "防城港光明市政工程有限公司")
    order_id = sp.call(
        "sale.order",
        "create",
        {
            "partner_id": customer,
            "order_line": [
                (0, 0, {"product_id": _product(sp, "Marble Tile 60x60"), "product_uom_qty": 1})
            ],
        },
    )
    with pytest.raises(xmlrpc.client.Fault, match="CRD-2"):
        sp.call("sale.order", "action_confirm", [order_id])
    with pytest.raises(xmlrpc.client.Fault, match="CRD-6"):
        sp.call("res.partner", "write", [customer], {"credit_grade_id": 1})


def test_price_cut_needs_manager(login):
    sp = login("salesperson")
    manager = login("manager")
    order_id = sp.call(
        "sale.order",
        "create",
        {
            "partner_id": _partner(sp, "钦州保利厨卫有限公司"),
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": _product(sp, "Granite Slab 30 mm"),
                        "product_uom_qty": 2,
                        "price_unit": 400.0,
                    },
                )
            ],
        },
    )
    with pytest.raises(xmlrpc.client.Fault, match="CRD-5"):
        sp.call("sale.order", "action_confirm", [order_id])
    sp.call("sale.order", "action_request_deviation_approval", [order_id])
    (order,) = sp.call("sale.order", "read", [order_id], ["deviation_ids", "deviation_state"])
    assert order["deviation_state"] == "submitted"
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        sp.call("sales.order.deviation", "action_approve", order["deviation_ids"])
    manager.call("sales.order.deviation", "action_approve", order["deviation_ids"])
    # CRD-5: the sales manager's review, then the general manager's (or a deputy's) approval
    with pytest.raises(xmlrpc.client.Fault, match="CRD-5"):
        sp.call("sale.order", "action_confirm", [order_id])
    login("deputy").call("sales.order.deviation", "action_approve", order["deviation_ids"])
    sp.call("sale.order", "action_confirm", [order_id])
    (order,) = sp.call("sale.order", "read", [order_id], ["state", "deviation_state"])
    assert order == {"id": order_id, "state": "sale", "deviation_state": "approved"}

"""ORD-1..6 over XML-RPC with the demo logins: one order from quotation to delivery,
each role doing its part, and what each is refused."""

import xmlrpc.client
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e


def _one(session, model, domain):
    (record_id,) = session.call(model, "search", domain)
    return record_id


def test_order_from_confirmation_to_delivery_by_every_role(login):
    sp, manager = login("salesperson"), login("manager")
    finance, production = login("finance"), login("production")
    order_id = sp.call(
        "sale.order",
        "create",
        {
            "partner_id": _one(sp, "res.partner", [("name", "=", "南宁金石石材贸易有限公司")]),
            "contract_kind": "phone_fax",
            "order_line": [
                (
                    0,
                    0,
                    {
                        "product_id": _one(
                            sp, "product.product", [("name", "=", "Marble Tile 60x60")]
                        ),
                        "product_uom_qty": 12,
                    },
                )
            ],
        },
    )
    sp.call("sale.order", "action_confirm", [order_id])
    # ORD-3: production and finance each got a to-do on the order
    todos = finance.call(
        "mail.activity",
        "search_read",
        [("res_model", "=", "sale.order"), ("res_id", "=", order_id)],
        fields=["user_id"],
    )
    assert {t["user_id"][1] for t in todos} >= {"赵丽", "周强"}

    (picking_id,) = production.call("stock.picking", "search", [("sale_id", "=", order_id)])
    move_ids = production.call("stock.move", "search", [("picking_id", "=", picking_id)])
    production.call("stock.move", "write", move_ids, {"quantity": 12})
    ctx = {"skip_sms": True}
    # ORD-4: neither the contract nor the deposit: refused, naming both
    with pytest.raises(xmlrpc.client.Fault, match="ORD-4") as refused:
        production.call("stock.picking", "button_validate", [picking_id], context=ctx)
    assert "contract review" in refused.value.faultString
    assert "deposit" in refused.value.faultString

    # ORD-2: the salesperson asks, cannot decide; the sales manager approves
    action = sp.call("sale.order", "action_request_contract_review", [order_id])
    review_id = action["res_id"]
    sp.call("sales.contract.review", "action_submit", [review_id])
    with pytest.raises(xmlrpc.client.Fault, match="APR-4"):
        sp.call("sales.contract.review", "action_approve", [review_id])
    manager.call("sales.contract.review", "action_approve", [review_id])
    with pytest.raises(xmlrpc.client.Fault, match="deposit"):
        production.call("stock.picking", "button_validate", [picking_id], context=ctx)

    # ORD-4: only finance releases before the deposit, with a reason
    for refused_user in (sp, manager, production):
        with pytest.raises(xmlrpc.client.Fault):
            refused_user.call(
                "stock.picking", "write", [picking_id], {"deposit_release_reason": "forged"}
            )
    finance.call(
        "stock.picking", "write", [picking_id], {"deposit_release_reason": "Cash at the gate"}
    )
    (order,) = sp.call(
        "sale.order",
        "read",
        [order_id],
        ["production_status", "production_released", "deposit_release_reason"],
    )
    assert order["production_status"] == "released"
    assert order["production_released"] is True
    assert order["deposit_release_reason"] == "Cash at the gate"

    production.call("stock.picking", "button_validate", [picking_id], context=ctx)
    (picking,) = production.call("stock.picking", "read", [picking_id], ["state", "date_done"])
    assert picking["state"] == "done"

    # ORD-5: grade C, the balance 14 days after the arrival the salesperson records
    (order,) = sp.call("sale.order", "read", [order_id], ["balance_due_date"])
    assert order["balance_due_date"] is False
    # received today, in the company's days (the demo company's time zone,
    # Asia/Shanghai)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    sp.call("stock.picking", "write", [picking_id], {"received_on": today.isoformat()})
    (order,) = sp.call("sale.order", "read", [order_id], ["balance_due_date", "balance_residual"])
    assert order["balance_due_date"] == (today + timedelta(days=14)).isoformat()
    assert order["balance_residual"] == pytest.approx(12 * 95.0)

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, models


class SalesPolicyDemo(models.AbstractModel):
    """The demo database's history, made by the roles themselves through the same
    methods the web client calls (demo data only: called from ``demo/`` files)."""

    _name = "sales.policy.demo"
    _description = "Sales Policy Demo Data"

    @api.model
    def _ref(self, name):
        return self.env.ref(f"sales_dept_policy.{name}")

    @api.model
    def _demo_order(self, partner, product, qty, kind):
        partner = self._ref(partner)
        salesperson = partner.user_id or self._ref("user_salesperson_demo")
        order = (
            self.env["sale.order"]
            .with_user(salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": salesperson.id,
                    "contract_kind": kind,
                    "order_line": [
                        Command.create(
                            {"product_id": self._ref(product).id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )
        order.with_user(salesperson).action_confirm()
        return order

    @api.model
    def _demo_review(self, order, approve=True, attach=False):
        salesperson = order.user_id
        action = order.with_user(salesperson).action_request_contract_review()
        review = self.env["sales.contract.review"].browse(action["res_id"])
        if attach:
            attachment = (
                self.env["ir.attachment"]
                .with_user(salesperson)
                .create(
                    {
                        "name": f"{order.name} signed contract.pdf",
                        "datas": base64.b64encode(b"%PDF-1.4 demo signed contract"),
                        "res_model": "sales.contract.review",
                        "res_id": review.id,
                    }
                )
            )
            review.with_user(salesperson).attachment_ids = [Command.link(attachment.id)]
        review.with_user(salesperson).action_submit()
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        first = manager if salesperson != manager else gm
        review.with_user(first).action_approve()
        if approve and review.state == "submitted":
            second = gm if first != gm else self._ref("user_deputy_demo")
            review.with_user(second).action_approve()
        return review

    @api.model
    def _demo_invoice_and_pay(self, order, down_payment=False, amount=None):
        finance = self._ref("user_finance_demo")
        if down_payment:
            wizard = (
                self.env["sale.advance.payment.inv"]
                .with_context(active_model="sale.order", active_ids=order.ids)
                .create({"advance_payment_method": "percentage", "amount": 30})
            )
            wizard.create_invoices()
            invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        else:
            invoice = order._create_invoices(final=True)
        invoice.with_user(finance).action_post()
        if amount is not False:
            self.env["account.payment.register"].with_user(finance).with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({"amount": amount or invoice.amount_residual}).action_create_payments()
        return invoice

    @api.model
    def _demo_deliver(self, order, days_ago, received_days_ago=None):
        production = self._ref("user_production_demo")
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        # the SMS confirmation dialog of stock_sms is a question for a person
        picking.with_user(production).with_context(skip_sms=True).button_validate()
        tz = pytz.timezone(order._policy_tz())
        today = order._policy_today()
        sent = tz.localize(datetime.combine(today - timedelta(days=days_ago), time(10, 0)))
        picking.date_done = sent.astimezone(pytz.utc).replace(tzinfo=None)
        if received_days_ago is not None:
            picking.with_user(order.user_id).received_on = today - timedelta(days=received_days_ago)
        return picking

    @api.model
    def _create_order_to_cash_demo(self):
        """ORD-1..6: orders in each state from the contract to the last payment."""
        finance = self._ref("user_finance_demo")
        # ORD-1: a formal contract reviewed by the manager, waiting for the GM office
        hengda = self._ref("sale_order_hengda_demo")
        hengda.with_user(hengda.user_id).contract_kind = "contract"
        self._demo_review(hengda, approve=False, attach=True)
        # ORD-4: contract approved, the deposit not in: the delivery is held
        jinshi = self._ref("sale_order_jinshi_demo")
        jinshi.with_user(jinshi.user_id).contract_kind = "phone_fax"
        self._demo_review(jinshi)
        # ORD-4: released by finance before the deposit, ready to deliver
        minghui = self._demo_order(
            "partner_minghui_demo", "product_marble_tile_demo", 150, "phone_fax"
        )
        self._demo_review(minghui)
        minghui.with_user(finance)._release_deposit(
            "Bank acceptance bill for the deposit received; booked when it clears."
        )
        # ORD-5: delivered, the balance due by the grade: A on dispatch (today), B on
        # arrival (received today), C 14 days after arrival (received 5 days ago)
        due = [
            ("partner_xinhua_demo", "product_granite_slab_demo", 25, 0, None),
            ("partner_donghai_demo", "product_marble_tile_demo", 200, 2, 0),
            ("partner_tianyu_demo", "product_granite_slab_demo", 18, 8, 5),
            # ORD-6: overdue (received 30 days ago, due 16 days ago), with its to-do
            ("partner_longteng_demo", "product_granite_slab_demo", 35, 33, 30),
            # ORD-6: paid to the last yuan
            ("partner_yongxin_demo", "product_marble_tile_demo", 90, 20, 18),
        ]
        for partner, product, qty, sent, received in due:
            order = self._demo_order(partner, product, qty, "no_contract")
            self._demo_review(order)
            self._demo_invoice_and_pay(order, down_payment=True)
            self._demo_deliver(order, sent, received)
            paid = partner == "partner_yongxin_demo"
            self._demo_invoice_and_pay(order, amount=None if paid else False)
        self.env["sale.order"]._cron_balance_followup()

    @api.model
    def _create_assessment_demo(self):
        """ASM-1..3: placeholder."""

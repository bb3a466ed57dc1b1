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

    # ------------------------------------------------------------------
    # BUD-1..3: expense budgets, what consumes them, a trip over budget
    # ------------------------------------------------------------------
    @api.model
    def _demo_budget(self, setter, user, year, amounts, approver=None):
        """A budget set by ``setter`` (a sales manager) with ``amounts`` a month by kind,
        submitted, and approved by ``approver`` when given."""
        budget = (
            self.env["sales.expense.budget"]
            .with_user(setter)
            .create({"user_id": user.id, "year": year})
        )
        for kind, amount in amounts.items():
            budget.line_ids.filtered(lambda ln, k=kind: ln.kind == k).with_user(setter).write(
                {"amount": amount}
            )
        budget.with_user(setter).action_submit()
        if approver:
            budget.with_user(approver).action_approve()
        return budget

    @api.model
    def _demo_claim(self, user, product, amount, day, name):
        """A claim of ``user``'s, submitted, and approved by their manager."""
        expense = (
            self.env["hr.expense"]
            .with_user(user)
            .create(
                {
                    "name": name,
                    "employee_id": user.employee_id.id,
                    "product_id": product.id,
                    "total_amount_currency": amount,
                    "date": day,
                    "payment_mode": "own_account",
                }
            )
        )
        expense.with_user(user).action_submit()
        return expense

    @api.model
    def _demo_local(self, day, hour):
        """``day`` at ``hour`` in Shanghai, as the database keeps it (UTC)."""
        tz = pytz.timezone("Asia/Shanghai")
        moment = tz.localize(datetime.combine(day, time(hour, 0)))
        return moment.astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _create_expense_budget_demo(self):
        """BUD-1..3: this year's approved budgets of the salespeople, trips and claims
        consuming them, one trip over budget waiting for the general manager, one
        claim over budget too, and the sales manager's own budget waiting for the
        general manager's approval."""
        manager, gm = self._ref("user_manager_demo"), self._ref("user_gm_demo")
        director = self._ref("user_director_demo")
        li_wei, zhang_min = self._ref("user_salesperson_demo"), self._ref("user_senior_demo")
        today = datetime.now(pytz.timezone("Asia/Shanghai")).date()
        years = sorted({today.year, (today + timedelta(days=10)).year})
        plans = {
            li_wei: {"travel": 2000.0, "entertainment": 800.0, "other": 300.0},
            zhang_min: {"travel": 1500.0, "entertainment": 600.0, "other": 300.0},
        }
        for year in years:
            for user, amounts in plans.items():
                self._demo_budget(manager, user, year, amounts, approver=gm)
        # BUD-1: the sales manager's own budget, set by the director, for the GM to approve
        self._demo_budget(
            director,
            manager,
            today.year,
            {"travel": 3000.0, "entertainment": 1500.0, "other": 500.0},
        )

        # BUD-2: the months gone by: customer dinners and other costs, approved
        entertainment = self._ref("product_sales_entertainment")
        other = self._ref("product_sales_other_expense")
        for month in range(1, today.month):
            day = today.replace(month=month, day=15)
            for user, dinner, sundry in ((li_wei, 420.0, 120.0), (zhang_min, 360.0, 90.0)):
                claims = self._demo_claim(
                    user, entertainment, dinner + 10 * month, day, f"Dinner with customers {day}"
                ) | self._demo_claim(
                    user, other, sundry + 5 * month, day, f"Samples and postage {day}"
                )
                claims.with_user(manager).action_approve()

        # BUD-2: a trip within the month's travel budget, approved: it commits its estimate
        suzhou = (
            self.env["sales.trip"]
            .with_user(li_wei)
            .create(
                {
                    "destination": "Suzhou",
                    "purpose": "Walk the Jinshi showroom with the architect and agree the samples.",
                    "partner_id": self._ref("partner_jinshi_demo").id,
                    "planned_departure": self._demo_local(today + timedelta(days=2), 9),
                    "planned_return": self._demo_local(today + timedelta(days=3), 17),
                    "estimated_transport": 180.0,
                    "estimated_lodging": 60.0,
                }
            )
        )
        suzhou.with_user(li_wei).action_submit()
        suzhou.with_user(manager).action_approve()

        # BUD-2: a trip over the month's travel budget: the manager approved it, it waits
        # for the general manager, the overrun on its form and chatter
        guangzhou = (
            self.env["sales.trip"]
            .with_user(zhang_min)
            .create(
                {
                    "destination": "Guangzhou",
                    "purpose": "Canton stone fair: meet the three importers who asked for quotes.",
                    "planned_departure": self._demo_local(today + timedelta(days=4), 8),
                    "planned_return": self._demo_local(today + timedelta(days=6), 20),
                    "flight_requested": True,
                    "pre_approval_reason": "Two days by train each way; the fair lasts three.",
                    "estimated_transport": 1400.0,
                    "estimated_lodging": 200.0,
                }
            )
        )
        guangzhou.with_user(zhang_min).action_submit()
        guangzhou.with_user(manager).action_approve()

        # BUD-2: a claim over the month's entertainment budget, approved by the manager,
        # waiting for the general manager
        banquet = self._demo_claim(
            li_wei, entertainment, 1200.0, today, "Banquet for Hengda's purchasing team"
        )
        banquet.with_user(manager).action_approve()

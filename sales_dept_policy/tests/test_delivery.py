# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io
from datetime import date, datetime

import openpyxl
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestOrderToCash(SalesPolicyCase):
    """ORD-3..6, CRD-1/CRD-4: from the confirmed order to the last payment."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.grade_a = ref("sales_dept_policy.credit_grade_a")
        cls.grade_b = ref("sales_dept_policy.credit_grade_b")
        cls.grade_c = ref("sales_dept_policy.credit_grade_c")
        cls.env.company.partner_id.tz = "Asia/Shanghai"

        cls.finance = cls._new_user("sdp_o2c_fin", "sales_dept_policy.group_finance")
        cls.production = cls._new_user("sdp_o2c_prod", "sales_dept_policy.group_production")
        cls.product = cls.env["product.product"].create(
            {
                "name": "SDP Marble Slab",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
        )
        warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(cls.product, warehouse.lot_stock_id, 1000)
        cls.customer.credit_grade_id = cls.grade_b

    # ------------------------------------------------------------------
    # helpers: each role doing their part, as in the web client
    # ------------------------------------------------------------------
    def _confirmed(self, grade=None, kind="phone_fax", qty=10):
        if grade:
            self.customer.credit_grade_id = grade
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "contract_kind": kind,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                    ],
                }
            )
        )
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _approve_contract(self, order):
        action = order.with_user(self.salesperson).action_request_contract_review()
        review = self.env["sales.contract.review"].browse(action["res_id"])
        review.with_user(self.salesperson).action_submit()
        review.with_user(self.manager).action_approve()
        self.assertEqual(order.contract_state, "approved")
        return review

    def _pay(self, invoice, amount, day=None):
        vals = {"amount": amount}
        if day:
            vals["payment_date"] = day
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(vals).action_create_payments()

    def _pay_deposit(self, order):
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 30})
        )
        wizard.create_invoices()
        invoice = order.invoice_ids.filtered(lambda m: m.state == "draft")
        invoice.with_user(self.finance).action_post()
        self._pay(invoice, invoice.amount_total)
        self.assertFalse(order.awaiting_deposit)
        return invoice

    def _delivery(self, order):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(len(picking), 1)
        return picking.with_user(self.production)

    def _deliver(self, order, qty=None, when=None):
        picking = self._delivery(order)
        for move in picking.move_ids:
            move.quantity = qty if qty is not None else move.product_uom_qty
        if qty is not None:
            result = picking.button_validate()
            wizard = self.env["stock.backorder.confirmation"].with_context(**result["context"])
            wizard.with_user(self.production).create({}).process()
        else:
            picking.button_validate()
        self.assertEqual(picking.state, "done")
        if when:
            picking.sudo().date_done = when
        return picking

    # ------------------------------------------------------------------
    # ORD-4: no delivery before the contract and the deposit
    # ------------------------------------------------------------------
    def test_ord4_delivery_waits_for_contract_then_deposit(self):
        order = self._confirmed()
        self.assertEqual(order.production_status, "wait_both")
        self.assertFalse(order.production_released)
        picking = self._delivery(order)
        picking.move_ids.quantity = 10
        with self.assertRaisesRegex(UserError, "ORD-4") as caught:
            picking.button_validate()
        self.assertIn("contract review is not requested", str(caught.exception))
        self.assertIn("deposit of", str(caught.exception))
        self.assertEqual(picking.state, "assigned")
        self.assertIn("ORD-4", picking.production_hold_message)

        self._approve_contract(order)
        self.assertEqual(order.production_status, "wait_deposit")
        with self.assertRaisesRegex(UserError, "deposit of") as caught:
            picking.button_validate()
        self.assertNotIn("contract review", str(caught.exception))

        self._pay_deposit(order)
        self.assertEqual(order.production_status, "ready")
        self.assertTrue(order.production_released)
        self.assertFalse(picking.production_hold_message)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_ord4_every_path_to_done_is_gated(self):
        order = self._confirmed()
        picking = self._delivery(order)
        picking.move_ids.quantity = 4
        # the backorder dialog, made directly as an RPC client would
        wizard = (
            self.env["stock.backorder.confirmation"]
            .with_user(self.production)
            .with_context(button_validate_picking_ids=picking.ids)
            .create({"pick_ids": [Command.set(picking.ids)]})
        )
        with self.assertRaisesRegex(UserError, "ORD-4"):
            wizard.process()
        with self.assertRaisesRegex(UserError, "ORD-4"):
            wizard.process_cancel_backorder()
        # the private paths under it (a batch, another module)
        with self.assertRaisesRegex(UserError, "ORD-4"):
            picking.sudo()._action_done()
        with self.assertRaisesRegex(UserError, "ORD-4"):
            picking.move_ids.sudo()._action_done()
        # several deliveries at once (a batch's validate): one held holds all
        ready = self._confirmed()
        self._approve_contract(ready)
        self._pay_deposit(ready)
        ready_picking = self._delivery(ready)
        ready_picking.move_ids.quantity = 10
        with self.assertRaisesRegex(UserError, order.name):
            (ready_picking | picking).button_validate()
        self.assertEqual(ready_picking.state, "assigned")
        self.assertEqual(picking.state, "assigned")
        self.assertFalse(picking.move_ids.filtered(lambda m: m.state == "done"))

    def test_ord4_finance_releases_with_a_reason_only_finance(self):
        order = self._confirmed()
        picking = self._delivery(order)
        # a salesperson may not release, through the delivery or the order
        with self.assertRaises(AccessError):
            picking.with_user(self.salesperson).write({"deposit_release_reason": "trust me"})
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson)._release_deposit("trust me")
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).write({"deposit_release_reason": "forged"})
        with self.assertRaises(AccessError):
            order.with_user(self.manager)._release_deposit("manager says")
        self.assertFalse(order.deposit_release_reason)
        self.assertFalse(order.with_user(self.salesperson).can_release_deposit)
        # finance: a reason is required
        wizard = (
            self.env["sales.deposit.release.wizard"]
            .with_user(self.finance)
            .create({"order_id": order.id, "reason": "  "})
        )
        with self.assertRaisesRegex(ValidationError, "reason"):
            wizard.action_release()
        self.assertFalse(order.deposit_release_reason)
        # finance releases the deposit: the contract's approval is still needed
        self.assertFalse(order.with_user(self.finance).can_release_deposit)  # wait_both
        wizard.reason = "Bank acceptance received, booked Monday"
        wizard.action_release()
        self.assertEqual(order.deposit_released_by_id, self.finance)
        self.assertEqual(order.production_status, "wait_contract")
        self.assertIn("Bank acceptance", order.message_ids[0].body)
        self.assertIn("ORD-4", order.message_ids[0].body)
        picking.move_ids.quantity = 10
        with self.assertRaisesRegex(UserError, "contract review"):
            picking.button_validate()
        self._approve_contract(order)
        self.assertEqual(order.production_status, "released")
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        # released once: not twice
        with self.assertRaises(UserError):
            order.with_user(self.finance)._release_deposit("again")

    def test_ord4_release_through_the_delivery_and_configurable_group(self):
        order = self._confirmed()
        self._approve_contract(order)
        picking = self._delivery(order)
        self.assertTrue(picking.with_user(self.finance).can_release_deposit)
        picking.with_user(self.finance).write({"deposit_release_reason": "Paid in cash"})
        self.assertEqual(order.deposit_release_reason, "Paid in cash")
        self.assertEqual(picking.deposit_release_reason, "Paid in cash")
        self.assertTrue(order.production_released)
        # the Settings name another group: ours no longer releases
        other = self._confirmed()
        self._approve_contract(other)
        accountants = self.env.ref("account.group_account_manager")
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_dept_policy.finance_group_id", str(accountants.id)
        )
        with self.assertRaises(AccessError):
            other.with_user(self.finance)._release_deposit("not finance any more")
        accountant = new_test_user(
            self.env, login="sdp_o2c_acc", groups="account.group_account_manager"
        )
        other.with_user(accountant)._release_deposit("the accountant's call")
        self.assertEqual(other.production_status, "released")

    # ------------------------------------------------------------------
    # ORD-3: production and finance are told
    # ------------------------------------------------------------------
    def test_ord3_production_and_finance_get_the_essentials(self):
        order = self._confirmed()
        todo = self.env.ref("sales_dept_policy.mail_activity_type_order_confirmed")
        activities = order.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        Users = self.env["res.users"]
        told = Users._sales_policy_department_users(
            "finance"
        ) | Users._sales_policy_department_users("production")
        self.assertLessEqual(self.finance | self.production, told)
        self.assertEqual(activities.user_id, told)
        self.assertEqual(len(activities), len(told))
        note = activities.filtered(lambda a: a.user_id == self.production).note
        for essential in ("SDP Own Customer Co", "SDP Marble Slab × 10", "1,000.00"):
            self.assertIn(essential, note)
        message = order.message_ids.filtered(lambda m: "ORD-3" in (m.body or ""))
        self.assertEqual(message.partner_ids, told.partner_id)
        self.assertNotIn(self.salesperson.partner_id, message.partner_ids)
        # the departments read what they were sent
        self.assertEqual(order.with_user(self.production).partner_id, self.customer)
        self.assertTrue(order.with_user(self.finance).activity_ids)

    # ------------------------------------------------------------------
    # ORD-5: the balance's due date from the deliveries, by grade
    # ------------------------------------------------------------------
    def _ready(self, grade):
        order = self._confirmed(grade)
        self._approve_contract(order)
        self._pay_deposit(order)
        return order

    def test_ord5_grade_a_on_dispatch_in_shanghai_days(self):
        order = self._ready(self.grade_a)
        self.assertFalse(order.balance_due_date)
        # 17:30 UTC on 1 March is 01:30 on 2 March in Shanghai
        self._deliver(order, when=datetime(2026, 3, 1, 17, 30))
        self.assertEqual(order.balance_due_date, date(2026, 3, 2))
        order.picking_ids.sudo().date_done = datetime(2026, 3, 1, 15, 59)  # 23:59 there
        self.assertEqual(order.balance_due_date, date(2026, 3, 1))

    def test_ord5_grade_b_on_arrival_grade_c_fourteen_days_after(self):
        order_b = self._ready(self.grade_b)
        picking = self._deliver(order_b, when=datetime(2026, 3, 1, 2, 0))
        self.assertFalse(order_b.balance_due_date)  # sent, not received yet
        with freeze_time("2026-03-10 04:00:00"):
            picking.with_user(self.salesperson).received_on = date(2026, 3, 4)
            self.assertEqual(order_b.balance_due_date, date(2026, 3, 4))
            # received before it was sent, or in the future: refused
            with self.assertRaisesRegex(ValidationError, "Received On"):
                picking.with_user(self.salesperson).received_on = date(2026, 2, 28)
            with self.assertRaisesRegex(ValidationError, "Received On"):
                picking.with_user(self.salesperson).received_on = date(2026, 3, 11)
        order_c = self._ready(self.grade_c)
        picking = self._deliver(order_c, when=datetime(2026, 3, 1, 2, 0))
        with freeze_time("2026-03-10 04:00:00"):
            picking.with_user(self.salesperson).received_on = date(2026, 3, 4)
        self.assertEqual(order_c.balance_due_date, date(2026, 3, 18))

    def test_ord5_partial_delivery_the_completing_one_counts(self):
        order = self._ready(self.grade_a)
        first = self._deliver(order, qty=4, when=datetime(2026, 3, 1, 2, 0))
        self.assertEqual(first.state, "done")
        self.assertFalse(order.balance_due_date)  # the backorder is still open
        self._deliver(order, when=datetime(2026, 3, 9, 2, 0))
        self.assertEqual(order.balance_due_date, date(2026, 3, 9))

    def test_ord5_invoice_due_dates_follow_the_policy(self):
        order = self._ready(self.grade_c)
        deposit = order.invoice_ids
        # the deposit is due at once, not 14 days after the invoice
        self.assertEqual(deposit.invoice_date_due, deposit.invoice_date)
        picking = self._deliver(order, when=datetime(2026, 3, 1, 2, 0))
        balance = order._create_invoices(final=True)
        balance.invoice_date = date(2026, 3, 2)
        balance.with_user(self.finance).action_post()
        # arrival unknown: the grade's terms (14 days from the invoice) meanwhile
        self.assertEqual(balance.invoice_date_due, date(2026, 3, 16))
        with freeze_time("2026-03-10 04:00:00"):
            picking.with_user(self.salesperson).received_on = date(2026, 3, 5)
        self.assertEqual(order.balance_due_date, date(2026, 3, 19))
        self.assertEqual(balance.invoice_date_due, date(2026, 3, 19))
        terms = balance.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(terms.mapped("date_maturity"), [date(2026, 3, 19)])
        self.assertEqual(order.balance_residual, 700.0)

    # ------------------------------------------------------------------
    # ORD-6: reminders, the overdue list and its export
    # ------------------------------------------------------------------
    def test_ord6_reminders_on_due_date_every_seven_days_until_paid(self):
        order = self._ready(self.grade_a)
        self._deliver(order, when=datetime(2026, 3, 1, 2, 0))
        balance = order._create_invoices(final=True)
        balance.invoice_date = date(2026, 3, 1)
        balance.with_user(self.finance).action_post()
        self.assertEqual(balance.invoice_date_due, date(2026, 3, 1))
        collect = self.env.ref("sales_dept_policy.mail_activity_type_collect")
        Order = self.env["sale.order"]

        def reminders():
            return order.activity_ids.filtered(lambda a: a.activity_type_id == collect)

        with freeze_time("2026-02-28 20:00:00"):  # 04:00 on 1 March in Shanghai
            Order._cron_balance_followup()
            Order._cron_balance_followup()  # twice the same day: one to-do
        self.assertEqual(len(reminders()), 1)
        self.assertEqual(reminders().user_id, self.salesperson)
        self.assertIn("700.00", reminders().note)
        self.assertFalse(order.balance_overdue)  # due today, not late
        with freeze_time("2026-03-07 04:00:00"):
            Order._cron_balance_followup()
            self.assertEqual(len(reminders()), 1)
            self.assertTrue(order.balance_overdue)
            order.invalidate_recordset(["balance_days_late"])
            self.assertEqual(order.balance_days_late, 6)
        with freeze_time("2026-03-08 04:00:00"):
            Order._cron_balance_followup()
            self.assertEqual(len(reminders()), 2)
            row = self.env["sales.balance.report"].search([("order_id", "=", order.id)])
            self.assertEqual((row.days_late, row.balance_residual), (7, 700.0))
            self.assertEqual(row.late_bucket, "1_30")
        # paid: the to-dos are done and no more come
        self._pay(balance, 700.0)
        self.assertEqual(order.balance_residual, 0.0)
        self.assertFalse(order.balance_overdue)
        with freeze_time("2026-03-15 04:00:00"):
            Order._cron_balance_followup()
        self.assertFalse(reminders())
        self.assertFalse(self.env["sales.balance.report"].search([("order_id", "=", order.id)]))

    def test_ord6_overdue_list_by_role_and_export(self):
        order = self._ready(self.grade_a)
        self._deliver(order, when=datetime(2026, 3, 1, 2, 0))
        Report = self.env["sales.balance.report"]
        with freeze_time("2026-03-21 04:00:00"):
            mine = Report.with_user(self.salesperson).search([("overdue", "=", True)])
            self.assertEqual(mine.order_id, order)
            self.assertEqual(mine.days_late, 20)
            self.assertEqual(mine.balance_residual, 700.0)
            self.assertFalse(
                Report.with_user(self.salesperson2).search([("order_id", "=", order.id)])
            )
            self.assertIn(order, Report.with_user(self.manager).search([]).order_id)
            self.assertIn(order, Report.with_user(self.finance).search([]).order_id)
            # the manager's pivot: by salesperson
            groups = Report.with_user(self.manager)._read_group(
                [("order_id", "=", order.id)], ["user_id"], ["balance_residual:sum"]
            )
            self.assertEqual(groups, [(self.salesperson, 700.0)])
            wizard = self.env["sales.balance.export.wizard"].with_user(self.manager).create({})
            wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        rows = [
            row for row in book.active.iter_rows(values_only=True) if row and row[1] == order.name
        ]
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows[0][0], self.salesperson.name)
        self.assertEqual(rows[0][5], 20)
        self.assertEqual(rows[0][8], 700.0)

    # ------------------------------------------------------------------
    # CRD-5 with ORD-1/2: a major contract is confirmed by its contract review
    # ------------------------------------------------------------------
    def test_crd5_major_contract_confirmed_by_the_contract_review(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_dept_policy.major_contract_threshold", "500"
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "contract_kind": "no_contract",
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 10})
                    ],
                }
            )
        )
        self.assertEqual(order.deviation_roles, "confirm")
        self.assertEqual(order.deviation_state, "required")
        action = order.with_user(self.salesperson).action_request_deviation_approval()
        self.assertEqual(action["res_model"], "sales.contract.review")
        review = self.env["sales.contract.review"].browse(action["res_id"])
        review.with_user(self.salesperson).action_submit()
        self.assertEqual(order.deviation_state, "submitted")
        review.with_user(self.manager).action_approve()
        self.assertEqual(order.deviation_state, "approved")
        self.assertFalse(order.deviation_ids)  # one request, not two
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.production_status, "wait_deposit")

    def test_crd5_terms_changed_after_the_review_need_it_again(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_dept_policy.major_contract_threshold", "500"
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "contract_kind": "phone_fax",
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 10})
                    ],
                }
            )
        )
        self._approve_contract(order)
        self.assertEqual(order.deviation_state, "approved")
        order.order_line.with_user(self.salesperson).product_uom_qty = 12
        self.assertEqual(order.deviation_state, "required")
        with self.assertRaisesRegex(UserError, "CRD-5"):
            order.with_user(self.salesperson).action_confirm()

    def test_ord5_salesperson_records_the_arrival_from_the_order(self):
        """The salesperson, who has no Inventory menu, records the arrival on the
        order's Deliveries and Arrival page (a write of the order's deliveries)."""
        order = self._ready(self.grade_b)
        picking = self._deliver(order, when=datetime(2026, 3, 1, 2, 0))
        with freeze_time("2026-03-10 04:00:00"):
            order.with_user(self.salesperson).write(
                {"picking_ids": [Command.update(picking.id, {"received_on": date(2026, 3, 6)})]}
            )
        self.assertEqual(picking.received_on, date(2026, 3, 6))
        self.assertEqual(order.balance_due_date, date(2026, 3, 6))
        # another salesperson's order is not theirs to record
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson2).write(
                {"picking_ids": [Command.update(picking.id, {"received_on": date(2026, 3, 7)})]}
            )

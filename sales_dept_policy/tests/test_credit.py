# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64
import io

import openpyxl
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestCredit(SalesPolicyCase):
    """CRD-1..6: grades, grade changes and the sales-order controls."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.grade_a = ref("sales_dept_policy.credit_grade_a")
        cls.grade_b = ref("sales_dept_policy.credit_grade_b")
        cls.grade_c = ref("sales_dept_policy.credit_grade_c")
        cls.finance = cls.env["res.users"].create(
            {
                "name": "SDP Finance",
                "login": "sdp_fin",
                "group_ids": [
                    (4, ref("account.group_account_manager").id),
                    (4, ref("sales_dept_policy.group_archive_reader").id),
                ],
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Granite Slab", "list_price": 100.0, "taxes_id": [(5, 0, 0)]}
        )
        cls.customer.credit_grade_id = cls.grade_c
        cls.env["ir.config_parameter"].sudo().set_param("sales_dept_policy.discount_limit", "0")
        cls.env["ir.config_parameter"].sudo().set_param(
            "sales_dept_policy.major_contract_threshold", "200000"
        )

    def _order(self, partner=None, qty=1.0, price=None, discount=0.0, user=None):
        user = user or self.salesperson
        line = {"product_id": self.product.id, "product_uom_qty": qty, "discount": discount}
        if price is not None:
            line["price_unit"] = price
        return (
            self.env["sale.order"]
            .with_user(user)
            .create({"partner_id": (partner or self.customer).id, "order_line": [(0, 0, line)]})
        )

    # CRD-1 ---------------------------------------------------------------
    def test_crd1_default_grades(self):
        self.assertEqual(
            [
                (g.code, g.deposit_percent, g.balance_due_event, g.balance_due_days)
                for g in (self.grade_a, self.grade_b, self.grade_c)
            ],
            [("A", 30.0, "dispatch", 0), ("B", 30.0, "arrival", 0), ("C", 30.0, "arrival", 14)],
        )
        # ORD-5: the terms are the balance's (the deposit is the order's prepayment)
        terms = [g.payment_term_id for g in (self.grade_a, self.grade_b, self.grade_c)]
        self.assertEqual(len(set(terms)), 3)
        self.assertEqual([t.line_ids.mapped("value_amount") for t in terms], [[100.0]] * 3)
        self.assertEqual([t.line_ids.mapped("nb_days") for t in terms], [[0], [0], [14]])

    def test_crd1_grade_values_checked(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"), self.env.cr.savepoint():
            self.grade_a.deposit_percent = 100.5
        self.grade_a.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.env.cr.savepoint():
            self.grade_a.balance_due_days = -1
        self.grade_a.invalidate_recordset()
        self.grade_a.deposit_percent = 100.0  # boundary allowed
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["sales.credit.grade"].create(
                {"code": "A", "name": "Dup", "payment_term_id": self.grade_a.payment_term_id.id}
            )
        # only policy administrators edit grades
        with self.assertRaises(AccessError):
            self.grade_b.with_user(self.manager).write({"deposit_percent": 10})
        self.grade_b.with_user(self.admin).write({"deposit_percent": 10})

    # CRD-2 ---------------------------------------------------------------
    def test_crd2_no_grade_no_confirmation(self):
        order = self._order(
            partner=self.env["res.partner"]
            .with_user(self.salesperson)
            .create({"name": "SDP Ungraded", "is_company": True, "customer_rank": 1})
        )
        with self.assertRaisesRegex(UserError, "no credit grade.*CRD-2"):
            order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "draft")

    # CRD-3 ---------------------------------------------------------------
    def test_crd3_confirmation_takes_grade_terms(self):
        order = self._order()
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.payment_term_id, self.grade_c.payment_term_id)
        self.assertTrue(order.require_payment)
        self.assertAlmostEqual(order.prepayment_percent, 0.30)
        self.assertEqual(order.credit_grade_id, self.grade_c)

    def test_crd3_salesperson_cannot_set_other_terms(self):
        order = self._order()
        immediate = self.env.ref("account.account_payment_term_immediate")
        with self.assertRaisesRegex(UserError, "CRD-3"):
            order.with_user(self.salesperson).write({"payment_term_id": immediate.id})
        with self.assertRaisesRegex(UserError, "CRD-3"):
            order.with_user(self.salesperson).write({"prepayment_percent": 0.1})

    def test_crd3_manager_terms_are_a_deviation(self):
        order = self._order(user=self.manager)
        immediate = self.env.ref("account.account_payment_term_immediate")
        order.with_user(self.manager).write({"payment_term_id": immediate.id})
        self.assertEqual(order.deviation_state, "required")
        with self.assertRaisesRegex(UserError, "CRD-5"):
            order.with_user(self.manager).action_confirm()
        order.with_user(self.manager).action_request_deviation_approval()
        request = order.deviation_ids
        self.assertEqual(request.approval_level, "manager_gm")
        # the manager who asked cannot review; a general manager (a sales manager
        # too) reviews, and another general manager approves
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(order.deviation_state, "submitted")
        request.with_user(self.gm2).action_approve()
        self.assertEqual(order.deviation_state, "approved")
        order.with_user(self.manager).action_confirm()
        self.assertEqual(order.payment_term_id, immediate)

    # CRD-4 ---------------------------------------------------------------
    def test_crd4_awaiting_deposit_until_paid(self):
        order = self._order(qty=10)  # 1,000
        order.with_user(self.salesperson).action_confirm()
        self.assertTrue(order.awaiting_deposit)
        self.assertIn(order, self.env["sale.order"].search([("awaiting_deposit", "=", True)]))
        # a down payment of the deposit, invoiced and paid
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 30})
        )
        wizard.create_invoices()
        invoice = order.with_user(self.finance).invoice_ids
        invoice.action_post()
        self.assertTrue(order.awaiting_deposit)  # invoiced is not paid
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 299.0}).action_create_payments()
        self.assertTrue(order.awaiting_deposit)  # 299 of 300
        self.env["account.payment.register"].with_user(self.finance).with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 1.0}).action_create_payments()
        self.assertEqual(order.deposit_received, 300.0)
        self.assertFalse(order.awaiting_deposit)

    # CRD-5 ---------------------------------------------------------------
    def test_crd5_discount_at_limit_allowed_above_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("sales_dept_policy.discount_limit", "5")
        at_limit = self._order(discount=5.0)
        self.assertEqual(at_limit.deviation_state, "none")
        at_limit.with_user(self.salesperson).action_confirm()
        above = self._order(discount=5.5)
        self.assertEqual(above.deviation_state, "required")
        with self.assertRaisesRegex(UserError, "CRD-5"):
            above.with_user(self.salesperson).action_confirm()

    def test_crd5_salespersons_own_discount_limit(self):
        """CRD-5: res.users.sales_discount_limit, empty = the Settings' default."""
        self.env["ir.config_parameter"].sudo().set_param("sales_dept_policy.discount_limit", "2")
        self.salesperson.sales_discount_limit = 10.0
        self.assertEqual(self._order(discount=10.0).deviation_state, "none")
        self.assertEqual(self._order(discount=10.5).deviation_state, "required")
        # another salesperson without one: the Settings' 2 %
        other = self._order(discount=3.0, user=self.salesperson2, partner=self.other_customer)
        self.assertEqual(other.deviation_state, "required")
        self.assertEqual(
            self._order(
                discount=2.0, user=self.salesperson2, partner=self.other_customer
            ).deviation_state,
            "none",
        )
        # cleared: the Settings' default again
        self.salesperson.write({"sales_discount_limit": False})
        self.assertEqual(self._order(discount=2.0).deviation_state, "none")
        self.assertEqual(self._order(discount=2.5).deviation_state, "required")
        with self.assertRaisesRegex(ValidationError, "CRD-5"), self.env.cr.savepoint():
            self.salesperson.sales_discount_limit = 101.0

    def test_crd5_default_limit_is_zero(self):
        order = self._order(discount=0.5)
        self.assertEqual(order.deviation_state, "required")
        self.assertIn("discount above the limit", order.deviation_reasons)

    def test_crd5_price_below_pricelist(self):
        order = self._order(price=99.0)
        self.assertEqual(order.deviation_state, "required")
        self.assertIn("price below the pricelist", order.deviation_reasons)
        self.assertEqual(self._order(price=100.0).deviation_state, "none")

    def test_crd5_deviation_flow_and_refusals(self):
        order = self._order(price=80.0)
        order.with_user(self.salesperson).action_request_deviation_approval()
        request = order.deviation_ids
        self.assertEqual(order.deviation_state, "submitted")
        self.assertIn(self.manager, request.activity_ids.user_id)
        # the salesperson does not approve their own deviation
        with self.assertRaises(AccessError):
            request.with_user(self.salesperson).action_approve()
        with self.assertRaisesRegex(UserError, "CRD-5"):
            order.with_user(self.salesperson).action_confirm()
        # CRD-5: two ordered steps; the sales manager's review alone confirms nothing
        self.assertEqual(request.approval_step, "manager")
        request.with_user(self.manager).action_approve()
        self.assertEqual(request.state, "submitted")
        self.assertEqual(request.approval_step, "general_manager")
        self.assertEqual(request.reviewed_by_id, self.manager)
        self.assertEqual(order.deviation_state, "submitted")
        self.assertIn(self.gm, request.sudo().activity_ids.user_id)
        self.assertNotIn(self.manager, request.sudo().activity_ids.user_id)
        self.assertTrue(any("reviewed by" in b for b in order.message_ids.mapped("body")))
        with self.assertRaisesRegex(UserError, "CRD-5"):
            order.with_user(self.salesperson).action_confirm()
        # the reviewer is no approver of the next step
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.gm)
        self.assertEqual(order.deviation_state, "approved")
        self.assertTrue(any("Deviation approved" in b for b in order.message_ids.mapped("body")))
        # a further price cut needs a new approval
        order.order_line.with_user(self.salesperson).price_unit = 70.0
        self.assertEqual(order.deviation_state, "required")
        order.order_line.with_user(self.salesperson).price_unit = 80.0
        self.assertEqual(order.deviation_state, "approved")
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        # confirmed: the deviation it was approved with stays on it
        self.assertEqual(order.deviation_state, "approved")
        self.assertIn(order, self.env["sale.order"].search([("deviation_state", "=", "approved")]))

    def test_crd4_ungraded_legacy_orders_not_flagged(self):
        legacy = self.env["res.partner"].create({"name": "SDP Legacy", "customer_rank": 1})
        order = self.env["sale.order"].create(
            {
                "partner_id": legacy.id,
                "require_payment": True,
                "prepayment_percent": 0.5,
                "order_line": [(0, 0, {"product_id": self.product.id, "price_unit": 50.0})],
            }
        )
        # confirmed before the policy (as superuser, bypassing CRD-2)
        order.write({"state": "sale"})
        self.assertFalse(order.awaiting_deposit)
        self.assertEqual(order.deviation_state, "none")

    def test_crd5_rejected_deviation(self):
        order = self._order(price=80.0)
        order.with_user(self.salesperson).action_request_deviation_approval()
        order.deviation_ids.with_user(self.manager).action_reject(reason="Too low")
        self.assertEqual(order.deviation_state, "rejected")
        with self.assertRaisesRegex(UserError, "CRD-5"):
            order.with_user(self.salesperson).action_confirm()

    def test_crd5_major_contract_threshold(self):
        at = self._order(qty=2000)  # exactly 200,000
        self.assertFalse(at.is_major_contract)
        self.assertEqual(at.deviation_state, "none")
        self.assertFalse(at.major_contract_reported)
        above = self._order(qty=2000.01)
        self.assertTrue(above.is_major_contract)
        # CRD-5: reported to the general managers at once, deviating or not
        self.assertTrue(above.major_contract_reported)
        self.assertIn(self.gm, above.sudo().activity_ids.user_id)
        self.assertTrue(any("Major contract" in b for b in above.message_ids.mapped("body")))
        # within the terms: confirmed in one step by a sales manager or a general manager
        self.assertEqual(above.deviation_roles, "confirm")
        self.assertEqual(above._deviation_role_list(), ("confirm",))
        with self.assertRaisesRegex(UserError, "CRD-5"):
            above.with_user(self.salesperson).action_confirm()
        above.with_user(self.salesperson).action_request_deviation_approval()
        request = above.deviation_ids
        self.assertEqual(len(request), 1)
        with self.assertRaises(AccessError):
            request.with_user(self.salesperson).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(above.deviation_state, "approved")
        above.with_user(self.salesperson).action_confirm()
        self.assertEqual(above.state, "sale")

    def test_crd5_major_contract_deviating_two_steps(self):
        order = self._order(qty=2500, price=90.0)
        self.assertEqual(order.deviation_roles, "manager_gm")
        self.assertIn("major contract", order.deviation_reasons)
        order.with_user(self.salesperson).action_request_deviation_approval()
        request = order.deviation_ids
        request.with_user(self.manager).action_approve()
        self.assertEqual(order.deviation_state, "submitted")
        # a deputy general manager (a member of the group) approves as the GM does
        request.with_user(self.gm2).action_approve()
        self.assertEqual(order.deviation_state, "approved")
        self.assertEqual(request.reviewed_by_id, self.manager)
        self.assertEqual(request.decided_by_id, self.gm2)

    def test_crd5_one_person_does_not_decide_both_steps(self):
        """A general manager is a sales manager too: reviewing the deviation, they
        leave its approval to another general manager (APR-4)."""
        order = self._order(price=85.0)
        order.with_user(self.salesperson).action_request_deviation_approval()
        request = order.deviation_ids
        request.with_user(self.gm).action_approve()
        self.assertEqual(request.approval_step, "general_manager")
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_approve()
        self.assertNotIn(self.gm, request.approver_ids)
        request.with_user(self.gm2).action_approve()
        self.assertEqual(request.state, "approved")

    def test_crd5_price_above_pricelist_is_a_deviation(self):
        order = self._order(price=110.0)
        self.assertEqual(order.deviation_state, "required")
        self.assertIn("price above the pricelist", order.deviation_reasons)
        self.assertEqual(self._order(price=100.0).deviation_state, "none")

    def test_crd5_threshold_changed(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "sales_dept_policy.major_contract_threshold", "500"
        )
        order = self._order(qty=6)
        self.assertTrue(order.is_major_contract)

    # CRD-6 ---------------------------------------------------------------
    def test_crd6_grade_read_only_for_sales(self):
        with self.assertRaisesRegex(UserError, "CRD-6"):
            self.customer.with_user(self.salesperson).write({"credit_grade_id": self.grade_a.id})
        with self.assertRaisesRegex(UserError, "CRD-6"):
            self.customer.with_user(self.manager).write({"credit_grade_id": self.grade_a.id})
        self.assertEqual(self.customer.credit_grade_id, self.grade_c)

    def test_crd6_grade_change_flow(self):
        change = (
            self.env["sales.credit.grade.change"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "new_grade_id": self.grade_a.id,
                    "reason": "Paid on time for 2 years",
                }
            )
        )
        self.assertEqual(change.old_grade_id, self.grade_c)
        change.with_user(self.salesperson).action_submit()
        self.assertTrue(self.finance | self.gm <= change.sudo().activity_ids.user_id)
        with self.assertRaises(AccessError):
            change.with_user(self.manager).action_approve()
        change.with_user(self.finance).action_approve()
        self.assertEqual(self.customer.credit_grade_id, self.grade_a)
        self.assertEqual(self.customer.property_payment_term_id, self.grade_a.payment_term_id)
        self.assertEqual(change.old_grade_id, self.grade_c)
        self.assertEqual(change.decided_by_id, self.finance)
        self.assertEqual(self.customer.credit_grade_change_ids, change)
        # a new quotation takes the new grade's terms
        self.assertEqual(self._order().payment_term_id, self.grade_a.payment_term_id)

    def test_crd6_proposer_cannot_decide(self):
        change = (
            self.env["sales.credit.grade.change"]
            .with_user(self.gm)
            .create(
                {
                    "partner_id": self.customer.id,
                    "new_grade_id": self.grade_b.id,
                    "reason": "Late payments",
                }
            )
        )
        change.with_user(self.gm).action_submit()
        with self.assertRaises(AccessError):
            change.with_user(self.gm).action_approve()
        change.with_user(self.gm2).action_reject(reason="Not yet")
        self.assertEqual(self.customer.credit_grade_id, self.grade_c)

    def test_crd6_same_grade_refused(self):
        change = (
            self.env["sales.credit.grade.change"]
            .with_user(self.salesperson)
            .create(
                {"partner_id": self.customer.id, "new_grade_id": self.grade_c.id, "reason": "x"}
            )
        )
        with self.assertRaisesRegex(ValidationError, "already has grade"):
            change.action_submit()

    # export --------------------------------------------------------------
    def test_finance_export(self):
        waiting = self._order(qty=10)
        waiting.with_user(self.salesperson).action_confirm()
        deviating = self._order(price=90.0)
        deviating.with_user(self.salesperson).action_request_deviation_approval()
        deviating.deviation_ids.with_user(self.manager).action_approve()
        deviating.deviation_ids.with_user(self.gm).action_approve()
        deviating.with_user(self.salesperson).action_confirm()
        wizard = self.env["sales.finance.export.wizard"].with_user(self.finance).create({})
        wizard.action_export()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file_data)))
        self.assertEqual(book.sheetnames, ["Awaiting Deposit", "Deviations"])
        # row 1: the title, row 2: the header
        awaiting_rows = list(book["Awaiting Deposit"].iter_rows(min_row=3, values_only=True))
        names = [r[0] for r in awaiting_rows]
        self.assertIn(waiting.name, names)
        row = awaiting_rows[names.index(waiting.name)]
        self.assertEqual(row[3], "C")
        self.assertEqual(row[6], 1000.0)
        self.assertEqual(row[8], 300.0)
        dev_rows = list(book["Deviations"].iter_rows(min_row=3, values_only=True))
        dev = [r for r in dev_rows if r[0] == deviating.name][0]
        self.assertIn("price below the pricelist", dev[9])
        # CRD-5: the sales manager reviewed, the general manager approved
        self.assertEqual(dev[10], f"{self.manager.name}, {self.gm.name}")
        # a salesperson cannot run it
        with self.assertRaises(AccessError):
            self.env["sales.finance.export.wizard"].with_user(self.salesperson).create({})

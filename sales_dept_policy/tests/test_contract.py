# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import base64

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestContractReview(SalesPolicyCase):
    """ORD-1/2: what an order rests on is reviewed before production starts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.credit_grade_id = cls.env.ref("sales_dept_policy.credit_grade_b")
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Contract Slab", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )

    def _order(self, kind):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "contract_kind": kind,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        action = order.with_user(self.salesperson).action_request_contract_review()
        return order, self.env["sales.contract.review"].browse(action["res_id"])

    def _attach(self, review):
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.salesperson)
            .create(
                {
                    "name": "signed contract.pdf",
                    "datas": base64.b64encode(b"%PDF-1.4 signed"),
                    "res_model": "sales.contract.review",
                    "res_id": review.id,
                }
            )
        )
        review.with_user(self.salesperson).attachment_ids = [Command.link(attachment.id)]
        return attachment

    def test_ord1_formal_contract_two_steps_with_the_signed_contract(self):
        order, review = self._order("contract")
        self.assertEqual(order.contract_review_id, review)
        self.assertEqual(review.contract_kind, "contract")
        # the signed contract is required before submit
        with self.assertRaisesRegex(ValidationError, "ORD-1"):
            review.with_user(self.salesperson).action_submit()
        self._attach(review)
        review.with_user(self.salesperson).action_submit()
        self.assertEqual(order.contract_state, "submitted")
        # not the salesperson; the GM office only after the sales manager's review
        with self.assertRaises(AccessError):
            review.with_user(self.salesperson).action_approve()
        review.with_user(self.manager).action_approve()
        self.assertEqual(review.state, "submitted")
        self.assertEqual(review.approval_step, "general_manager")
        with self.assertRaises(AccessError):
            review.with_user(self.manager).action_approve()
        review.with_user(self.gm).action_approve()
        self.assertEqual(order.contract_state, "approved")
        self.assertEqual(review.reviewed_by_id, self.manager)
        self.assertEqual(review.decided_by_id, self.gm)
        # the signed contract is kept with the order
        kept = self.env["ir.attachment"].search(
            [("res_model", "=", "sale.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(kept.mapped("name"), ["signed contract.pdf"])
        # what was approved does not change
        with self.assertRaisesRegex(UserError, "ORD-1/2"):
            order.with_user(self.salesperson).contract_kind = "phone_fax"

    def test_ord2_without_contract_one_step_by_manager_or_gm(self):
        for kind, approver in (("phone_fax", self.manager), ("no_contract", self.gm)):
            with self.subTest(kind=kind):
                order, review = self._order(kind)
                review.with_user(self.salesperson).action_submit()  # no attachment needed
                with self.assertRaises(AccessError):
                    review.with_user(self.salesperson2).action_approve()
                review.with_user(approver).action_approve()
                self.assertEqual(order.contract_state, "approved")
                self.assertEqual(review.decided_by_id, approver)

    def test_ord1_refusals(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create({"partner_id": self.customer.id})
        )
        # the kind first
        with self.assertRaisesRegex(UserError, "ORD-1/2"):
            order.with_user(self.salesperson).action_request_contract_review()
        # requests are the order's, never created by a client (APR-5)
        with self.assertRaisesRegex(UserError, "ORD-1"):
            self.env["sales.contract.review"].with_user(self.salesperson).create(
                {"order_id": order.id, "contract_kind": "phone_fax"}
            )
        # a rejected review needs a new one
        order2, review = self._order("phone_fax")
        review.with_user(self.salesperson).action_submit()
        review.with_user(self.manager).action_reject(reason="Confirm the fax first")
        self.assertEqual(order2.contract_state, "rejected")
        action = order2.with_user(self.salesperson).action_request_contract_review()
        self.assertNotEqual(action["res_id"], review.id)
        self.assertEqual(order2.contract_state, "draft")
        # another salesperson cannot ask for the review of this order
        with self.assertRaises(AccessError):
            order2.with_user(self.salesperson2).action_request_contract_review()

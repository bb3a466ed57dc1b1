# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.service.model import call_kw
from odoo.tests import new_test_user

from .common import SalesPolicyCase

#: APR-5: what a hostile client may send with its call
HOSTILE_CONTEXT = {
    "sales_approval_transition": True,
    "active_test": False,
    "tracking_disable": True,
    "install_mode": True,
    "mail_activity_automation_skip": True,
    "mail_notrack": True,
    "default_state": "approved",
    "default_decided_by_id": 1,
    "default_actual_signed": 999999.0,
    "default_attainment": 9.99,
    "default_rating": "S",
    "default_agenda_sent_on": "2027-01-01 00:00:00",
    "default_held_on": "2027-01-01 00:00:00",
}


class ManagementCase(SalesPolicyCase):
    """MTG: the records the meetings and monthly reports read, made as their roles
    make them: confirmed orders, invoices and payments by finance, approved targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the company counts its days in Shanghai time, whatever the database says
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.finance = new_test_user(
            cls.env,
            login="sdp_mtg_fin",
            name="SDP Meeting Finance",
            groups="account.group_account_manager,sales_dept_policy.group_finance",
            tz="Asia/Shanghai",
            context={"no_reset_password": True},
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Meeting Slab", "list_price": 1.0, "taxes_id": [Command.clear()]}
        )
        grade = cls.env.ref("sales_dept_policy.credit_grade_a")
        cls.customer.credit_grade_id = grade
        cls.other_customer.credit_grade_id = grade
        cls.customer2 = cls.env["res.partner"].create(
            {
                "name": "SDP Second Own Customer Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.salesperson.id,
                "credit_grade_id": grade.id,
            }
        )

    # ------------------------------------------------------------------
    # fixtures
    # ------------------------------------------------------------------
    def _confirmed_order(self, user, partner, when, amount):
        """A confirmed order of ``amount`` untaxed (at the pricelist's price of 1, so no
        deviation, CRD-5), dated ``when`` (naive UTC)."""
        order = self.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = when
        return order

    def _invoice(self, amount, invoice_date, user=None, partner=None):
        invoice = (
            self.env["account.move"]
            .with_user(self.finance)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or self.customer).id,
                    "invoice_user_id": (user or self.salesperson).id,
                    "invoice_date": invoice_date,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "SDP Slab",
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount, when):
        return (
            self.env["account.payment.register"]
            .with_user(self.finance)
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": when})
            ._create_payments()
        )

    def _approved_target(self, user, year, amount):
        """QTA-1..3: ``user``'s target of ``year``, split evenly, approved by the GM."""
        target = (
            self.env["sales.target"]
            .with_user(user)
            .create(
                {
                    "year": year,
                    "forecast_low": amount / 2,
                    "forecast_likely": amount,
                    "forecast_high": amount * 2,
                    "analysis": "SDP meeting test",
                }
            )
        )
        target.with_user(self.manager).target_amount = amount
        target.with_user(self.manager).action_submit()
        target.with_user(self.gm).action_approve()
        self.assertEqual(target.state, "approved")
        return target

    def rpc(self, user, model, method, *args, **kwargs):
        """Call ``method`` the way XML-RPC does, as ``user``, with a hostile context."""
        env = self.env(user=user.id, su=False)
        context = dict(HOSTILE_CONTEXT, default_user_id=user.id)
        return call_kw(env[model], method, list(args), {**kwargs, "context": context})

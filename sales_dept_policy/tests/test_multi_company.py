# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import freeze_time, new_test_user, tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
@freeze_time("2027-03-01 02:00:00")
class TestMultiCompany(SalesPolicyCase):
    """One company's policy records, actuals and exports stay in that company.

    A second company; a salesperson and a sales manager allowed in both, a sales
    manager allowed in the first only.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company1 = cls.env.company
        cls.company2 = cls.env["res.company"].create({"name": "SDP Guangxi Branch"})
        both = [Command.set([cls.company1.id, cls.company2.id])]
        cls.sp_both = new_test_user(
            cls.env,
            login="sdp_sp_both",
            groups="sales_dept_policy.group_salesperson",
            company_id=cls.company1.id,
            company_ids=both,
            tz="Asia/Shanghai",
            context={"no_reset_password": True},
        )
        cls.manager_both = new_test_user(
            cls.env,
            login="sdp_mgr_both",
            groups="sales_dept_policy.group_sales_manager",
            company_id=cls.company1.id,
            company_ids=both,
            context={"no_reset_password": True},
        )
        grade = cls.env.ref("sales_dept_policy.credit_grade_c")
        Partner = cls.env["res.partner"]
        cls.customer1 = Partner.create(
            {
                "name": "SDP Nanning Customer (HQ)",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.sp_both.id,
                "credit_grade_id": grade.id,
            }
        )
        cls.customer2 = Partner.create(
            {
                "name": "SDP Nanning Customer (Branch)",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.sp_both.id,
                "company_id": cls.company2.id,
                "credit_grade_id": grade.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "SDP Marble", "list_price": 1000.0, "taxes_id": [Command.clear()]}
        )

    def _in(self, user, *companies):
        return user.with_context(allowed_company_ids=[c.id for c in companies])

    def _visit(self, company, partner):
        return (
            self.env["sales.visit"]
            .with_user(self.sp_both)
            .with_context(allowed_company_ids=[company.id, self.company1.id])
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "kind": "onsite",
                    "purpose": "Quarry tour",
                    "date_planned": datetime(2027, 3, 2, 2, 0),
                }
            )
        )

    def test_records_stay_in_their_company(self):
        visit2 = self._visit(self.company2, self.customer2)
        Visit = self.env["sales.visit"]
        # the manager of the first company only does not see the branch's visit
        self.assertFalse(Visit.with_user(self.manager).search([("id", "=", visit2.id)]))
        with self.assertRaises(AccessError):
            visit2.with_user(self.manager).read(["purpose"])
        # the manager of both sees it once the branch is among their companies
        self.assertFalse(
            Visit.with_user(self.manager_both)
            .with_context(allowed_company_ids=[self.company1.id])
            .search([("id", "=", visit2.id)])
        )
        self.assertEqual(
            Visit.with_user(self.manager_both)
            .with_context(allowed_company_ids=[self.company1.id, self.company2.id])
            .search([("id", "=", visit2.id)]),
            visit2,
        )
        # a record of one company does not name another company's customer
        with self.assertRaises(UserError):
            self._visit(self.company1, self.customer2)

    def test_rule_on_every_model_with_a_company(self):
        """Every model of the addon with a company_id has its company rule."""
        Rule = self.env["ir.rule"].sudo()
        missing = []
        for model in self.env.registry:
            Model = self.env[model]
            if (
                Model._abstract
                or Model._transient
                or "company_id" not in Model._fields
                or not Model._fields["company_id"].store
                or Model._fields["company_id"]._module != "sales_dept_policy"
            ):
                continue
            rules = Rule.search([("model_id.model", "=", model), ("global", "=", True)])
            if not rules.filtered(lambda r: "company_ids" in (r.domain_force or "")):
                missing.append(model)
        self.assertEqual(missing, [])

    def test_qta4_actuals_per_company(self):
        Target = self.env["sales.target"].with_user(self.manager_both)
        target1 = Target.with_company(self.company1).create(
            {"user_id": self.sp_both.id, "year": 2027, "company_id": self.company1.id}
        )
        target2 = Target.with_context(
            allowed_company_ids=[self.company2.id, self.company1.id]
        ).create({"user_id": self.sp_both.id, "year": 2027, "company_id": self.company2.id})
        for company, partner, qty in (
            (self.company1, self.customer1, 2),
            (self.company2, self.customer2, 5),
        ):
            order = (
                self.env["sale.order"]
                .with_user(self.sp_both)
                .with_context(allowed_company_ids=[company.id, self.company1.id, self.company2.id])
                .with_company(company)
                .create(
                    {
                        "partner_id": partner.id,
                        "company_id": company.id,
                        "order_line": [
                            Command.create({"product_id": self.product.id, "product_uom_qty": qty})
                        ],
                    }
                )
            )
            order.action_confirm()
            self.assertEqual(order.state, "sale")
        self.env.invalidate_all()
        march1 = target1.period_ids.filtered(lambda p: p.date_from == date(2027, 3, 1))
        march2 = target2.sudo().period_ids.filtered(lambda p: p.date_from == date(2027, 3, 1))
        self.assertEqual(march1.actual_signed, 2000.0)
        self.assertEqual(march2.actual_signed, 5000.0)
        self.assertEqual(march1.new_customers, 1)
        self.assertEqual(march2.new_customers, 1)
        # the first company's manager does not see the branch's target
        self.assertFalse(
            self.env["sales.target"].with_user(self.manager).search([("id", "=", target2.id)])
        )

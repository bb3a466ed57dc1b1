# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SalesPolicyCase


@tagged("post_install", "-at_install")
class TestSettings(SalesPolicyCase):
    """ARC-3/ARC-5: the restriction for all employees, and the grant length."""

    def _employee_reads(self, partner):
        return bool(partner.with_user(self.employee).search([("id", "=", partner.id)]))

    def test_restriction_on_by_default_and_switchable(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertTrue(settings.group_sales_policy_restrict_all)
        self.assertFalse(self._employee_reads(self.customer))

        settings.group_sales_policy_restrict_all = False
        settings.execute()
        self.env.invalidate_all()
        # non-sales employees read archives again (but still cannot export them)
        self.assertTrue(self._employee_reads(self.customer))
        self.assertTrue(self._employee_reads(self.other_contact))
        # salespersons stay restricted
        self.assertFalse(
            self.other_customer.with_user(self.salesperson).search(
                [("id", "=", self.other_customer.id)]
            )
        )
        self.assertTrue(self.salesperson.has_group("sales_dept_policy.group_archive_restricted"))

        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertFalse(settings.group_sales_policy_restrict_all)
        settings.group_sales_policy_restrict_all = True
        settings.execute()
        self.env.invalidate_all()
        self.assertFalse(self._employee_reads(self.customer))

    def test_grant_length(self):
        settings = self.env["res.config.settings"].with_user(self.admin).create({})
        self.assertEqual(settings.sales_policy_archive_grant_days, 7)
        settings.sales_policy_archive_grant_days = 14
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("sales_dept_policy.archive_grant_days"),
            "14",
        )
        settings = (
            self.env["res.config.settings"]
            .with_user(self.admin)
            .create({"sales_policy_archive_grant_days": 0})
        )
        with self.assertRaisesRegex(ValidationError, "at least one day"):
            settings.execute()

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from .sales_expense_budget import KIND_SELECTION


class ProductTemplate(models.Model):
    """BUD-2: an expense category (a product that can be expensed) says which kind
    of the sales expense budget its claims consume."""

    _inherit = "product.template"

    sales_budget_kind = fields.Selection(
        KIND_SELECTION,
        string="Sales Expense Budget",
        help="BUD-2: the kind of the salesperson's expense budget a claim of this expense "
        "category consumes. Empty: travel for the travel products, other for the rest; "
        "a business trip's claims are always travel.",
    )

    @api.model
    def _sales_budget_default_kinds(self):
        """BUD-2: the travel products consume the travel budget unless an administrator
        chose otherwise (run at each update: only empty kinds are set)."""
        for xmlid in (
            "sales_dept_policy.product_travel_lodging",
            "sales_dept_policy.product_travel_transport",
            "sales_dept_policy.product_travel_per_diem",
        ):
            product = self.env.ref(xmlid, raise_if_not_found=False)
            if product and not product.sales_budget_kind:
                product.sales_budget_kind = "travel"

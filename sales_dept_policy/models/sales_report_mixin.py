# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesReportMixin(models.AbstractModel):
    """VIS-6: a report a salesperson files and their manager reviews (the
    approval flow: submitted, then approved as reviewed, or sent back with a reason)."""

    _name = "sales.report.mixin"
    _description = "Salesperson Report"
    _inherit = ["sales.approval.mixin"]

    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _get_approvers(self):
        self.ensure_one()
        return self.user_id._sales_policy_reviewers()

    def _get_concerned_users(self):
        return self.user_id

    def _check_author(self, vals_list):
        """VIS-6: a salesperson files their own reports; a sales manager files them
        for the team. Checked once, on the values a client sends."""
        if not (self.env["res.users"]._sales_policy_current_is_manager()) and any(
            "user_id" in vals and vals["user_id"] != self.env.uid for vals in vals_list
        ):
            raise ValidationError(self.env._("A salesperson files their own reports (VIS-6)."))

    @api.model_create_multi
    def create(self, vals_list):
        self._check_author(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_author([vals])
        return super().write(vals)

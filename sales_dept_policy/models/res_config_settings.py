# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import ValidationError

from ..policy import archive as arc


class ResConfigSettings(models.TransientModel):
    """Settings > Sales Policy: the policy's configurable values."""

    _inherit = "res.config.settings"

    group_sales_policy_restrict_all = fields.Boolean(
        string="Restrict Customer Archives for All Employees",
        implied_group="sales_dept_policy.group_archive_restricted",
        group="base.group_user",
        help="ARC-3/ARC-5: when on, every employee outside the reading roles sees only "
        "their own customers' archives and those granted by an approved request. "
        "When off, only sales users are restricted.",
    )
    sales_policy_archive_grant_days = fields.Integer(
        string="Archive Access Length (days)",
        config_parameter="sales_dept_policy.archive_grant_days",
        default=arc.DEFAULT_GRANT_DAYS,
        help="ARC-5: default number of days an approved access request grants.",
    )

    def set_values(self):
        if self.sales_policy_archive_grant_days < 1:
            raise ValidationError(
                self.env._("Archive Access Length must be at least one day (ARC-5).")
            )
        return super().set_values()

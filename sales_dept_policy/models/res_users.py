# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    archive_grant_partner_ids = fields.Many2many(
        "res.partner",
        "res_partner_archive_grant_rel",
        "user_id",
        "partner_id",
        string="Granted Customer Archives",
        readonly=True,
        help="Customer archives this user may read through an approved access request "
        "(ARC-5). The archive rule reads this list.",
    )

    sales_managed_territory_ids = fields.Many2many(
        "sales.territory",
        string="Managed Territories",
        compute="_compute_sales_managed_territory_ids",
        help="The territories this user manages and their sub-territories: the archive "
        "rule lets them read those customers (TER-4).",
    )

    def _compute_sales_managed_territory_ids(self):
        Territory = self.env["sales.territory"].sudo()
        for user in self:
            managed = Territory.search([("manager_id", "=", user.id)])
            user.sales_managed_territory_ids = (
                Territory.search([("id", "child_of", managed.ids)]) if managed else Territory
            )

    @api.model
    def _sales_policy_current_is_manager(self):
        """Whether the current environment acts as a sales manager: the current user
        holds the role, or the environment is the superuser's."""
        return self.env.su or self.env.user.has_group("sales_dept_policy.group_sales_manager")

    def _sales_policy_reviewers(self):
        """Who reviews this user's reports (VIS-2, VIS-6): their employee's manager when a
        sales manager, else every sales manager but the user."""
        self.ensure_one()
        manager = self.employee_id.parent_id.user_id if self.employee_id else self.browse()
        if manager and manager.has_group("sales_dept_policy.group_sales_manager"):
            return manager
        managers = self.env.ref("sales_dept_policy.group_sales_manager").sudo().all_user_ids
        return managers - self

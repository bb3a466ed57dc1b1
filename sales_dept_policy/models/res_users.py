# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


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

    sales_discount_limit = fields.Float(
        string="Discount Limit (%)",
        help="CRD-5: the discount this salesperson gives without approval, in percent. "
        "Empty (or 0): the default of the Settings.",
    )
    sales_managed_territory_ids = fields.Many2many(
        "sales.territory",
        string="Managed Territories",
        compute="_compute_sales_managed_territory_ids",
        help="The territories this user manages and their sub-territories: the archive "
        "rule lets them read those customers (TER-4).",
    )

    @api.constrains("sales_discount_limit")
    def _check_sales_discount_limit(self):
        for user in self:
            if not 0 <= user.sales_discount_limit <= 100:
                raise ValidationError(
                    self.env._(
                        "Discount Limit (%%) of %(user)s must be between 0 and 100 (CRD-5).",
                        user=user.name,
                    )
                )

    def _sales_discount_limits(self, default):
        """CRD-5: each user's own discount limit, ``default`` (the Settings') where it
        is empty (0, as a Float field reads an empty value)."""
        return {user.id: user.sales_discount_limit or default for user in self}

    def write(self, vals):
        if "archive_grant_partner_ids" in vals and not self.env.su:
            # ARC-5, APR-5: grants come from approved requests only
            raise UserError(
                self.env._(
                    "Granted Customer Archives come from approved access requests only "
                    "(ARC-5, APR-5)."
                )
            )
        leaving = vals.get("active") is False or any("group" in name for name in vals)
        # found before the write: archiving a user may drop their to-dos
        pending = self._sales_policy_pending_decisions() if leaving else []
        res = super().write(vals)
        for requests in pending:
            requests.exists()._sync_decision_activities()
        return res

    def action_archive(self):
        # mail deletes the archived users' to-dos before they are archived: the
        # requests they were to decide are found first, and handed on after (APR-5)
        pending = self._sales_policy_pending_decisions()
        res = super().action_archive()
        for requests in pending:
            requests.exists()._sync_decision_activities()
        return res

    def _sales_policy_pending_decisions(self):
        """APR-5: the requests these users have a decision to-do on, by model: when
        they leave (archived, a group removed), they go to who decides them now."""
        decision = self.env.ref(
            "sales_dept_policy.mail_activity_type_decision", raise_if_not_found=False
        )
        if not decision:
            return []
        # the to-dos of other users, on requests the acting administrator may not
        # read: found and handed on as superuser, these to-dos only
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search([("activity_type_id", "=", decision.id), ("user_id", "in", self.ids)])
        )
        by_model = {}
        for activity in activities:
            by_model.setdefault(activity.res_model, set()).add(activity.res_id)
        return [
            self.env[model].sudo().browse(list(ids))
            for model, ids in by_model.items()
            if model in self.env
        ]

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

    #: ORD-3/4/6: the departments the policy tells of confirmed orders, by the key of
    #: their setting, with the group they default to
    _SALES_POLICY_DEPARTMENTS = {
        "finance": "sales_dept_policy.group_finance",
        "production": "sales_dept_policy.group_production",
    }

    @api.model
    def _sales_policy_department_group(self, key):
        """ORD-3/4: the group of a department (``finance``, ``production``), as the
        Settings say, else the addon's own."""
        param = (
            self.env["ir.config_parameter"].sudo().get_param(f"sales_dept_policy.{key}_group_id")
        )
        group = self.env["res.groups"]
        if param and str(param).isdigit():
            group = group.sudo().browse(int(param)).exists()
        return group or self.env.ref(self._SALES_POLICY_DEPARTMENTS[key])

    @api.model
    def _sales_policy_department_users(self, key):
        """ORD-3: the active internal members of a department's group."""
        group = self._sales_policy_department_group(key).sudo()
        return group.all_user_ids.filtered(lambda u: u.active and not u.share)

    @api.model
    def _sales_policy_current_in_department(self, key):
        """ORD-4: whether the current user belongs to the department (never the
        context's say: the user's own groups)."""
        group = self._sales_policy_department_group(key)
        return group in self.env.user.all_group_ids

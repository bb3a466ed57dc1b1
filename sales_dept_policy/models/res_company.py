# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

import pytz

from odoo import api, fields, models

from ..policy import credit as crd

#: MTG-1: who attends the quarterly and annual meetings by default: the sales
#: department (salespeople, sales managers, the general manager and deputies), the
#: finance and production departments, and the archive readers, the addon's group
#: of the other roles the rule names (GM assistant, finance manager, design and
#: HR/administration heads, ARC-3)
_DEFAULT_MEETING_GROUPS = (
    "sales_dept_policy.group_salesperson",
    "sales_dept_policy.group_sales_manager",
    "sales_dept_policy.group_general_manager",
    "sales_dept_policy.group_finance",
    "sales_dept_policy.group_production",
    "sales_dept_policy.group_archive_reader",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    def _default_sales_meeting_groups(self):
        groups = self.env["res.groups"]
        for xmlid in _DEFAULT_MEETING_GROUPS:
            groups |= self.env.ref(xmlid, raise_if_not_found=False) or groups
        return groups

    sales_meeting_group_ids = fields.Many2many(
        "res.groups",
        "res_company_sales_meeting_group_rel",
        "company_id",
        "group_id",
        string="Quarterly and Annual Meeting Attendees",
        default=lambda self: self._default_sales_meeting_groups(),
        help="MTG-1: the members of these groups are invited to the quarterly and annual "
        "sales meetings (sales manager, salespeople, finance manager, deputy GMs, GM, GM "
        "assistant, design, production and HR/administration heads). Empty: the policy's "
        "default roles.",
    )

    def _sales_meeting_groups(self):
        """MTG-1: the groups whose members attend this company's quarterly and annual
        meetings: the Settings', else the policy's default roles."""
        self.ensure_one()
        return self.sudo().sales_meeting_group_ids or self._default_sales_meeting_groups()

    @api.model
    def _sales_meeting_init_groups(self):
        """MTG-1, at install and upgrade: the companies that have no attendee groups
        get the policy's default roles, shown (and changed) in Settings."""
        defaults = self._default_sales_meeting_groups()
        self.sudo().search(
            [("sales_meeting_group_ids", "=", False)]
        ).sales_meeting_group_ids = defaults

    def _sales_policy_tz(self):
        """The time zone the company counts its days in (SPEC: times are local to
        the company)."""
        self.ensure_one()
        return self.partner_id.tz or crd.DEFAULT_TZ

    def _sales_policy_today(self):
        """Today in the company's time zone."""
        return datetime.now(pytz.timezone(self._sales_policy_tz())).date()

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


def _default_travel_level(model):
    return model.env.ref("sales_dept_policy.travel_level_staff", raise_if_not_found=False)


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    travel_level_id = fields.Many2one(
        "sales.travel.level",
        default=_default_travel_level,
        index=True,
        tracking=True,
        groups="hr.group_hr_user",
        help="TRV-2: the travel standards that apply to this employee.",
    )


class HrEmployeePublic(models.Model):
    _inherit = "hr.employee.public"

    # read by trips and claims of any employee: a public field, like the manager
    travel_level_id = fields.Many2one("sales.travel.level", readonly=True)

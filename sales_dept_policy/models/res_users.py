# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


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

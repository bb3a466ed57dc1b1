# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SalesTravelLevel(models.Model):
    """TRV-2: a travel level (director, manager, senior, staff) and its standards.

    Every value is data an administrator edits (Sales Policy > Configuration >
    Travel Levels); the rules in ``policy/travel.py`` read them from here.
    """

    _name = "sales.travel.level"
    _description = "Travel Level"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(
        [
            ("director", "Director"),
            ("manager", "Manager"),
            ("senior", "Senior Salesperson"),
            ("staff", "Salesperson / Staff"),
        ],
        required=True,
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    lodging_cap = fields.Float(
        string="Lodging Cap per Night",
        digits="Product Price",
        help="TRV-6: the most paid for a night's lodging on an out-of-town trip; "
        "0 means actual cost.",
    )
    transport_class_ids = fields.Many2many(
        "sales.travel.transport.class",
        string="Allowed Transport",
        help="TRV-3: what the level takes on out-of-town trips. A higher class of the same "
        "mode is paid at the fare of the level's class.",
    )
    taxi_needs_approval = fields.Boolean(
        help="TRV-3: out of town, a taxi is paid only when approved on the trip.",
    )
    shares_room = fields.Boolean(
        string="Shares Rooms",
        help="TRV-8: two travellers of this level (below manager) going to the same place "
        "at the same time share a room.",
    )
    employee_count = fields.Integer(compute="_compute_employee_count")

    _code_uniq = models.Constraint("UNIQUE (code)", "A travel level exists once per code.")

    @api.constrains("lodging_cap")
    def _check_lodging_cap(self):
        for level in self:
            if level.lodging_cap < 0:
                raise ValidationError(
                    self.env._(
                        "Lodging Cap per Night of %(level)s cannot be negative (TRV-6).",
                        level=level.name,
                    )
                )

    def _compute_employee_count(self):
        counts = dict(
            self.env["hr.employee"]._read_group(
                [("travel_level_id", "in", self.ids)], ["travel_level_id"], ["__count"]
            )
        )
        for level in self:
            level.employee_count = counts.get(level, 0)

    def _allowed_codes(self):
        self.ensure_one()
        return set(self.transport_class_ids.mapped("code"))

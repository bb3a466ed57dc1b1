# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..policy import territory as ter


class SalesTerritoryWorkMixin(models.AbstractModel):
    """TER-3: work (a visit, a trip) for a customer outside its user's territories.

    A model inheriting this has ``user_id`` and ``partner_id``; the flag is
    computed for a whole batch of records with the territories of all their
    users read once (``sales.territory._territories_by_user``).
    """

    _name = "sales.territory.work.mixin"
    _description = "Work Within the Salesperson's Territories"

    out_of_territory = fields.Boolean(
        compute="_compute_out_of_territory",
        store=True,
        help="TER-3: the customer is outside the salesperson's territories: the manager "
        "approves the work.",
    )

    @api.depends("partner_id", "user_id")
    def _compute_out_of_territory(self):
        records = self.filtered(lambda r: r.partner_id and r.user_id)
        territories = self.env["sales.territory"]._territories_by_user(records.user_id)
        partner_territory = {
            partner.id: partner.territory_id.id
            for partner in records.partner_id.commercial_partner_id.sudo()
        }
        for record in self:
            mine = territories.get(record.user_id.id)
            record.out_of_territory = bool(
                record in records
                and mine
                and ter.is_out_of_territory(
                    partner_territory.get(record.partner_id.commercial_partner_id.id), mine
                )
            )

    def _refresh_out_of_territory(self):
        """TER-3: the flag as the territories stand now (a customer moved, a
        salesperson given another territory), before an action relies on it."""
        self.env.add_to_compute(self._fields["out_of_territory"], self)
        return self.mapped("out_of_territory")

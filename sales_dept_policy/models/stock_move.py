# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class StockMove(models.Model):
    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        # ORD-4, CRD-4: nothing leaves for the customer of an order whose contract is
        # not approved or whose deposit is not in (unless finance released it):
        # whatever path validates the moves (button, RPC, backorder, batch)
        self.filtered(
            lambda m: (
                m.state not in ("done", "cancel")
                and m.location_dest_usage == "customer"
                and m.sale_line_id
            )
        ).sale_line_id.order_id._check_production_released()
        return super()._action_done(cancel_backorder=cancel_backorder)

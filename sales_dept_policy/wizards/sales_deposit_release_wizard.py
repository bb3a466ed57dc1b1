# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SalesDepositReleaseWizard(models.TransientModel):
    """ORD-4: finance's reason to let an order be produced and delivered before its
    deposit is received. The check (finance only) is the order's, not the
    dialog's."""

    _name = "sales.deposit.release.wizard"
    _description = "Release Before Deposit"

    order_id = fields.Many2one("sale.order", required=True, readonly=True, ondelete="cascade")
    production_status = fields.Selection(related="order_id.production_status")
    amount_total = fields.Monetary(related="order_id.amount_total")
    deposit_received = fields.Monetary(related="order_id.deposit_received")
    currency_id = fields.Many2one(related="order_id.currency_id")
    reason = fields.Text(
        required=True,
        help="ORD-4: why production and delivery may start before the deposit (kept on the "
        "order's chatter).",
    )

    def action_release(self):
        self.ensure_one()
        self.order_id._release_deposit(self.reason)
        return {"type": "ir.actions.act_window_close"}

# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import pytz

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class StockPicking(models.Model):
    """ORD-4/5 on deliveries.

    - an outgoing delivery of an order whose contract is not approved or whose
      deposit is not in cannot be validated (the button, RPC, a backorder, a
      batch: every path ends in ``stock.move._action_done``), with a message
      naming what is missing; finance releases an order waiting for its deposit
      with a reason (``deposit_release_reason``, finance only);
    - ``received_on`` records the arrival at the customer, the event of the
      balance of grades B and C (ORD-5).
    """

    _inherit = "stock.picking"

    received_on = fields.Date(
        copy=False,
        tracking=True,
        help="ORD-5: the day the customer received the goods (the salesperson records "
        "it, or the customer's confirmation): the balance of grades B and C falls due "
        "from it.",
    )
    production_hold_message = fields.Text(
        string="Delivery Hold",
        compute="_compute_production_hold_message",
        help="ORD-4: what this delivery waits for before it may be validated.",
    )
    deposit_release_reason = fields.Text(
        compute="_compute_deposit_release_reason",
        inverse="_inverse_deposit_release_reason",
        help="ORD-4: why finance released the order before its deposit; writing it (finance "
        "only) releases the order.",
    )
    can_release_deposit = fields.Boolean(compute="_compute_can_release_deposit")

    def _is_policy_delivery(self):
        self.ensure_one()
        return self.picking_type_code == "outgoing" and bool(self.sale_id)

    @api.depends_context("lang")
    @api.depends("state", "sale_id.production_hold_message")
    def _compute_production_hold_message(self):
        for picking in self:
            picking.production_hold_message = (
                picking.state not in ("done", "cancel")
                and picking._is_policy_delivery()
                and picking.sale_id.production_hold_message
            ) or False

    @api.depends("sale_id.deposit_release_reason")
    def _compute_deposit_release_reason(self):
        for picking in self:
            picking.deposit_release_reason = picking.sale_id.sudo().deposit_release_reason

    def _inverse_deposit_release_reason(self):
        # ORD-4: the order's release, by finance (checked in ``_release_deposit``)
        for picking in self:
            if picking.deposit_release_reason == picking.sale_id.sudo().deposit_release_reason:
                continue
            if not picking.sale_id:
                raise ValidationError(
                    self.env._(
                        "%(picking)s is not the delivery of a sales order (ORD-4).",
                        picking=picking.name,
                    )
                )
            picking.sale_id._release_deposit(picking.deposit_release_reason)

    @api.depends_context("uid")
    @api.depends("state", "sale_id.can_release_deposit")
    def _compute_can_release_deposit(self):
        for picking in self:
            picking.can_release_deposit = (
                picking.state not in ("done", "cancel") and picking.sale_id.can_release_deposit
            )

    @api.constrains("received_on", "date_done", "state")
    def _check_received_on(self):
        for picking in self.filtered("received_on"):
            if picking.state != "done" or picking.picking_type_code != "outgoing":
                raise ValidationError(
                    self.env._(
                        "Received On: %(picking)s is not a delivery that was sent; only a "
                        "done delivery is received (ORD-5).",
                        picking=picking.name,
                    )
                )
            order = picking.sale_id
            tz = pytz.timezone(order._policy_tz() if order else "Asia/Shanghai")
            sent = pytz.utc.localize(picking.date_done).astimezone(tz).date()
            today = fields.Datetime.now().replace(tzinfo=pytz.utc).astimezone(tz).date()
            if picking.received_on < sent or picking.received_on > today:
                raise ValidationError(
                    self.env._(
                        "Received On of %(picking)s must be between the day it was sent "
                        "(%(sent)s) and today (ORD-5).",
                        picking=picking.name,
                        sent=sent,
                    )
                )

    def button_validate(self):
        # ORD-4: say what is missing before any wizard (backorder, immediate transfer)
        self._check_production_released()
        return super().button_validate()

    def _check_production_released(self):
        self.filtered(
            lambda p: p.state not in ("done", "cancel") and p._is_policy_delivery()
        ).sale_id._check_production_released()

    def _action_done(self):
        res = super()._action_done()
        # ORD-5: a delivery done may complete an order: its invoices' due dates
        self.filtered(lambda p: p.picking_type_code == "outgoing").sale_id._sync_invoice_due_dates()
        return res

    def write(self, vals):
        res = super().write(vals)
        if "received_on" in vals:
            self.sale_id._sync_invoice_due_dates()
        return res

    def action_release_deposit(self):
        """ORD-4: finance's release of the delivery's order (a dialog for the reason)."""
        self.ensure_one()
        return self.sale_id.action_release_deposit()

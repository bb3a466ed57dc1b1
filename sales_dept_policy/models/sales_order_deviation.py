# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..policy import credit as crd
from .sales_approval_mixin import WORKFLOW_FIELDS as _WORKFLOW_FIELDS


class SalesOrderDeviation(models.Model):
    """CRD-5: the approval of an order's terms before confirmation.

    An order whose terms deviate from the quotation (a price below or above the
    pricelist, a discount above the salesperson's limit, other payment terms) is
    decided in two ordered steps of the one approval flow: reviewed by a sales
    manager (业务部经理审核), then approved by the general manager or a deputy
    (上报至副总经理或者总经理审批), never both by the same person. A major contract
    within the terms is confirmed in one step by a sales manager or a general
    manager. A request approves the order as it was when requested (its
    fingerprint): a later change of prices or terms needs a new approval.

    Access: made by the order's own action from the order's figures; the order's
    salesperson reads the requests of their orders, sales managers and finance
    read all; the approvers of the step decide, never for an order of their own
    or a request they submitted (APR-4).
    """

    _name = "sales.order.deviation"
    _description = "Sales Order Deviation Approval"
    _inherit = ["sales.approval.mixin"]
    _order = "id desc"

    #: APR-5: what is approved is the order as the policy read it
    _policy_protected_fields = _WORKFLOW_FIELDS | {
        "order_id",
        "approval_level",
        "reason_details",
        "fingerprint",
    }

    order_id = fields.Many2one("sale.order", required=True, index=True, ondelete="cascade")
    user_id = fields.Many2one(
        related="order_id.user_id", string="Salesperson", store=True, index=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    amount_untaxed = fields.Monetary(related="order_id.amount_untaxed")
    currency_id = fields.Many2one(related="order_id.currency_id")
    approval_level = fields.Selection(
        selection=[
            ("manager_gm", "Sales Manager, then General Manager"),
            ("confirm", "Sales Manager or General Manager"),
        ],
        string="Approval Steps",
        required=True,
        help="CRD-5: a deviation is reviewed by the sales manager, then approved by the "
        "general manager or a deputy; a major contract within the terms is confirmed by the "
        "sales manager or the general manager.",
    )
    reason_details = fields.Json(
        readonly=True,
        help="CRD-5: the order's reasons when it was requested, as the policy's codes.",
    )
    reasons = fields.Text(compute="_compute_reasons", help="Why the order needed approval (CRD-5).")
    fingerprint = fields.Char(readonly=True, copy=False)
    company_id = fields.Many2one(related="order_id.company_id", store=True)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._(
                    "A deviation approval is requested from its order, with the order's "
                    "own figures (CRD-5, APR-5): use Request Approval on the quotation."
                )
            )
        return super().create(vals_list)

    @api.depends("reason_details")
    @api.depends_context("lang")
    def _compute_reasons(self):
        for request in self:
            request.reasons = (
                self.env["sale.order"]._deviation_text(request.reason_details) or False
            )

    @api.depends("order_id", "approval_level")
    def _compute_display_name(self):
        levels = dict(self._fields["approval_level"]._description_selection(self.env))
        for request in self:
            request.display_name = (
                f"{request.order_id.name or ''} ({levels.get(request.approval_level, '')})"
            )

    def _approval_steps(self):
        return crd.APPROVAL_LEVELS.get(self.approval_level, ())

    def _get_approvers(self):
        # CRD-5: the sales manager reviews, then the general manager or a deputy
        # approves; either confirms the terms of a major contract
        return self._step_approvers()

    def _on_step_approved(self, step):
        for request in self:
            request._post_on_order(
                self.env._(
                    "Deviation reviewed by %(user)s (%(step)s): %(reasons)s. It now waits for "
                    "the general manager's approval.",
                    user=self.env.user.name,
                    step=self._step_label(step),
                    reasons=(request.reasons or "").replace("\n", "; "),
                )
            )

    def _get_concerned_users(self):
        return self.order_id.user_id

    def _approval_title(self):
        return self.env._(
            "Deviation on %(order)s: %(reasons)s",
            order=self.order_id.name,
            reasons=(self.reasons or "").replace("\n", "; "),
        )

    def _post_on_order(self, body):
        for request in self:
            request.order_id.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _on_approved(self):
        for request in self:
            request._post_on_order(
                self.env._(
                    "Deviation approved by %(user)s (%(role)s): %(reasons)s",
                    user=self.env.user.name,
                    role=self._step_label(request.approval_step),
                    reasons=(request.reasons or "").replace("\n", "; "),
                )
            )

    def _on_rejected(self):
        for request in self:
            request._post_on_order(
                self.env._(
                    "Deviation rejected by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=request.reject_reason,
                )
            )
